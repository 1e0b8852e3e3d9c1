"""``lingxi features shop`` / ``shop-eval``: shopping recommendations, and their offline evaluation.

``demo_section`` is the shopping part of ``lingxi demo``: the sample user's recommendations, then one browse
event ingested live and the changed list, with how long ingest + re-rank took.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.rule import Rule
from rich.table import Table

from lingxi.cli.common import HomeOpt, err, out, user_now
from lingxi.context.events import BrowseEvent
from lingxi.context.sample import SAMPLE_USER_ID
from lingxi.facade import Lingxi
from lingxi.features.shopping import Recommendations


def live_browse(now_ms: int) -> BrowseEvent:
    """The demo's live event: the sample user looks at a cat tree for 40 s, a minute before 'now'."""
    return BrowseEvent(
        event_id="demo-live-shop-0001",
        user_id=SAMPLE_USER_ID,
        ts=now_ms - 60_000,
        source_app="淘宝",
        item_id="713300099999",
        item_name="猫爬架 大型 实木",
        category="宠物",
        brand="pidan",
        price_fen=45900,
        platform="淘宝",
        dwell_ms=40_000,
    )


def print_recs(console: Console, recs: Recommendations, limit: int | None = None) -> None:
    mode = {"personalized": "个性化", "popularity": "仅热门（非个性化）", "none": "无推荐"}[recs.mode]
    console.print(f"[bold]{mode}[/] · {recs.reason_zh} · 排序耗时 {recs.took_ms:.1f} ms", highlight=False)
    table = Table(show_header=True, header_style="bold")
    for col in ("#", "商品", "品类", "价格", "推荐理由"):
        table.add_column(col)
    for n, item in enumerate(recs.items[:limit], 1):
        name = f"{item.brand} {item.name}".strip()
        price = "" if item.price is None else f"¥{item.price:,.2f}"
        table.add_row(str(n), name, item.category, price, "；".join(item.reasons_zh))
    console.print(table)
    console.print(f"[dim]{recs.method}[/]")


def register(app: typer.Typer) -> None:
    @app.command("shop")
    def shop(
        user_id: Annotated[str, typer.Argument(help="whose recommendations")],
        k: Annotated[int, typer.Option("-k", min=1, max=100, help="how many items")] = 10,
        home: HomeOpt = None,
    ) -> None:
        """Real-time shopping recommendations with reasons (needs the shopping consent scope)."""
        lx = Lingxi(home)
        print_recs(out, lx.shopping.recommend(user_id, k=k, now_ms=user_now(lx, user_id, None)))

    @app.command("shop-eval")
    def shop_eval(
        data: Annotated[Path | None, typer.Option("--data", help="UCI Online Retail CSV(.gz)")] = None,
        max_users: Annotated[int, typer.Option(min=10, help="evaluated users (seeded sample)")] = 500,
        no_als: Annotated[bool, typer.Option("--no-als", help="skip the ALS baseline")] = False,
    ) -> None:
        """Offline HR@10/NDCG@10 of popularity, item-kNN, session transition, ALS and ours on UCI Online Retail.

        Get the data: https://archive.ics.uci.edu/dataset/352/online+retail (CC BY 4.0).
        """
        os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
        from lingxi.shopping import evaluate as ev

        err.print("正在评估（数分钟）…")
        result = ev.evaluate(data or ev.DEFAULT_DATA, max_users=max_users, with_als=not no_als)
        out.print(ev.table(result), highlight=False)
        if result.get("note"):
            err.print(str(result["note"]), highlight=False)
        out.print(f"baskets={result['baskets']} train={result['train']} cutoff={result['cutoff']}", highlight=False)


def demo_section(lx: Lingxi, console: Console, now_ms: int) -> None:
    """Recommendations for the sample user, then one browse event live and the changed top items."""
    console.print(Rule("购物推荐 · 实时"))
    before = lx.shopping.recommend(SAMPLE_USER_ID, k=5, now_ms=now_ms)
    print_recs(console, before)
    event = live_browse(now_ms)
    started = time.perf_counter()
    lx.ingest([event])
    after = lx.shopping.recommend(SAMPLE_USER_ID, k=5, now_ms=now_ms)
    took = (time.perf_counter() - started) * 1000
    console.print(f"刚刚在{event.platform}浏览了「{event.item_name}」{event.dwell_ms // 1000} 秒 → 新的推荐：")
    print_recs(console, after)
    moved = [i.name for i in after.items if i.item_id not in {b.item_id for b in before.items}]
    console.print(
        f"[dim]写入事件并重新排序共 {took:.1f} ms；新进前五：{'、'.join(moved) or '（无，顺序和理由已更新）'}[/]",
        highlight=False,
    )
