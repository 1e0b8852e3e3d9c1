"""A throwaway PostgreSQL server for tests: its own data dir, 127.0.0.1 on a free port, gone afterwards.

Why a real server rather than a fake: what the PostgreSQL store promises (conflicts decided by the server,
one worker's commit visible to another at once) only means something against PostgreSQL itself.
PostgreSQL refuses to run as root, so when the tests run as root (CI containers) the server runs as the
``postgres`` system user the distribution package creates. Durability is switched off (``fsync=off``):
this data lives for one test module. When no server can be had, :func:`postgres_or_skip` skips with the
reason — a missing database is never a silent pass.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

import pytest

RUN_AS = "postgres"


class PostgresUnavailable(Exception):
    """No PostgreSQL server could be started here; the message says why."""


def find_bindir() -> Path:
    """The directory holding ``initdb`` and ``pg_ctl`` (``pg_config --bindir``, else Debian's layout)."""
    candidates: list[str] = []
    if pg_config := shutil.which("pg_config"):
        out = subprocess.run([pg_config, "--bindir"], capture_output=True, text=True, check=False)
        candidates.append(out.stdout.strip())
    candidates += sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)  # newest major version first
    if initdb := shutil.which("initdb"):
        candidates.append(str(Path(initdb).parent))
    for c in candidates:
        if c and (Path(c) / "initdb").exists() and (Path(c) / "pg_ctl").exists():
            return Path(c)
    raise PostgresUnavailable("initdb/pg_ctl not found (install the postgresql package)")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def postgres_server(dbname: str = "lingxi_test") -> Iterator[str]:
    """Start a server, create ``dbname``, yield its DSN; stop it and delete its files on exit."""
    bindir = find_bindir()
    run_as: dict[str, Any] = {}
    if os.geteuid() == 0:
        try:
            user = pwd.getpwnam(RUN_AS)
        except KeyError:
            raise PostgresUnavailable(f"running as root and there is no '{RUN_AS}' user to run the server") from None
        run_as = {"user": user.pw_uid, "group": user.pw_gid, "extra_groups": []}
    root = Path(tempfile.mkdtemp(prefix="lingxi-pg-"))  # under /tmp: reachable by the server's user
    if run_as:
        os.chown(root, run_as["user"], run_as["group"])
    data, log, port = root / "data", root / "server.log", _free_port()

    def run(*cmd: str | Path, timeout: float = 60) -> None:
        try:
            done = subprocess.run(
                [str(c) for c in cmd], cwd=root, capture_output=True, text=True, timeout=timeout, check=False, **run_as
            )
        except (OSError, subprocess.SubprocessError) as exc:
            raise PostgresUnavailable(f"{Path(cmd[0]).name}: {exc}") from exc
        if done.returncode != 0:
            tail = (done.stderr or done.stdout).strip().splitlines()[-3:]
            if log.exists():
                tail += log.read_text(errors="replace").strip().splitlines()[-3:]
            raise PostgresUnavailable(f"{Path(cmd[0]).name} failed: {' | '.join(tail)}")

    started = False
    try:
        run(bindir / "initdb", "-D", data, "-U", "lingxi", "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync")
        opts = f"-k {root} -h 127.0.0.1 -p {port} -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        run(bindir / "pg_ctl", "start", "-w", "-t", "30", "-D", data, "-l", log, "-o", opts)
        started = True
        run(bindir / "createdb", "-h", "127.0.0.1", "-p", str(port), "-U", "lingxi", dbname)
        yield f"host=127.0.0.1 port={port} user=lingxi dbname={dbname}"
    finally:
        if started:
            subprocess.run(
                [str(bindir / "pg_ctl"), "stop", "-D", str(data), "-m", "immediate", "-w"],
                cwd=root,
                capture_output=True,
                timeout=30,
                check=False,
                **run_as,
            )
        shutil.rmtree(root, ignore_errors=True)


@contextmanager
def postgres_or_skip(dbname: str = "lingxi_test") -> Iterator[str]:
    """:func:`postgres_server` for a fixture: skips the tests, with the reason, when none can be started."""
    with ExitStack() as stack:
        try:
            dsn = stack.enter_context(postgres_server(dbname))
        except PostgresUnavailable as exc:
            pytest.skip(f"PostgreSQL not available: {exc}")
        yield dsn
