"""A process killed with SIGKILL in the middle of ingesting loses nothing it had acknowledged, and no batch
is ever half-stored (SQLite WAL + one transaction per batch)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from lingxi import Lingxi

BATCH = 200

WRITER = textwrap.dedent(
    f"""
    import sys
    from lingxi import Lingxi
    lx = Lingxi(sys.argv[1])
    n = 0
    while True:
        batch = [
            {{"type": "notification", "event_id": f"e{{n + i:07d}}", "user_id": "u1",
              "ts": 1_795_354_200_000 + n + i, "source_app": "菜鸟", "body": f"您的包裹 {{n + i}} 已到驿站"}}
            for i in range({BATCH})
        ]
        lx.ingest(batch)
        n += {BATCH}
        print(f"ACK {{n}}", flush=True)
    """
)


def test_sigkill_during_ingest_loses_nothing_acknowledged(tmp_path: Path) -> None:
    home = tmp_path / "home"
    proc = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(home)], stdout=subprocess.PIPE, text=True, env={**os.environ}
    )
    assert proc.stdout is not None
    acked = 0
    deadline = time.monotonic() + 60
    while acked < 10 * BATCH and time.monotonic() < deadline:
        line = proc.stdout.readline()
        if line.startswith("ACK "):
            acked = int(line.split()[1])
    os.kill(proc.pid, signal.SIGKILL)  # mid-way through the next batch, most likely
    rest = proc.stdout.read()  # acknowledgements printed before the kill still count
    proc.wait(timeout=10)
    for line in rest.splitlines():
        if line.startswith("ACK "):
            acked = int(line.split()[1])
    assert acked >= 10 * BATCH
    stored = Lingxi(home).events.count("u1").get("notification", 0)
    assert stored >= acked  # nothing acknowledged is lost
    assert stored % BATCH == 0  # and the batch in flight is all or nothing
    assert Lingxi(home).retriever.search("u1", "驿站", limit=1)  # the index is consistent with the store
