"""Gateway overhead: what ``lingxi serve`` adds per chat request, side by side with the upstream alone.

Processes, as in a deployment: a zero-latency OpenAI-compatible upstream on loopback (a minimal asyncio
HTTP/1.1 server in its own process, answers prebuilt: it costs the client ~0.1 ms, so what the gateway adds
is not hidden under the upstream), ``lingxi serve`` with that upstream configured as a cloud model (preset
``deepseek``, its key read from an environment variable, so the whole cloud path runs: screening, routing,
egress redaction and log, labels, audit), and this client. Targets:

- ``upstream``: the upstream alone (the floor every gateway adds to);
- ``lingxi``: this checkout's ``lingxi serve``;
- ``before``: with ``--before SRC`` (the ``src`` folder of another checkout, e.g.
  ``mkdir /tmp/lx-before && git archive main src | tar -x -C /tmp/lx-before``), the same on that code:
  a change measured in the same run, not across runs on a noisy machine; ``--before SRC`` twice adds
  ``before-2``, the same code again, so the run shows its own noise floor (A/A);
- ``litellm``: a LiteLLM proxy on the same upstream, when its ``litellm`` command is found (``--litellm``
  or PATH; install it in its own venv: ``pip install 'litellm[proxy]'``; it is not a lingxi dependency).

Each repetition runs every target in turn (the order rotates per repetition, so drift hits all alike);
medians over repetitions are printed. Per target and repetition: ``--sequential`` non-streamed requests one
at a time (latency), as many streamed ones (time to first token and to the last byte), then ``--concurrent``
requests of each kind from 16 clients at once (throughput). The prompt is 1 KB of Chinese text; a streamed
answer is 50 content chunks. CPU per request is the gateway process's user + system time
(``/proc/PID/stat``) over a phase, divided by its requests. "Added" is the target's percentile minus the
upstream's in the same repetition.

Never part of the test suite:
``.venv/bin/python benchmarks/bench_gateway.py [--before SRC] [--litellm PATH] [--repetitions 3]``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_load import free_port, wait_http

BENCH_KEY = "sk-lingxi-bench-0123456789abcdef0123456789abcdef"
KEY_ENV = "LINGXI_BENCH_UPSTREAM_KEY"
CHUNKS = 50
CLIENTS = 16
#: about 1 KB of UTF-8 (3 bytes per Chinese character), ordinary work-chat text with no personal data
SENTENCE = (
    "请帮我整理一下明天项目例会的要点：先回顾上周的进度，再讨论接口改动对客户端的影响，最后安排测试和上线的时间。"
)
PROMPT = (SENTENCE * 7)[:340]

#: the upstream: HTTP/1.1 keep-alive, Content-Length bodies, answers built once; stream answers are sent whole
UPSTREAM = r"""
import asyncio, json, socket, sys
CHUNKS = int(sys.argv[1])
def sse(obj):
    return b"data: " + json.dumps(obj, ensure_ascii=False).encode() + b"\n\n"
def chunk(delta, finish=None):
    return {"id": "chatcmpl-up", "object": "chat.completion.chunk", "created": 0, "model": "fake",
            "choices": [{"index": 0, "delta": delta, "finish_reason": finish}]}
USAGE = {"prompt_tokens": 300, "completion_tokens": CHUNKS, "total_tokens": 300 + CHUNKS}
TEXT = "好的，我已经把会议要点整理好了。"
COMPLETE = json.dumps({"id": "chatcmpl-up", "object": "chat.completion", "created": 0, "model": "fake",
    "choices": [{"index": 0, "message": {"role": "assistant", "content": TEXT * 3}, "finish_reason": "stop"}],
    "usage": USAGE}, ensure_ascii=False).encode()
PIECES = [sse(chunk({"role": "assistant", "content": ""}))] + [sse(chunk({"content": "好的"})) for _ in range(CHUNKS)]
STREAM = b"".join(PIECES + [sse(chunk({}, "stop"))])
STREAM_USAGE = STREAM + sse({"id": "chatcmpl-up", "object": "chat.completion.chunk", "created": 0,
    "model": "fake", "choices": [], "usage": USAGE})
def response(body, ctype):
    return (b"HTTP/1.1 200 OK\r\ncontent-type: " + ctype + b"\r\ncontent-length: " + str(len(body)).encode()
            + b"\r\n\r\n" + body)
R_COMPLETE = response(COMPLETE, b"application/json")
R_STREAM = response(STREAM + b"data: [DONE]\n\n", b"text/event-stream")
R_STREAM_USAGE = response(STREAM_USAGE + b"data: [DONE]\n\n", b"text/event-stream")
R_OTHER = response(b'{"object": "list", "data": []}', b"application/json")

class Upstream(asyncio.Protocol):
    def connection_made(self, transport):
        self.t, self.buf = transport, b""
    def data_received(self, data):
        self.buf += data
        while True:
            end = self.buf.find(b"\r\n\r\n")
            if end < 0:
                return
            head = self.buf[:end].lower()
            size = 0
            at = head.find(b"content-length:")
            if at >= 0:
                size = int(head[at + 15:head.find(b"\r\n", at) if head.find(b"\r\n", at) > 0 else None])
            if len(self.buf) < end + 4 + size:
                return
            body, self.buf = self.buf[end + 4:end + 4 + size], self.buf[end + 4 + size:]
            if not head.startswith(b"post"):
                self.t.write(R_OTHER)
            elif b'"stream":true' in body.replace(b" ", b""):
                self.t.write(R_STREAM_USAGE if b"include_usage" in body else R_STREAM)
            else:
                self.t.write(R_COMPLETE)

async def main():
    sock = socket.socket(); sock.bind(("127.0.0.1", 0))
    server = await asyncio.get_running_loop().create_server(Upstream, sock=sock)
    print(f"http://127.0.0.1:{sock.getsockname()[1]}/v1", flush=True)
    await server.serve_forever()
asyncio.run(main())
"""


def cpu_ms(pid: int) -> float:
    """User + system CPU time of process ``pid`` so far (fields 14 and 15 of /proc/PID/stat), in ms."""
    stat = Path(f"/proc/{pid}/stat").read_text()
    fields = stat[stat.rindex(")") + 2 :].split()
    return (int(fields[11]) + int(fields[12])) * 1000 / os.sysconf("SC_CLK_TCK")


def native_parts(pid: int) -> str:
    """Which of uvloop and httptools process ``pid`` has loaded (its memory map), to show what serves."""
    maps = Path(f"/proc/{pid}/maps").read_text()
    found = [name for name, so in (("uvloop", "/uvloop/loop."), ("httptools", "/httptools/parser/")) if so in maps]
    return " + ".join(found) or "neither uvloop nor httptools"


def start(cmd: list[str], env: dict[str, str] | None = None, *, read: bool = False) -> subprocess.Popen[str]:
    out = subprocess.PIPE if read else subprocess.DEVNULL
    return subprocess.Popen(cmd, stdout=out, stderr=subprocess.DEVNULL, text=True, env=env)


def gateway(upstream: str, home: Path, src: str | None) -> tuple[subprocess.Popen[str], str]:
    """``lingxi serve`` with ``upstream`` as cloud model ``bench/fake`` (key from the environment)."""
    home.mkdir()
    (home / "lingxi.toml").write_text(
        'default_model = "bench/fake"\n'
        f'[providers.bench]\npreset = "deepseek"\nbase_url = "{upstream}"\nkey_env = "{KEY_ENV}"\nmodels = ["fake"]\n'
    )
    port = free_port()
    env = {**os.environ, "LINGXI_HOME": str(home), KEY_ENV: "sk-bench-upstream"}
    if src:  # ahead of the editable install's path entry, so that checkout's ``lingxi`` is the one imported
        env["PYTHONPATH"] = os.pathsep.join([str(Path(src).resolve()), *filter(None, [env.get("PYTHONPATH")])])
    else:
        env["PYTHONPATH"] = os.pathsep.join([str(Path(__file__).resolve().parents[1] / "src")])
    cli = [sys.executable, "-c", "from lingxi.cli import main; main()"]
    # the default user of a loopback server without keys; a cloud model needs its consent (PIPL Art. 23)
    subprocess.run([*cli, "privacy", "grant", "local", "cloud_processing"], env=env, check=True, capture_output=True)
    proc = start([*cli, "serve", "--port", str(port)], env)
    wait_http(f"http://127.0.0.1:{port}/healthz", proc, timeout_s=90)
    return proc, f"http://127.0.0.1:{port}/v1"


def litellm_proxy(upstream: str, tmp: Path, exe: str | None) -> tuple[subprocess.Popen[str], str] | None:
    exe = exe or shutil.which("litellm") or str(Path(sys.executable).parent / "litellm")
    if not Path(exe).exists():
        return None
    config = tmp / "litellm.yaml"
    config.write_text(
        "model_list:\n  - model_name: fake\n    litellm_params:\n"
        f"      model: openai/fake\n      api_base: {upstream}\n      api_key: os.environ/{KEY_ENV}\n"
    )
    port = free_port()
    env = {**os.environ, "LITELLM_MASTER_KEY": BENCH_KEY, KEY_ENV: "sk-bench-upstream"}
    proc = start([exe, "--config", str(config), "--port", str(port), "--num_workers", "1"], env)
    wait_http(f"http://127.0.0.1:{port}/health/liveliness", proc, timeout_s=180)
    return proc, f"http://127.0.0.1:{port}/v1"


def pct(values: list[float], q: int) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1] if len(values) > 1 else values[0]


async def one(client: httpx.AsyncClient, url: str, model: str, stream: bool) -> tuple[float, float]:
    """One chat request: (ms to the first content token, ms to the last byte); raises on any failure."""
    body = {"model": model, "stream": stream, "messages": [{"role": "user", "content": PROMPT}]}
    start = time.perf_counter()
    if not stream:
        r = await client.post(f"{url}/chat/completions", json=body)
        r.raise_for_status()
        if not r.json()["choices"][0]["message"]["content"]:
            raise RuntimeError("empty answer")
        end = time.perf_counter()
        return (end - start) * 1000, (end - start) * 1000
    first = None
    done = False
    async with client.stream("POST", f"{url}/chat/completions", json=body) as r:
        r.raise_for_status()
        async for line in r.aiter_lines():
            if (
                first is None
                and line.startswith("data: {")
                and '"content":"' in line.replace(" ", "").replace('"content":""', "")
            ):
                first = time.perf_counter()
            done = done or line == "data: [DONE]"
    end = time.perf_counter()
    if not done or first is None:
        raise RuntimeError("stream cut short")
    return ((first or end) - start) * 1000, (end - start) * 1000


async def phase(url: str, model: str, stream: bool, n: int, clients: int) -> tuple[list[float], list[float], float]:
    """``n`` requests from ``clients`` clients at once: first-token and last-byte latencies, wall seconds."""
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients, keepalive_expiry=2.0)
    firsts: list[float] = []
    lasts: list[float] = []
    headers = {"Authorization": f"Bearer {BENCH_KEY}"}  # LiteLLM's master key; ignored by the others
    async with httpx.AsyncClient(limits=limits, timeout=httpx.Timeout(60), headers=headers) as client:
        queue = iter(range(n))

        async def worker() -> None:
            for _ in queue:
                f, last = await one(client, url, model, stream)
                firsts.append(f)
                lasts.append(last)

        t = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(clients)))
        return firsts, lasts, time.perf_counter() - t


Result = dict[str, float]


def measure(url: str, model: str, pid: int, sequential: int, concurrent: int) -> Result:
    out: Result = {}
    for stream in (False, True):
        kind = "stream" if stream else "plain"
        c0 = cpu_ms(pid)
        firsts, lasts, _ = asyncio.run(phase(url, model, stream, sequential, 1))
        out[f"{kind}_cpu_seq"] = (cpu_ms(pid) - c0) / sequential
        out[f"{kind}_p50"], out[f"{kind}_p99"] = pct(lasts, 50), pct(lasts, 99)
        if stream:
            out["ttft_p50"], out["ttft_p99"] = pct(firsts, 50), pct(firsts, 99)
        c0 = cpu_ms(pid)
        _, _, wall = asyncio.run(phase(url, model, stream, concurrent, CLIENTS))
        out[f"{kind}_rps"] = concurrent / wall
        out[f"{kind}_cpu_conc"] = (cpu_ms(pid) - c0) / concurrent
    return out


ROWS = [
    ("non-stream latency p50 (ms)", "plain_p50", True),
    ("non-stream latency p99 (ms)", "plain_p99", True),
    ("stream first token p50 (ms)", "ttft_p50", True),
    ("stream first token p99 (ms)", "ttft_p99", True),
    ("stream last byte p50 (ms)", "stream_p50", True),
    ("stream last byte p99 (ms)", "stream_p99", True),
    (f"non-stream req/s, {CLIENTS} clients", "plain_rps", False),
    (f"stream req/s, {CLIENTS} clients", "stream_rps", False),
    ("CPU ms/request non-stream (seq)", "plain_cpu_seq", False),
    ("CPU ms/request stream (seq)", "stream_cpu_seq", False),
    (f"CPU ms/request non-stream ({CLIENTS} cl.)", "plain_cpu_conc", False),
    (f"CPU ms/request stream ({CLIENTS} cl.)", "stream_cpu_conc", False),
]


#: the rows whose every repetition is printed (the claims of issue 19: sequential CPU and added latency)
SPREAD = [
    ("CPU ms/req non-stream (seq)", "plain_cpu_seq", False),
    ("CPU ms/req stream (seq)", "stream_cpu_seq", False),
    ("added non-stream p50 (ms)", "plain_p50", True),
    ("added last streamed byte p50 (ms)", "stream_p50", True),
]


def report(runs: dict[str, list[Result]]) -> None:
    names = list(runs)
    reps = len(runs["upstream"])
    added: dict[str, list[Result]] = defaultdict(list)
    for name in names:  # added latency: the target minus the upstream of the same repetition
        for i in range(reps):
            added[name].append({k: runs[name][i][k] - runs["upstream"][i][k] for _, k, lat in ROWS if lat})

    def med(rs: list[Result], key: str) -> float:
        return statistics.median(r[key] for r in rs)

    width = 38
    print(f"{'median of ' + str(reps) + ' repetitions':<{width}}" + "".join(f"{n:>12}" for n in names))
    for label, key, latency in ROWS:
        print(f"{label:<{width}}" + "".join(f"{med(runs[n], key):12.2f}" for n in names))
        if latency:
            print(f"{'  added by the gateway':<{width}}" + "".join(f"{med(added[n], key):12.2f}" for n in names))
    pairs = [("lingxi", n) for n in names if n not in ("upstream", "lingxi")]
    if "before-2" in names:  # the same code twice: how far apart two identical gateways land (the noise floor)
        pairs.append(("before-2", "before"))
    print("\nspread: each repetition's value (in run order), per target")
    for label, key, latency in SPREAD:
        source = added if latency else runs
        shown = [n for n in names if not (latency and n == "upstream")]  # (the upstream adds nothing to itself)
        print(
            f"  {label:<{width - 2}}"
            + "".join(f"  {n}: " + " ".join(f"{r[key]:.2f}" for r in source[n]) for n in shown)
        )
    for mine, other in pairs:
        print(f"\n{mine} vs {other} (ratio of medians; < 1 is better for latency and CPU, > 1 for req/s):")
        for label, key, latency in ROWS:
            if key.endswith("rps"):
                ratio = med(runs[mine], key) / med(runs[other], key)
            elif latency:
                ratio = med(added[mine], key) / max(med(added[other], key), 1e-9)
                label = label.replace("(ms)", "added")
            else:
                ratio = med(runs[mine], key) / max(med(runs[other], key), 1e-9)
            print(f"  {label:<{width}} {ratio:6.2f}×")
        # the same ratio within each repetition (both measured minutes apart): a change is robust when every
        # repetition agrees, not only the medians
        for label, key, latency in SPREAD:
            a, b = (added if latency else runs)[mine], (added if latency else runs)[other]
            each = [x[key] / max(y[key], 1e-9) for x, y in zip(a, b, strict=True)]
            shown = " ".join(f"{r:.2f}" for r in each)
            print(f"  {label + ', each repetition':<{width + 10}} {shown}  (median {statistics.median(each):.2f}×)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repetitions", type=int, default=3)
    ap.add_argument("--sequential", type=int, default=300, help="requests one at a time, per kind and repetition")
    ap.add_argument("--concurrent", type=int, default=600, help=f"requests from {CLIENTS} clients, per kind")
    ap.add_argument(
        "--before",
        metavar="SRC",
        action="append",
        help="src folder of another checkout: its gateway is target 'before'; give the same SRC twice for an "
        "A/A run ('before-2': the noise floor of this machine, printed as before-2 vs before)",
    )
    ap.add_argument("--litellm", help="the litellm command, e.g. from its own venv: /opt/litellm/bin/litellm")
    args = ap.parse_args()
    procs: list[subprocess.Popen[str]] = []
    runs: dict[str, list[Result]] = {}
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        try:
            up = start([sys.executable, "-c", UPSTREAM, str(CHUNKS)], read=True)
            procs.append(up)
            assert up.stdout is not None
            upstream = up.stdout.readline().strip()
            targets = [("upstream", upstream, "fake", up.pid)]
            for i, before in enumerate(args.before or []):
                name = "before" if i == 0 else f"before-{i + 1}"
                old, url = gateway(upstream, tmp / f"home-{name}", before)
                procs.append(old)
                targets.append((name, url, "bench/fake", old.pid))
            ours, url = gateway(upstream, tmp / "home", None)
            procs.append(ours)
            targets.append(("lingxi", url, "bench/fake", ours.pid))
            lite = litellm_proxy(upstream, tmp, args.litellm)
            if lite:
                procs.append(lite[0])
                targets.append(("litellm", lite[1], "fake", lite[0].pid))
            for _, url, model, _ in targets:  # warm-up: imports, dictionaries, connection pools
                for stream in (False, True):
                    asyncio.run(phase(url, model, stream, 100, CLIENTS))
            runs = {name: [] for name, _, _, _ in targets}
            for name, _, _, pid in targets[1:]:
                print(f"{name}: {native_parts(pid)} loaded", file=sys.stderr, flush=True)
            for rep in range(args.repetitions):
                order = targets[rep % len(targets) :] + targets[: rep % len(targets)]
                for name, url, model, pid in order:
                    runs[name].append(measure(url, model, pid, args.sequential, args.concurrent))
                    print(f"repetition {rep + 1}: {name} done", file=sys.stderr, flush=True)
        finally:
            for p in procs:
                p.terminate()
                p.wait(timeout=15)
    print(
        f"{args.repetitions} repetitions (targets interleaved, order rotating) × {args.sequential} sequential + "
        f"{args.concurrent} concurrent requests per kind; 1 KB Chinese prompt ({len(PROMPT.encode())} bytes), "
        f"{CHUNKS}-chunk stream; {os.cpu_count()} cores"
    )
    report(runs)
    if "litellm" not in runs:
        print("\nLiteLLM proxy: not installed (pip install 'litellm[proxy]' in its own venv, then --litellm PATH)")
    medians = {n: {k: statistics.median(r[k] for r in rs) for k in rs[0]} for n, rs in runs.items()}
    print(json.dumps({"medians": medians}))


if __name__ == "__main__":
    main()
