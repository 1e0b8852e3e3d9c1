"""``lingxi index``: the semantic-search vector index — what it holds, and embedding the backlog now.

Events are embedded in the background by ``lingxi serve`` and, for one user, by that user's searches. After
configuring ``[embeddings]`` on a home with a long history (or after switching embedding models), everything
stored before waits in the queue; ``lingxi index embed`` works through it in the foreground with a progress
bar, so the first searches do not have to.
"""

from __future__ import annotations

import asyncio
import time
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from lingxi.cli.common import HomeOpt, err, out
from lingxi.context.vectors import VectorIndex
from lingxi.errors import InvalidInput
from lingxi.facade import Lingxi

index_app = typer.Typer(no_args_is_help=True, help="semantic search: vector index status and backfill")


def _vectors(lx: Lingxi) -> VectorIndex:
    if lx.vectors is None:
        raise InvalidInput(
            "no embedding model is configured",
            message_zh="未配置向量模型，语义检索未开启",
            hint='add [embeddings] model = "path/to/embedding.gguf" to lingxi.toml (see README)',
        )
    return lx.vectors


@index_app.command("status")
def status(home: HomeOpt = None, user: Annotated[str | None, typer.Option(help="only this user")] = None) -> None:
    """The embedder, and how many events have vectors and how many wait."""
    vectors = _vectors(Lingxi(home))
    info = vectors.embedder.info
    out.print(f"向量模型：{info.provider}/{info.name}（{info.dimensions} 维，{info.locality.value}）", highlight=False)
    out.print(f"已建向量：{vectors.count(user)} 条；待处理：{vectors.pending(user)} 条", highlight=False)


@index_app.command("embed")
def embed(
    home: HomeOpt = None,
    user: Annotated[str | None, typer.Option(help="only this user's events")] = None,
    batch: Annotated[int, typer.Option(min=1, help="events per embedding batch")] = 64,
) -> None:
    """Queue every event without a vector of the current model, then embed the queue now.

    示例：lingxi index embed --user demo-user
    """
    vectors = _vectors(Lingxi(home))
    vectors.enqueue_missing(user)
    total, started = vectors.pending(user), time.perf_counter()
    columns = (TextColumn("嵌入"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    with Progress(*columns, console=err, transient=True) as bar:
        task = bar.add_task("embed", total=total)
        done = 0
        while done < total and (n := asyncio.run(vectors.drain(batch, user_id=user))):
            done += n
            bar.update(task, completed=done)
    seconds = time.perf_counter() - started
    rate = f"，{done / seconds:.1f} 条/秒" if done and seconds > 0 else ""
    out.print(f"已嵌入 {done} 条事件{rate}；仍待处理 {vectors.pending(user)} 条", highlight=False)
