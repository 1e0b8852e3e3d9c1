"""A process killed with SIGKILL loses nothing it had acknowledged: no ingested batch is half-stored (SQLite WAL +
one transaction per batch), and no request's egress or audit record is lost once its write was awaited, though
the server's writer thread commits several requests' records together."""

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


REQUESTS = textwrap.dedent(
    """
    import asyncio, sys
    from lingxi.compliance.audit import AuditEntry, AuditKeys, AuditLog
    from lingxi.privacy.egress import EgressLog
    from lingxi.storage.sqlite import Database
    db = Database(sys.argv[1])
    db.defer_checkpoints()
    db.start_writer()  # as `lingxi serve` does
    egress, audit = EgressLog(db), AuditLog(db, AuditKeys(b"k" * 32))
    async def turn(n):
        rec = await egress.record(user_id="u1", request_id=f"r{n}", model="m", provider="p", payload="x" * n,
                                  redactions={})
        entry = AuditEntry(f"r{n}", "ref", "chat", "m", "llm", "i", "o", "pass", [], "pass", [], False, rec.id,
                           None, "stop")
        return rec.id, await audit.append_async(entry)  # the answer's last byte would leave now
    async def main():
        n = 0
        while True:  # eight requests in flight: their records share commits
            for egress_id, audit_id in await asyncio.gather(*(turn(n + i) for i in range(8))):
                print("ACK", egress_id, audit_id, flush=True)
            n += 8
    asyncio.run(main())
    """
)


def test_sigkill_loses_no_acknowledged_request_record(tmp_path: Path) -> None:
    from lingxi.compliance.audit import AuditKeys, AuditLog
    from lingxi.storage.sqlite import Database

    path = tmp_path / "lingxi.db"
    proc = subprocess.Popen([sys.executable, "-c", REQUESTS, str(path)], stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    acked: list[tuple[str, str]] = []
    while len(acked) < 400 and (line := proc.stdout.readline()):
        acked.append(tuple(line.split()[1:]))  # type: ignore[arg-type]
    os.kill(proc.pid, signal.SIGKILL)  # with the next requests' records queued or half-committed
    acked += [tuple(line.split()[1:]) for line in proc.stdout.read().splitlines() if line.startswith("ACK ")]  # type: ignore[misc]
    proc.wait(timeout=10)
    assert len(acked) >= 400
    db = Database(path)
    with db.connect() as conn:
        egress = {r[0] for r in conn.execute("SELECT id FROM egress_log")}
        audit = {r[0] for r in conn.execute("SELECT id FROM audit_log")}
    assert {e for e, _ in acked} <= egress and {a for _, a in acked} <= audit
    assert AuditLog(db, AuditKeys(b"k" * 32)).verify() == (True, None)  # one unbroken chain
