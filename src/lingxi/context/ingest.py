"""One ingest path for every front end: Python, the ``lingxi ingest`` command and ``POST /v1/events``.

Input is untrusted and often large (an export of a phone's history), so it is streamed: JSON Lines are
parsed one at a time and stored in batches of ``batch_size``, each batch one transaction of the
:class:`~lingxi.context.store.EventStore` (so its hooks — search index, profile — see it at once). A bad line
is never dropped silently: it is reported with its line number and the field error from
:func:`~lingxi.context.events.parse_event`, in English and Chinese. Two policies:

* ``skip`` stores every good line and reports the bad ones — right for bulk imports, where one garbled line
  must not cost the other million; re-running after a fix is safe because events are idempotent by id.
* ``reject`` validates everything first and stores nothing if any line is bad; when all lines are good they
  are stored in ONE transaction, so the import is all-or-nothing even across a crash. The validated events
  are held in memory until then, which is the price of that guarantee.

``user_id`` is a guard for callers that act for one user (the HTTP API): an event of anyone else is a bad
line, so one user can never write into another user's data.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any, Literal

from pydantic import BaseModel, Field

from lingxi.context.events import Event, parse_event
from lingxi.context.store import EventStore
from lingxi.errors import InvalidInput

OnError = Literal["skip", "reject"]
MAX_LISTED_ERRORS = 1_000
"""At most this many errors are listed in a report (``invalid`` still counts them all)."""

Progress = Callable[[int, int], None]
"""Called after each stored batch with (lines read so far, events added so far)."""


class LineError(BaseModel):
    """One bad input line (1-based ``line``), with what is wrong in English and Chinese."""

    line: int
    message: str
    message_zh: str


class IngestReport(BaseModel):
    """What an ingest did. ``lines`` counts non-blank lines; every one is added, a duplicate, or invalid."""

    on_error: OnError
    lines: int = 0
    added: int = 0
    duplicates: int = 0
    invalid: int = 0
    errors: list[LineError] = Field(default_factory=list, description=f"the first {MAX_LISTED_ERRORS} bad lines")

    @property
    def ok(self) -> bool:
        """True when no line was bad."""
        return self.invalid == 0

    @property
    def stored_nothing_because_invalid(self) -> bool:
        """True when ``reject`` refused the whole input."""
        return self.on_error == "reject" and self.invalid > 0


class _NotAnObject:
    """An array element that is not a JSON object (a string there is not JSON text to parse)."""

    def __init__(self, value: Any) -> None:
        self.kind = type(value).__name__


Item = str | bytes | dict[str, Any] | _NotAnObject


def _check(item: Item, user_id: str | None) -> Event:
    if isinstance(item, _NotAnObject):
        raise InvalidInput(
            f"each event must be a JSON object (got {item.kind})", message_zh="每个事件都必须是 JSON 对象"
        )
    if isinstance(item, bytes):
        try:
            item = item.decode("utf-8")
        except UnicodeDecodeError:
            raise InvalidInput("the line is not valid UTF-8", message_zh="该行不是合法的 UTF-8 文本") from None
    event = parse_event(item)
    if user_id is not None and event.user_id != user_id:
        shown = event.user_id[:40]
        raise InvalidInput(
            f"field 'user_id': must be the caller's user {user_id!r} (got {shown!r})",
            message_zh=f"字段 user_id 无效：只能写入当前用户 {user_id} 的事件（收到 {shown}）",
        )
    return event


def _numbered_lines(lines: Iterable[str | bytes]) -> Iterator[tuple[int, str | bytes]]:
    """Non-blank lines with their 1-based numbers; a UTF-8 byte-order mark on the first line is dropped."""
    for n, raw in enumerate(lines, 1):
        line: str | bytes
        if isinstance(raw, bytes):
            line = raw.removeprefix(b"\xef\xbb\xbf") if n == 1 else raw
            if line.strip():
                yield n, line.rstrip(b"\r\n")
        else:
            line = raw.removeprefix("\ufeff") if n == 1 else raw
            if line.strip():
                yield n, line.rstrip("\r\n")


def _run(
    store: EventStore,
    items: Iterable[tuple[int, Item]],
    *,
    on_error: OnError,
    batch_size: int,
    progress: Progress | None,
    user_id: str | None,
) -> IngestReport:
    if on_error not in ("skip", "reject"):
        raise InvalidInput(
            f"on_error must be 'skip' or 'reject' (got {on_error!r})", message_zh="on_error 只能是 skip 或 reject"
        )
    if batch_size < 1:
        raise InvalidInput("batch_size must be at least 1", message_zh="batch_size 至少为 1")
    report = IngestReport(on_error=on_error)
    pending: list[Event] = []

    def flush() -> None:
        result = store.add(pending)
        report.added += result.added
        report.duplicates += result.duplicates
        pending.clear()
        if progress is not None:
            progress(report.lines, report.added)

    for n, item in items:
        report.lines += 1
        try:
            pending.append(_check(item, user_id))
        except InvalidInput as exc:
            report.invalid += 1
            if len(report.errors) < MAX_LISTED_ERRORS:
                report.errors.append(LineError(line=n, message=exc.message, message_zh=exc.message_zh))
            continue
        if on_error == "skip" and len(pending) >= batch_size:
            flush()
    if on_error == "reject" and report.invalid:
        pending.clear()  # the whole input is refused; nothing was written
    elif pending:
        flush()  # reject mode with no bad line: every event in this one transaction
    return report


def ingest_lines(
    store: EventStore,
    lines: Iterable[str | bytes],
    *,
    on_error: OnError = "skip",
    batch_size: int = 1000,
    progress: Progress | None = None,
    user_id: str | None = None,
) -> IngestReport:
    """Stream JSON Lines (``str`` or UTF-8 ``bytes``, one event each; blank lines ignored) into ``store``.

    Line numbers in the report count every input line, blank ones included, as an editor does.
    """
    return _run(
        store, _numbered_lines(lines), on_error=on_error, batch_size=batch_size, progress=progress, user_id=user_id
    )


def ingest_objects(
    store: EventStore,
    objects: Iterable[Any],
    *,
    on_error: OnError = "skip",
    batch_size: int = 1000,
    progress: Progress | None = None,
    user_id: str | None = None,
) -> IngestReport:
    """Like :func:`ingest_lines` for already-decoded JSON values (a JSON array's elements).

    ``LineError.line`` is then the 1-based position in ``objects``.
    """

    def numbered() -> Iterator[tuple[int, Item]]:
        for n, obj in enumerate(objects, 1):
            yield n, obj if isinstance(obj, dict) else _NotAnObject(obj)

    return _run(store, numbered(), on_error=on_error, batch_size=batch_size, progress=progress, user_id=user_id)
