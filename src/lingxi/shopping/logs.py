"""The public interaction logs the offline evaluation reads, and the protocol that turns each into cases.

Both protocols use one global time split, so every method trains on exactly the same past and nothing leaks
from the future; they were fixed before any result was looked at.

* **UCI Online Retail** (purchases only; :func:`load_baskets`, :func:`split`): one invoice = one basket; a user
  with a basket before the cutoff and one at/after it is a case whose targets are the items of that first later
  basket they had not bought before (users whose basket holds only re-buys are skipped); every method excludes
  the items the user bought before — next-basket discovery.
* **OTTO sessions** (:func:`load_sessions`, :func:`split_sessions`): a session is a user; each event is a
  one-item ``view`` (``cart``, ``order`` when typed: a typed log is scored on its orders, as UCI is). In a
  views-only log, a session with events on both sides of the cutoff is a case; its target is the first item
  at/after the cutoff that is not the item it viewed last before the cutoff (a repeat of the page just seen is a
  reload, trivial to predict); that last item is excluded from every ranking, items seen earlier in the session
  are not (going back to something looked at before is what users do). Training = every event before the cutoff.
"""

from __future__ import annotations

import csv
import gzip
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from lingxi.errors import InvalidInput, NotFound

SHARED = Path("/work/shared/data/shopping")
DEFAULT_DATA = SHARED / "online_retail_uci_subset.csv.gz"
OTTO_DATA = SHARED / "otto_train_3000_sessions_untyped.jsonl.gz"
UCI_URL = "https://archive.ics.uci.edu/dataset/352/online+retail"
OTTO_URL = "https://github.com/otto-de/recsys-dataset"
_PRODUCT = re.compile(r"^\d{5}")
_OTTO_KIND = {"clicks": "view", "carts": "cart", "orders": "order"}


@dataclass(frozen=True)
class Basket:
    user: str
    ts: int
    items: tuple[str, ...]  # distinct item ids, in row order
    invoice: str
    kind: str = "order"  # order | view | cart | favorite


@dataclass(frozen=True)
class Case:
    user: str
    history: frozenset[str]  # items no method may recommend (bought before; or the item just viewed)
    targets: frozenset[str]


def load_baskets(path: Path, *, max_rows: int | None = None) -> tuple[list[Basket], dict[str, str]]:
    """Cleaned baskets in time order, and a name per stock code (its first description)."""
    if not path.exists():
        raise _missing(path, UCI_URL)
    opener = gzip.open if path.suffix == ".gz" else open
    rows: dict[str, tuple[str, int, list[str]]] = {}
    names: dict[str, str] = {}
    with opener(path, "rt", encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        missing = {"InvoiceNo", "StockCode", "Quantity", "InvoiceDate", "CustomerID"} - set(reader.fieldnames or [])
        if missing:
            raise InvalidInput(
                f"{path}: missing columns {sorted(missing)}", message_zh=f"数据缺少列：{sorted(missing)}"
            )
        for n, r in enumerate(reader):
            if max_rows is not None and n >= max_rows:
                break
            inv, code, cust = r["InvoiceNo"], r["StockCode"].strip().upper(), r["CustomerID"].strip()
            if inv.startswith("C") or not cust or not _PRODUCT.match(code) or float(r["Quantity"] or 0) <= 0:
                continue
            names.setdefault(code, (r.get("Description") or code).strip() or code)
            if inv not in rows:
                ts = int(datetime.strptime(r["InvoiceDate"], "%Y-%m-%d %H:%M").replace(tzinfo=UTC).timestamp() * 1000)
                rows[inv] = (cust.split(".")[0], ts, [])
            if code not in rows[inv][2]:
                rows[inv][2].append(code)
    baskets = [Basket(u, ts, tuple(items), inv) for inv, (u, ts, items) in rows.items()]
    return sorted(baskets, key=lambda b: (b.ts, b.invoice)), names


def split(baskets: Sequence[Basket], cutoff: int, until: int | None = None) -> tuple[list[Basket], list[Case]]:
    """Training baskets (before ``cutoff``) and one case per user with a new-item basket in [cutoff, until)."""
    train = [b for b in baskets if b.ts < cutoff]
    bought: dict[str, set[str]] = {}
    for b in train:
        bought.setdefault(b.user, set()).update(b.items)
    cases: dict[str, Case] = {}
    for b in baskets:
        if b.ts < cutoff or (until is not None and b.ts >= until) or b.user not in bought or b.user in cases:
            continue
        new = frozenset(b.items) - bought[b.user]
        cases[b.user] = Case(b.user, frozenset(bought[b.user]), new)  # first basket decides, even if all re-buys
    return train, [c for c in cases.values() if c.targets]


def _missing(path: Path, url: str) -> NotFound:
    return NotFound(f"{path} not found", message_zh=f"找不到数据文件 {path}", hint=f"get the data from {url}")


def load_sessions(path: Path, *, untyped: bool = False) -> list[Basket]:
    """OTTO-shaped JSON lines (``{"session", "events": [{"aid", "ts", "type"}]}``) as one-item events in time
    order. ``untyped``: the file has no ``type`` (every event is read as a view); otherwise a missing type is an
    error, never silently a click."""
    if not path.exists():
        raise _missing(path, OTTO_URL)
    opener = gzip.open if path.suffix == ".gz" else open
    out: list[Basket] = []
    with opener(path, "rt", encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            try:
                row = json.loads(line)
                session = str(row["session"])
                for i, e in enumerate(row["events"]):
                    kind = "view" if untyped else _OTTO_KIND[e["type"]]
                    out.append(Basket(session, int(e["ts"]), (str(e["aid"]),), f"{session}-{i}", kind))
            except (KeyError, TypeError, ValueError) as exc:
                raise InvalidInput(
                    f"{path}:{n}: not an OTTO session line ({exc!r})", message_zh=f"{path} 第 {n} 行不是 OTTO 会话格式"
                ) from exc
    return sorted(out, key=lambda b: (b.ts, b.invoice))


def split_sessions(events: Sequence[Basket], cutoff: int, until: int | None = None) -> tuple[list[Basket], list[Case]]:
    """Training events (before ``cutoff``) and one case per session that goes on in [cutoff, until).

    A log with orders (typed OTTO, Taobao-shaped) is scored on purchases, as UCI is: the target is the first
    order after the cutoff of an item not bought before, and bought items are excluded. A views-only log: the
    next item that is not the one just viewed, which alone is excluded."""
    train = [b for b in events if b.ts < cutoff]
    purchases = any(b.kind == "order" for b in events)
    last: dict[str, str] = {}
    bought: dict[str, set[str]] = {}
    for b in train:
        last[b.user] = b.items[-1]
        if b.kind == "order":
            bought.setdefault(b.user, set()).update(b.items)
    cases: dict[str, Case] = {}
    for b in events:
        if b.ts < cutoff or (until is not None and b.ts >= until) or b.user not in last or b.user in cases:
            continue
        if purchases and b.kind == "order":
            own = frozenset(bought.get(b.user, set()))
            if new := frozenset(b.items) - own:
                cases[b.user] = Case(b.user, own, new)
        elif not purchases and b.items[-1] != last[b.user]:
            cases[b.user] = Case(b.user, frozenset({last[b.user]}), frozenset({b.items[-1]}))
    return train, list(cases.values())
