"""Identifiers and clocks: UUIDv7 ids and UTC epoch milliseconds.

UUIDv7 ids sort by creation time, which keeps audit and egress records in insertion order across processes.
The standard library only gains ``uuid.uuid7`` in Python 3.14; until lingxi requires it, this 10-line
RFC 9562 layout is simpler than another dependency.
"""

from __future__ import annotations

import os
import time
import uuid
from datetime import UTC, datetime


def now_ms() -> int:
    """Current UTC time in epoch milliseconds (the storage format for every timestamp)."""
    return time.time_ns() // 1_000_000


def ms_to_datetime(ms: int) -> datetime:
    """Storage milliseconds → an aware UTC datetime (serialized as ISO-8601 on the wire)."""
    return datetime.fromtimestamp(ms / 1000, UTC)


def uuid7() -> str:
    """A random UUID version 7 (48-bit ms timestamp, version, 74 random bits), as a string."""
    value = (now_ms() & ((1 << 48) - 1)) << 80
    value |= int.from_bytes(os.urandom(10), "big") & ((1 << 80) - 1)
    value = (value & ~(0xF << 76)) | (0x7 << 76)  # version 7
    value = (value & ~(0x3 << 62)) | (0x2 << 62)  # RFC 4122 variant
    return str(uuid.UUID(int=value))
