"""Key files (server secret, integrity key, master key) are never seen half-written, even by workers starting together.

Three ``lingxi serve`` workers on one fresh home once failed at start: one created ``server.key`` empty and a
second read it before the first had written, and refused to start ("服务器密钥文件损坏").
"""

from __future__ import annotations

import multiprocessing
import os
from pathlib import Path

import pytest

from lingxi.privacy import crypto
from lingxi.privacy.crypto import integrity_key, write_key_file
from lingxi.server.keys import load_secret


def test_a_key_file_appears_only_complete(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "home" / "server.key"
    seen: list[bool] = []
    real_fsync = os.fsync

    def fsync_and_look(fd: int) -> None:
        seen.append(path.exists())  # while the bytes are being flushed, the key file must not be visible yet
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", fsync_and_look)
    write_key_file(path, b"k" * 32)
    assert seen == [False]
    assert path.read_bytes() == b"k" * 32
    assert oct(path.stat().st_mode & 0o777) == "0o600"
    assert sorted(p.name for p in path.parent.iterdir()) == ["server.key"]  # no temporary file left behind
    with pytest.raises(FileExistsError):
        write_key_file(path, b"x" * 32)  # never overwrites
    assert path.read_bytes() == b"k" * 32


def _start(home: str, barrier: multiprocessing.synchronize.Barrier, out: multiprocessing.queues.Queue[bytes]) -> None:
    os.environ.pop(crypto.INTEGRITY_ENV, None)
    barrier.wait()
    out.put(load_secret(Path(home)) + integrity_key(Path(home)))


def test_workers_starting_together_share_one_complete_secret(tmp_path: Path) -> None:
    ctx = multiprocessing.get_context("fork")
    workers = 6
    for round_ in range(10):
        home = tmp_path / f"home{round_}"
        barrier, out = ctx.Barrier(workers), ctx.Queue()
        procs = [ctx.Process(target=_start, args=(str(home), barrier, out)) for _ in range(workers)]
        for p in procs:
            p.start()
        for p in procs:
            p.join(60)
        assert [p.exitcode for p in procs] == [0] * workers
        keys = {out.get(timeout=10) for _ in range(workers)}
        assert len(keys) == 1 and len(next(iter(keys))) == 64
        assert sorted(p.name for p in home.iterdir()) == ["integrity.key", "server.key"]
