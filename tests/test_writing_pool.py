"""Long proofreads run in the writing tools' worker process (so they cannot hold the server's GIL) and give
exactly the edits the same rules give in place; a rebuilt model reaches the worker; a dead worker is replaced;
the worker ends with the server, however the server ends."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from lingxi.features import lmcheck, ngramlm, writing_pool
from lingxi.features.proofread import rule_edits
from lingxi.features.proofread_pool import long_rule_edits
from proofread_cases import load

SRC = Path(__file__).resolve().parents[1] / "src"


def _pid(text: str) -> int:
    del text
    return os.getpid()


@pytest.fixture(autouse=True)
def _started() -> None:
    writing_pool.start(_pid, "")  # as the server does


def test_long_texts_run_in_another_process_and_short_ones_in_place() -> None:
    assert writing_pool.run(_pid, "名" * (writing_pool.OFFLOAD_CHARS - 1)) == os.getpid()
    assert writing_pool.run(_pid, "名" * writing_pool.OFFLOAD_CHARS) != os.getpid()


def test_a_dead_worker_does_not_lose_the_answer() -> None:
    long = "名" * writing_pool.OFFLOAD_CHARS
    os.kill(writing_pool.run(_pid, long), signal.SIGKILL)
    assert writing_pool.run(_pid, long) > 0  # in place, or in a fresh worker
    assert writing_pool.run(_pid, long) != os.getpid()  # the pool is back


def _texts() -> list[str]:
    """Long texts of varied shape: the homophone set's sentences shuffled, with and without line breaks,
    a single-character run, and sentences cut mid-way with half-width marks and mixed quotes."""
    sentences = [case.text for case in load()]
    rng = random.Random(16)
    mixed = "".join(rng.choice([*sentences, "他说,“好的」。", "我觉的在见。。", "\n"]) for _ in range(900))
    return [
        "".join(rng.sample(sentences, len(sentences))) * 2,
        "\n".join(sentences * 3),
        "名" * 5_000,
        mixed[:20_000],
    ]


def test_pooled_edits_equal_in_place_edits() -> None:
    for text in _texts():
        assert len(text) >= writing_pool.OFFLOAD_CHARS
        assert long_rule_edits(rule_edits, text, None) == rule_edits(text)


def test_the_worker_uses_a_model_built_after_it_started(tmp_path: Path) -> None:
    """A build (here: a small language model, then a manifest whose margins let every candidate swap through)
    reaches the worker, which loaded the same home's model with the default margins before."""
    text = "".join(case.text for case in load())[: writing_pool.OFFLOAD_CHARS * 2]
    lm_file = lmcheck.lm_path(tmp_path)
    lm_file.parent.mkdir(parents=True)
    ngramlm.train([case.text for case in load()], []).save(lm_file)
    before = long_rule_edits(rule_edits, text, tmp_path)
    wide = lmcheck.LMMargins(-100.0, -100.0, -100.0, -100.0, 0.0, -100.0)
    lmcheck.manifest_path(tmp_path).write_text(json.dumps({"lm_margins": list(wide)}), encoding="utf-8")
    lmcheck.forget()  # as a build does, in this process
    after = long_rule_edits(rule_edits, text, tmp_path)
    assert after == rule_edits(text, home=tmp_path)
    assert len(after) > len(before)


def _alive(pid: int) -> bool:
    """Running, not a zombie waiting for a reaper (a container's PID 1 may never reap an orphan)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def _gone(pid: int) -> bool:
    for _ in range(600):  # a bound for a loaded machine, not a timing: the worker ends once it sees the parent go
        if not _alive(pid):
            return True
        time.sleep(0.1)
    return False


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads process states from /proc")
def test_the_worker_ends_when_its_server_is_killed() -> None:
    """A server killed outright (SIGKILL: no shutdown, no exit handlers) leaves no worker process behind."""
    script = (
        "import multiprocessing, time\n"
        "from lingxi.features import writing_pool\n"
        "writing_pool.start(len, '预热')\n"
        "print(multiprocessing.active_children()[0].pid, flush=True)\n"
        "time.sleep(600)\n"
    )
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(SRC), os.environ.get("PYTHONPATH")]))}
    server = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True, env=env)
    try:
        assert server.stdout is not None
        worker = int(server.stdout.readline())
        assert _alive(worker)
        server.kill()
        server.wait()
        assert _gone(worker)
    finally:
        server.kill()
