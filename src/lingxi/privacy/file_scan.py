"""After a deletion, search the raw database file for the deleted events — but only with needles that prove something.

A search of the file's bytes (database and ``-wal``) is evidence only if a needle cannot turn up by chance or
as part of data that legitimately stays. Two guards decide which needle each deleted event gets:

**Chance.** A needle of ``n`` bytes, searched in ``L`` bytes together with ``k`` other needles, is expected to
occur by chance ``L · k / 2^(b·n)`` times. For ciphertext and b-tree bookkeeping ``b`` would be 8 (random
bytes: ``256^n``), but ids are printable text and so are the plaintext parts of the file (other users' ids,
type names, the schema), so each byte is counted as :data:`BITS_PER_BYTE` = 6 bits (about 64 equally likely
characters) — a conservative model for the regions where a chance hit would actually come from. A needle is
used only if the expected chance hits over the whole search stay ≤ :data:`CHANCE_HITS` = 1e-6, i.e. it is at
least :func:`min_needle_bytes` long: 8 bytes for 1 MiB and 100 ids, 10 for 100 MiB and 10 000 ids. A 2-byte id
such as ``"a1"`` is expected in a 1 MiB file about ``2^20 / 2^12 = 256`` times, so finding it proves nothing.

**Live data.** A needle that occurs inside what stays — another user's event key (``user_id`` + ``event_id``,
stored adjacently), event type or source app, or the schema — would be found in a clean file. Such needles are
dropped; this generalizes the exact "another user uses the same event id" case. (Text in other tables is not
consulted: an id that also occurs there would raise a false alarm, never hide a leftover.)

Each deleted event then gets, in order of preference:

1. its **event id**, searched anywhere in the file (finds the id in the events table, the search index, the
   profile — wherever it was kept), when it passes both guards;
2. else its **record key** ``user_id ‖ event_id``: SQLite stores a record as a header of serial types followed
   by the column values back to back, and ``events`` (a ``WITHOUT ROWID`` table keyed by ``(user_id, event_id)``)
   puts these two first, so a row — live, or freed but not zeroed — holds them adjacently, in leaf and interior
   cells alike, and so does the search index's content table. This is usually long enough even for short ids,
   but it does not find the id where it was kept without the user id beside it (e.g. inside the profile);
3. else nothing: the event is counted as *unchecked* and the receipt says so.

A classical byte search (Aho-Corasick), no model involved.
"""

from __future__ import annotations

import math
import sqlite3
from collections.abc import Callable, Iterable
from pathlib import Path

from pydantic import BaseModel

from lingxi.text_match import BytesAhoCorasick

BITS_PER_BYTE = 6
CHANCE_HITS = 1e-6
NEEDLES_DESCRIPTION = (
    "event ids of at least min_needle_bytes bytes, searched anywhere in the file; for shorter ids the record key "
    "user_id+event_id as SQLite stores it in a row; ids whose needle is still too short, or occurs in data that "
    "stays, are unchecked"
)


class FileCheck(BaseModel):
    """What the raw-file search of a deletion looked for and found (counts are deleted events)."""

    checked_ids: int
    checked_by_event_id: int
    checked_by_record_key: int
    unchecked_ids: int
    found_ids: int
    min_needle_bytes: int
    searched_bytes: int
    needles: str = NEEDLES_DESCRIPTION


def chance_hits(needle_bytes: int, haystack_bytes: int, needles: int) -> float:
    """Expected chance occurrences of ``needles`` needles of ``needle_bytes`` each in ``haystack_bytes`` bytes."""
    return haystack_bytes * needles / 2.0 ** (BITS_PER_BYTE * needle_bytes)


def min_needle_bytes(haystack_bytes: int, needles: int) -> int:
    """The shortest needle length whose expected chance hits over the search are at most :data:`CHANCE_HITS`."""
    scale = max(haystack_bytes, 1) * max(needles, 1) / CHANCE_HITS
    n = max(1, math.ceil(math.log2(scale) / BITS_PER_BYTE))
    while chance_hits(n, haystack_bytes, needles) > CHANCE_HITS:  # guard against float rounding at the boundary
        n += 1
    return n


def _find(needles: Iterable[bytes]) -> Callable[[bytes], set[bytes]]:
    """Which of ``needles`` (an empty one never counts) occur in a buffer, overlapping ones too."""
    keys = [n for n in needles if n]
    if not keys:
        return lambda _data: set()
    automaton = BytesAhoCorasick(keys)
    return lambda data: {keys[i] for i, _, _ in automaton.find_matches_as_indexes(data, overlapping=True)}


def find_in_files(paths: Iterable[Path], needles: set[bytes]) -> set[bytes]:
    """Which of ``needles`` occur in the raw bytes of ``paths`` (one pass per file, in 8 MiB chunks)."""
    if not needles:
        return set()
    find = _find(needles)
    overlap = max(len(n) for n in needles) - 1
    found: set[bytes] = set()
    for path in paths:
        if not path.exists():
            continue
        with path.open("rb") as f:
            tail = b""
            while chunk := f.read(8 << 20):
                window = tail + chunk
                found |= find(window)
                tail = window[-overlap:] if overlap else b""
    return found


def _in_live_data(conn: sqlite3.Connection, needles: set[bytes]) -> set[bytes]:
    """The needles that occur inside data that stays: remaining event keys, types, source apps, the schema."""
    if not needles:
        return set()
    find = _find(needles)
    hits: set[bytes] = set()

    def scan(text: str) -> None:
        hits.update(find(text.encode("utf-8")))

    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    # the events, where this file holds them (with PostgreSQL it holds what the index derived from them)
    live = (
        "SELECT user_id, event_id, type, source_app FROM events"
        if "events" in tables
        else "SELECT user_id, event_id, kind, '' FROM search_fts"
    )
    for row in conn.execute(live) if "events" in tables or "search_fts" in tables else ():
        scan(f"{row[0]}{row[1]}{row[2]}")  # as stored: the record's first values back to back
        scan(str(row[3]))
    for (sql,) in conn.execute("SELECT sql FROM sqlite_master WHERE sql IS NOT NULL"):
        scan(str(sql))
    return hits


def scan_deleted_events(
    conn: sqlite3.Connection, paths: list[Path], user_id: str, event_ids: Iterable[str]
) -> tuple[bool | None, FileCheck]:
    """Search ``paths`` for the deleted ``event_ids`` of ``user_id``; return ``(scrubbed, what was checked)``.

    Call after the deletion (the live-data guard reads what remains through ``conn``). ``scrubbed`` is True
    when no needle was found, False when one was, None when no event could be checked (or there were none).
    """
    ids = sorted(set(event_ids))
    size = sum(p.stat().st_size for p in paths if p.exists())
    shortest = min_needle_bytes(size, len(ids))
    raw = {i: i.encode("utf-8") for i in ids}
    keyed = {i: (user_id + i).encode("utf-8") for i in ids}
    live = _in_live_data(conn, set(raw.values()) | set(keyed.values()))
    needles: dict[str, bytes] = {}  # event id -> the needle that checks it: the id itself, else the record key
    for i in ids:
        usable = [n for n in (raw[i], keyed[i]) if len(n) >= shortest and n not in live]
        if usable:
            needles[i] = usable[0]
    found = find_in_files(paths, set(needles.values()))
    by_id = sum(1 for i, n in needles.items() if n == raw[i])
    check = FileCheck(
        checked_ids=len(needles),
        checked_by_event_id=by_id,
        checked_by_record_key=len(needles) - by_id,
        unchecked_ids=len(ids) - len(needles),
        found_ids=sum(1 for n in needles.values() if n in found),
        min_needle_bytes=shortest,
        searched_bytes=size,
    )
    return (None if not needles else not check.found_ids), check
