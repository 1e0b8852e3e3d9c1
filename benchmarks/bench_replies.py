"""Smart replies on generated users: acceptable first candidate, any-of-3, contradictions — main vs this tree.

Run by hand (lite tier, no model; main must be a checkout with its ``src``)::

    .venv/bin/python benchmarks/bench_replies.py --baseline /work/main [--seed 11] [--per 12] [--errors]

The set is :mod:`reply_set` (``make_items(seed, per)``: 18 scenarios × ``per`` items, each a generated user
with their own calendar, orders, payments, trips, contacts and past chats; see its docstring). Both trees
answer the same items in one run, each in a subprocess (:mod:`reply_worker`) with its own ``PYTHONPATH``.

Judging protocol (fixed before the first run; the same for both trees):

1. A candidate *contradicts* the user's data if it matches any of the item's ``forbid`` patterns.
2. A candidate is *acceptable* if it does not contradict, matches at least one ``accept`` pattern, and is not a
   bare acknowledgement (「好的」「收到」「好的，收到」 alone, particles and punctuation aside) when the item
   says ``no_stock``.
3. Per tree: first-candidate acceptable %, any-of-3 acceptable %, first candidates that contradict, items
   with any contradicting candidate, all contradicting candidates; items with fewer than one candidate count
   as unacceptable. Reported on all items and on the v1 items only (those main can ingest in full), and per
   scenario.

Caveat printed with the numbers: the set, its patterns and the rules have one author. The rules were tuned
on seed 7 with phrasings "a". Phrasings "b" were written after that; their first run (seed 11) is the
held-out figure, and rules were then fixed on what it showed (so "b" is no longer held out). Phrasings "c"
(the default) were written after those fixes and run once (seed 13) before anything else changed. The judge
patterns are the same for all and were not changed after the first run. Vocabulary still overlaps: treat the numbers as
optimistic, and the per-scenario lines as the useful part.

Variants "d", "e", "f" (issue 17, second round) are hand-written whole conversations, not slot templates
(:mod:`reply_hand`; each case ``max(1, per // 6)`` times): "d" held out (first run before any rule change; rerun
after each dev round, its items never inspected), "e" the dev set the rules were changed on, "f" written after
the rules were frozen and run once (its errors then prompted one more fix, so only its first run is held out).
Variant "g" (wave 4, :mod:`reply_set_g`: other voices — family groups, a landlord, a rider, a teacher) is held out:
run before and after the round, never with ``--errors``; "h" (:mod:`reply_set_h`) is that round's dev set.
Variant "i" (wave 5, :mod:`reply_set_i`: new voices — a clinic, a repair shop, a property manager, a shop's
customer service, a group buy, a boss asking for overtime) is held out the same way; "j" is wave 5's dev set.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
from collections import defaultdict
from dataclasses import asdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from reply_set import Item, make_items

HERE = Path(__file__).resolve().parent
_STOCK = re.compile(r"^(好的|好|嗯|嗯嗯|收到|知道了|了解|ok)[，,、。！!~～\s]*(收到|知道了|了解)?[。！!~～\s]*$", re.I)


def contradicts(text: str, item: Item) -> bool:
    return any(re.search(p, text) for p in item.forbid)


def acceptable(text: str, item: Item) -> bool:
    bare = re.sub(r"[呀啦哈哦呢😊🙂👌]+", "", text).strip()
    if contradicts(text, item) or (item.no_stock and _STOCK.match(bare)):
        return False
    return any(re.search(p, text) for p in item.accept)


def run_tree(src: Path, items: list[Item]) -> tuple[int, dict[str, list[str]]]:
    with tempfile.TemporaryDirectory() as tmp:
        inp, out = Path(tmp) / "items.json", Path(tmp) / "out.json"
        inp.write_text(json.dumps([asdict(i) for i in items], ensure_ascii=False), "utf-8")
        env = {**os.environ, "PYTHONPATH": str(src)}
        subprocess.run([sys.executable, str(HERE / "reply_worker.py"), str(inp), str(out)], env=env, check=True)
        data = json.loads(out.read_text("utf-8"))
    return data["refused"], {r["item_id"]: r["candidates"] for r in data["results"]}


def score(items: list[Item], answers: dict[str, list[str]]) -> dict[str, float]:
    n = len(items) or 1
    first_ok = sum(bool(a := answers[i.item_id]) and acceptable(a[0], i) for i in items)
    any_ok = sum(any(acceptable(c, i) for c in answers[i.item_id][:3]) for i in items)
    first_bad = sum(bool(a := answers[i.item_id]) and contradicts(a[0], i) for i in items)
    any_bad = sum(any(contradicts(c, i) for c in answers[i.item_id][:3]) for i in items)
    all_bad = sum(contradicts(c, i) for i in items for c in answers[i.item_id][:3])
    stock = sum(bool(a := answers[i.item_id]) and i.no_stock and not acceptable(a[0], i)
                and bool(_STOCK.match(re.sub(r"[呀啦哈哦呢😊🙂👌]+", "", a[0]).strip())) for i in items)  # fmt: skip
    return {
        "n": len(items), "first_ok": first_ok / n, "any_ok": any_ok / n, "first_bad": first_bad,
        "items_any_bad": any_bad, "cands_bad": all_bad, "stock_first": stock,
    }  # fmt: skip


def make_hand(args: argparse.Namespace) -> list[Item]:
    """Hand-written conversations: "d", "f" (held out, never tuned on) or "e" (the dev set fixes are made on)."""
    if args.variant == "d":
        from reply_set_d import make_items_d

        return make_items_d(args.seed, args.per)
    if args.variant == "f":
        from reply_set_f import make_items_f

        return make_items_f(args.seed, args.per)
    if args.variant == "g":
        from reply_set_g import make_items_g

        return make_items_g(args.seed, args.per)
    if args.variant == "h":
        from reply_set_h import make_items_h

        return make_items_h(args.seed, args.per)
    if args.variant == "i":
        from reply_set_i import make_items_i

        return make_items_i(args.seed, args.per)
    if args.variant == "j":
        from reply_set_j import make_items_j

        return make_items_j(args.seed, args.per)
    from reply_set_e import make_items_e

    return make_items_e(args.seed, args.per)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--baseline", type=Path, default=Path("/work/main"), help="main checkout (its src is run)")
    ap.add_argument("--seed", type=int, default=13, help="set seed (rules were tuned on seed 7; report another)")
    ap.add_argument("--per", type=int, default=12, help="items per scenario")
    ap.add_argument("--variant", choices=list("abcdefghij"), default="c", help="phrasings (see reply_set, _d … _j)")
    ap.add_argument("--errors", action="store_true", help="print this tree's unacceptable first candidates")
    args = ap.parse_args()
    items = make_items(args.seed, args.per, args.variant) if args.variant in "abc" else make_hand(args)
    trees = {"main": args.baseline / "src", "new": HERE.parent / "src"}
    answers, refused = {}, {}
    for name, src in trees.items():
        refused[name], answers[name] = run_tree(src, items)
    v1 = [i for i in items if not i.v2]
    print(f"smart replies, lite tier, seed {args.seed}, phrasings {args.variant}: {len(items)} items ({len(v1)} v1)")
    print(f"events refused at ingest: main {refused['main']}, new {refused['new']}")
    for label, subset in (("all items", items), ("v1 items", v1)):
        print(f"\n{label:<12} {'main':>10} {'new':>10}")
        rows = {name: score(subset, answers[name]) for name in trees}
        for key, title in (("first_ok", "first acceptable"), ("any_ok", "any of 3 acceptable")):
            print(f"{title:<24} {rows['main'][key]:>6.1%} {rows['new'][key]:>10.1%}")
        counts = {"first_bad": "first contradicts", "items_any_bad": "items any contradicts",
                  "cands_bad": "candidates contradicting", "stock_first": "stock reply first"}  # fmt: skip
        for key, title in counts.items():
            print(f"{title:<24} {rows['main'][key]:>6d} {rows['new'][key]:>10d}")
    head = ["first main", "first new", "any3 main", "any3 new", "bad m/n"]
    print(f"\n{'scenario':<24} {'n':>3} " + " ".join(f"{h:>10}" for h in head))
    groups: dict[str, list[Item]] = defaultdict(list)
    for i in items:
        groups[i.scenario].append(i)
    for name, group in groups.items():
        m, w = score(group, answers["main"]), score(group, answers["new"])
        bad = f"{m['items_any_bad']}/{w['items_any_bad']}"
        ratios = [m["first_ok"], w["first_ok"], m["any_ok"], w["any_ok"]]
        print(f"{name:<24} {len(group):>3} " + " ".join(f"{r:>10.0%}" for r in ratios) + f" {bad:>10}")
    print("\n(one author wrote the set, its patterns and the rules: optimistic; see the docstring)")
    if args.errors:
        for i in items:
            got = answers["new"][i.item_id]
            if not got or not acceptable(got[0], i) or any(contradicts(c, i) for c in got):
                print(i.item_id, got, [e["text"] for e in i.events if e["type"] == "message"][-2:])


if __name__ == "__main__":
    main()
