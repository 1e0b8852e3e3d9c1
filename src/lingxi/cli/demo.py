"""``lingxi demo``: the bundled sample user's week through the features, then one live event.

The week is moved to end at or shortly before today (whole weeks: see :mod:`lingxi.context.sample`), so
the commands the README shows next (`features ask`, `replies`, `shop`, `digest`) find it in the present.
It shows the product's point in one screen: the notification summary and a writing tool on the user's own
data (lite tier by default: no keys, no downloads), then a parcel notification arriving "now" that is
searchable, profiled and at the top of the next summary the moment it is ingested.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from rich.console import Console
from rich.padding import Padding
from rich.panel import Panel
from rich.rule import Rule
from rich.text import Text

from lingxi.__about__ import __version__
from lingxi.cli.common import provenance
from lingxi.cli.features import FEATURE_MODULES
from lingxi.context.entities import effective_messages
from lingxi.context.events import Event, NotificationEvent
from lingxi.context.sample import SAMPLE_USER_ID, sample_events
from lingxi.facade import Lingxi
from lingxi.features.notifications import NotificationDigest
from lingxi.ids import now_ms as wall_clock_ms


def live_event(now_ms: int) -> NotificationEvent:
    """The parcel notification that arrives "now" (a minute before the sample's evening)."""
    return NotificationEvent(
        event_id="demo-live-0001",
        user_id=SAMPLE_USER_ID,
        ts=now_ms - 60_000,
        source_app="顺丰速运",
        category="delivery",
        title="派送提醒",
        body="快递员王师傅正在派送您的包裹（索尼降噪耳机），预计30分钟内送达，请保持电话畅通。",
    )


def local(ms: int, tz: str, fmt: str = "%m-%d %H:%M") -> str:
    return datetime.fromtimestamp(ms / 1000, ZoneInfo(tz)).strftime(fmt)


def print_digest(out: Console, digest: NotificationDigest, tz: str, limit: int | None = None) -> None:
    start, end = (local(int(t.timestamp() * 1000), tz) for t in (digest.window_start, digest.window_end))
    out.print(Rule(f"通知摘要 · {start} 至 {end} · 紧急在前"))
    for g in digest.groups[:limit]:
        when = local(int(g.latest_at.timestamp() * 1000), tz)
        out.print(
            Text.assemble(
                ("● 紧急 " if g.urgent else "○ 普通 ", "bold red" if g.urgent else "dim"),
                (g.app, "bold"),
                f"（{g.count} 条，最近 {when}）",
                (f"  原因：{'；'.join(g.reasons)}" if g.reasons else "", "red"),
            )
        )
        out.print(Padding(g.summary or "（无摘要）", (0, 0, 1, 4)))
    out.print(provenance(digest.model, digest.model_kind, label=digest.label, audit=digest.audit_id), highlight=False)


def week_of_group_chat(events: list[Event], name: str) -> list[str]:
    """The named conversation's messages as lines, oldest first.

    Sender names are left out: repeated on every line they would dominate the word overlap TextRank ranks by.
    """
    lines = []
    for e in sorted(effective_messages(events), key=lambda e: e.ts):  # a corrected message as corrected
        if e.conversation_name == name:
            lines.append(e.text if e.text[-1] in "。！？!?" else e.text + "。")
    return lines


def run_demo(lx: Lingxi, out: Console, model: str | None, today_ms: int | None = None) -> None:
    """The demo on the sample week moved to ``today_ms`` (default: the wall clock)."""
    tz = lx.settings.timezone
    loaded = lx.load_sample(now_ms=wall_clock_ms() if today_ms is None else today_ms)
    now = lx.sample_now_ms()
    assert now is not None  # just loaded
    out.print(
        Panel.fit(
            f"样例用户：林晓雨（{SAMPLE_USER_ID}，虚构人物）· 数据目录：{lx.settings.home}\n"
            f"载入一周事件：新增 {loaded.added} 条，已存在 {loaded.duplicates} 条\n"
            f"以样例数据的时间 {local(now, tz, '%Y-%m-%d %H:%M')}（{tz}）为当前时间",
            title=f"灵犀 lingxi {__version__} 演示",
        )
    )
    print_digest(out, lx.notification_summary(SAMPLE_USER_ID, model=model, now_ms=now), tz)

    lines = week_of_group_chat(sample_events(lx.sample_offset_ms() or 0), "产品组")
    answer = lx.key_points("\n".join(lines), user_id=SAMPLE_USER_ID, model=model, points=4)
    label = answer.label.explicit if answer.label else "无"
    out.print(
        Panel(
            f"[dim]原文：本周「产品组」群聊 {len(lines)} 条消息[/]\n\n[bold]要点：[/]\n{answer.text}\n\n"
            f"[dim]模型：{answer.model}（{answer.model_kind}）· 标识：{label}[/]",
            title="写作工具 · 要点提炼",
        )
    )

    for module in FEATURE_MODULES:
        module.demo_section(lx, out, now)

    out.print(Rule("实时：一条新通知刚刚到达"))
    live = live_event(now)
    out.print(f"[bold]{live.source_app}[/]：{live.body}")
    lx.ingest([live])
    hits = lx.retriever.search(SAMPLE_USER_ID, "耳机 派送", now_ms=now, limit=3)
    out.print("检索「耳机 派送」立即可得：" + "；".join(f"{h.event_id}（{h.event.type}）" for h in hits))
    print_digest(out, lx.notification_summary(SAMPLE_USER_ID, model=model, now_ms=now), tz, limit=2)
    profile = lx.profile.get(SAMPLE_USER_ID, now_ms=now, top=2)
    for fact in profile.brands[:1] + profile.contacts_incoming[:1] + profile.peak_hours[:1]:
        out.print(f"[dim]画像：{fact.explanation_zh}[/]")
