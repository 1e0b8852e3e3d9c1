"""Runs one lingxi tree's smart replies over the generated set: ``python reply_worker.py ITEMS.json OUT.json``.

Started by ``bench_replies.py`` as a subprocess with ``PYTHONPATH`` pointing at the tree to measure (main's
``src`` or this one), so both trees answer the same items in one run. Uses only APIs both trees have
(``Lingxi``, ``ingest``, ``consents.grant``, ``replies.suggest``). An event a tree refuses (a v2 kind or
field main does not know) is counted and skipped, never fatal.
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

from lingxi import Lingxi
from lingxi.context.events import parse_event
from lingxi.privacy.consent import Scope


def main() -> None:
    items = json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))
    out = []
    with tempfile.TemporaryDirectory() as home:
        lx = Lingxi(Path(home))
        refused = 0
        events = []
        for item in items:
            for e in item["events"]:
                try:
                    events.append(parse_event(e))
                except Exception:  # a kind or field this tree does not know
                    refused += 1
            scopes = (Scope.MESSAGES, Scope.CALENDAR, Scope.SHOPPING, Scope.PAYMENTS)
            lx.consents.grant(item["user_id"], *scopes, source="bench")
        lx.ingest(events)
        for item in items:
            r = lx.replies.suggest(item["user_id"], item["conversation_id"], now_ms=item["now_ms"])
            out.append({"item_id": item["item_id"], "candidates": [c.text for c in r.candidates]})
    Path(sys.argv[2]).write_text(json.dumps({"refused": refused, "results": out}, ensure_ascii=False), "utf-8")


if __name__ == "__main__":
    main()
