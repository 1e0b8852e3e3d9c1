"""Notification urgency: precision/recall/F1 on a hand-labelled set, today's rules (before) vs the new ones.

Run by hand::

    .venv/bin/python benchmarks/bench_notifications.py            # test split (the reported numbers)
    .venv/bin/python benchmarks/bench_notifications.py --split validation --errors
    .venv/bin/python benchmarks/bench_notifications.py --data benchmarks/data/notify_heldout9.psv --split all

``--data`` scores another set in the same format, written by someone else for the same scenario (an independent
check of rules tuned on this one); ``--errors`` refuses to print the mistakes on a held-out file (``*heldout*``).

The set (``benchmarks/data/notify_urgency.psv``, 401 notifications, 122 urgent, 72 promotions that imitate
urgency) was written by hand for issue 17 before the rules were changed, with other wording than the rules:
realistic texts from 微信, 支付宝, 招商银行, 顺丰, 菜鸟驿站, 美团, 淘宝, 12306, 滴滴, 钉钉… Each line is
``label|class|app|title|body|age_min|sender|relation``. The split is fixed by line number (even lines:
validation, odd: test) and was made before any tuning; rules were tuned on validation only.

The scenario is the user's own data the rules may read: now = 2026-12-07 14:45 (Asia/Shanghai), their
calendar (meetings at 14:55, 15:00 and 15:10, one at 18:00, a check-up tomorrow), contacts' relations learned
from message history (张丽华 = 妈妈, 老陈 = 爸爸), frequent contacts (陈昊, 林晓, 王姐, 大刘) and marks (李总,
王老师, 学而思, the 交管12123 app). A relation may also arrive on the notification itself (the last column).

"Before" is main's rules (``urgency_reasons`` at commit 90dd426, copied below verbatim in spirit: same
patterns, same freshness) fed the category an app would most plausibly declare (banks → bank, food apps →
food, couriers → delivery, nothing for promotions: a notification listener does not get one).
"""

from __future__ import annotations

import argparse
import re
import sys
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from lingxi.context.events import NotificationEvent
from lingxi.features.urgency import Meeting, UrgencyContext, decide

DATA = Path(__file__).resolve().parent / "data" / "notify_urgency.psv"
ZONE = ZoneInfo("Asia/Shanghai")
NOW = int(datetime(2026, 12, 7, 14, 45, tzinfo=ZONE).timestamp() * 1000)
MIN = 60_000


def _at(day: int, hh: int, mm: int) -> int:
    return int(datetime(2026, 12, day, hh, mm, tzinfo=ZONE).timestamp() * 1000)


SCENARIO = UrgencyContext(
    meetings=[
        Meeting("客户电话会议", _at(7, 14, 55)),
        Meeting("产品评审会", _at(7, 15, 0)),
        Meeting("与王经理的1:1", _at(7, 15, 10)),
        Meeting("项目复盘", _at(7, 18, 0)),
        Meeting("年度体检", _at(8, 9, 0)),
    ],
    relations={"张丽华": "妈妈", "老陈": "爸爸", "赵磊": "朋友", "李梅": "同事"},
    frequent={"陈昊": 41, "林晓": 33, "王姐": 25, "大刘": 14},
    marked=frozenset({"李总", "王老师", "学而思", "交管12123"}),
)

# -- before: main's rules (src/lingxi/features/notifications.py at 90dd426) -------------------------------
_OLD_RULES = (
    ("验证码", re.compile(r"验证码|校验码|动态码|动态密码"), 10, frozenset[str]()),
    ("银行", re.compile(r"支出|消费|转出|扣款|入账|收入|还款"), 24 * 60, frozenset({"bank"})),
    ("快递", re.compile(r"派送|派件|取件码|已到.{0,8}驿站|快递柜"), 12 * 60, frozenset[str]()),
    ("外卖", re.compile(r"骑手|即将送达|预计.{0,6}送达"), 45, frozenset({"food"})),
    ("日程", re.compile(r"即将开始|分钟后开始|马上开始"), 30, frozenset[str]()),
)
_BANKS = re.compile(r"银行|^955|^9553|^9556|^9558|^9559|支付宝|微信支付|云闪付")
_FOODS = frozenset({"美团", "饿了么", "盒马", "叮咚买菜", "京东到家", "闪送"})
_COURIERS = frozenset({"顺丰", "菜鸟", "京东", "拼多多", "淘宝"})


def declared_category(app: str, title: str) -> str:
    if _BANKS.search(app) or _BANKS.search(title):
        return "bank"
    if app in _FOODS:
        return "food"
    return "delivery" if app in _COURIERS else ""


def old_urgent(n: NotificationEvent, now_ms: int) -> bool:
    text = f"{n.title} {n.body}"
    age = (now_ms - n.ts) / MIN
    return any(
        (not cats or n.category in cats) and p.search(text) and 0 <= age <= fresh for _, p, fresh, cats in _OLD_RULES
    )


# -- the set ------------------------------------------------------------------------------------------------
def load(split: str, data: Path = DATA) -> list[tuple[int, str, NotificationEvent]]:
    out = []
    rows = [r for r in data.read_text(encoding="utf-8").splitlines() if r.strip() and not r.startswith("#")]
    for i, row in enumerate(rows):
        if (i % 2 == 0) != (split == "validation") and split != "all":
            continue
        label, cls, app, title, body, age, sender, relation = row.split("|")
        n = NotificationEvent(
            event_id=f"n{i}", user_id="bench", ts=NOW - int(float(age) * MIN), source_app=app, title=title,
            body=body, category=declared_category(app, title), sender=sender, relation=relation,
        )  # fmt: skip
        out.append((int(label), cls, n))
    return out


def scores(gold: list[int], pred: list[bool]) -> tuple[float, float, float]:
    tp = sum(g and p for g, p in zip(gold, pred, strict=True))
    prec = tp / max(sum(pred), 1)
    rec = tp / max(sum(gold), 1)
    return prec, rec, 2 * prec * rec / max(prec + rec, 1e-9)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--split", choices=["validation", "test", "all"], default="test")
    parser.add_argument("--errors", action="store_true", help="print the new rules' mistakes with their reasons")
    parser.add_argument("--data", type=Path, default=DATA, help="a set in the same format (default: the dev set)")
    args = parser.parse_args()
    if args.errors and "heldout" in args.data.name:
        parser.error("--errors would print a held-out set's items; score it with counts only")
    items = load(args.split, args.data)
    gold = [g for g, _, _ in items]
    before = [old_urgent(n, NOW) for _, _, n in items]
    decisions = [decide(n, NOW, SCENARIO) for _, _, n in items]
    after = [d.urgent for d in decisions]
    imitating = [i for i, (_, cls, _) in enumerate(items) if cls == "promo_urgent"]
    counts = f"{len(items)} notifications, {sum(gold)} urgent, {len(imitating)} urgency-imitating ads"
    print(f"{args.data.name}, {args.split} split: {counts}")
    print("| rules | precision | recall | F1 | accuracy on urgency-imitating promotions |")
    print("|---|---|---|---|---|")
    for name, pred in (("before (main, app-declared category)", before), ("after (text + user data)", after)):
        p, r, f = scores(gold, pred)
        acc = sum(not pred[i] for i in imitating) / max(len(imitating), 1)
        print(f"| {name} | {p:.3f} | {r:.3f} | {f:.3f} | {acc:.3f} |")
    if args.errors:
        for (g, cls, n), d in zip(items, decisions, strict=True):
            if g != d.urgent:
                why = "; ".join(f"{s.code}「{s.phrase}」{s.points}" for s in d.signals)
                print(f"{'MISS' if g else 'FALSE'} [{cls}] {n.source_app}|{n.title}|{n.body} -> {why}")


if __name__ == "__main__":
    main()
