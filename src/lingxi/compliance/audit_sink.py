"""Where signed audit checkpoints go: off the machine that holds the database.

A checkpoint only helps if whoever can rewrite the database cannot rewrite it too, so it is sent somewhere
else: a file path (a mounted WORM/object-store bucket, a log shipper's spool, another host's share) and/or
an HTTP URL that receives one JSON object per POST (a SIEM collector, a notary service). Verification reads
the latest checkpoint back from the file sink, or from a file the operator fetched from the HTTP receiver
(``lingxi audit verify --checkpoint FILE``).

Exporting must never fail a user's request: the automatic export after every N records runs in a
background thread and a sink that is down is logged and retried at the next checkpoint; ``lingxi audit
checkpoint`` exports on demand and reports failures.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

import httpx

from lingxi.compliance.audit_chain import Checkpoint
from lingxi.errors import InvalidInput, StorageError

log = logging.getLogger(__name__)


class CheckpointSink:
    """A file (JSON lines, appended and fsynced) and/or an HTTP endpoint (POST, JSON body)."""

    def __init__(self, path: Path | str | None = None, url: str | None = None, *, timeout_s: float = 5.0) -> None:
        self.path = Path(path) if path else None
        self.url = url or None
        self.timeout_s = timeout_s

    @property
    def configured(self) -> bool:
        return self.path is not None or self.url is not None

    def send(self, cp: Checkpoint) -> None:
        """Export ``cp`` to every configured target; raises :class:`StorageError` naming what failed."""
        failed: list[str] = []
        if self.path is not None:
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                with self.path.open("a", encoding="utf-8") as fh:
                    fh.write(cp.to_json() + "\n")
                    fh.flush()
                    os.fsync(fh.fileno())
            except OSError as exc:
                failed.append(f"{self.path}: {exc}")
        if self.url is not None:
            try:
                response = httpx.post(
                    self.url,
                    content=cp.to_json(),
                    headers={"content-type": "application/json"},
                    timeout=self.timeout_s,
                )
                response.raise_for_status()
            except httpx.HTTPError as exc:
                failed.append(f"{self.url}: {exc}")
        if failed:
            raise StorageError(
                "audit checkpoint export failed: " + "; ".join(failed),
                message_zh="审计检查点导出失败：" + "；".join(failed),
                hint="check [audit] checkpoint_file / checkpoint_url in lingxi.toml",
            )

    def latest(self) -> Checkpoint | None:
        """The newest checkpoint in the file sink (None without a file sink or before the first export)."""
        return read_latest(self.path) if self.path is not None and self.path.exists() else None


def read_latest(path: Path) -> Checkpoint | None:
    """The last checkpoint of a JSON-lines file (as the file sink writes and an HTTP receiver may save)."""
    try:
        lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    except OSError as exc:
        raise InvalidInput(f"{path}: cannot read checkpoints: {exc}", message_zh=f"无法读取检查点文件：{path}") from exc
    if not lines:
        return None
    try:
        return Checkpoint.from_json(lines[-1])
    except (ValueError, KeyError, TypeError) as exc:
        raise InvalidInput(
            f"{path}: last line is not a checkpoint ({exc})", message_zh=f"检查点文件最后一行格式错误：{path}"
        ) from exc
