"""The event format, documented from the models themselves: a JSON Schema and one example per kind.

Served at ``GET /v1/schema/events`` and written to ``docs/events.md`` (``python -m
lingxi.context.event_schema > docs/events.md``; a test keeps the file in step). The schemas come from the
pydantic models :func:`~lingxi.context.events.parse_event` validates with, so the documentation cannot
drift from what ingest accepts; the examples are events of the bundled fictional sample user (one per
kind; ``app_action``, which the sample lacks, is written here) and are validated by the same gate.
"""

from __future__ import annotations

import inspect
import json
from functools import lru_cache
from typing import Any, get_args

from lingxi.context.event_base import EVENT_SCHEMA_VERSION
from lingxi.context.events import EVENT_TYPES, Event, parse_event
from lingxi.context.sample import sample_events

_APP_ACTION_EXAMPLE: dict[str, Any] = {
    "type": "app_action",
    "event_id": "ex-app-0001",
    "user_id": "demo-user",
    "ts": 1795350600000,
    "source_app": "高德地图",
    "app": "高德地图",
    "action": "navigate",
    "target": "西溪湿地",
    "params": {"mode": "drive"},
}

_FEEDBACK_EXAMPLE: dict[str, Any] = {
    "type": "feedback",
    "event_id": "ex-fb-0001",
    "user_id": "demo-user",
    "ts": 1795350660000,
    "source_app": "lingxi",
    "feature": "replies",
    "answer_id": "req-0001",
    "action": "edited",
    "prompt": "今晚一起吃饭吗？",
    "candidate": "好的，几点？",
    "edited": "好呀，七点老地方见",
    "rejected": "今晚不行",
}


def _models() -> dict[str, Any]:
    union = get_args(get_args(Event)[0])
    return {m.model_fields["type"].default: m for m in union}


@lru_cache(maxsize=1)
def event_schemas() -> dict[str, Any]:
    """``{"ingest": …, "kinds": {kind: {"description", "schema", "example"}}}`` for every event kind."""
    examples: dict[str, dict[str, Any]] = {e.type: e.model_dump(mode="json") for e in reversed(sample_events())}
    examples.setdefault("app_action", _APP_ACTION_EXAMPLE)  # (reversed: the dict keeps the first of each kind)
    examples.setdefault("feedback", _FEEDBACK_EXAMPLE)
    kinds = {}
    for kind, model in _models().items():
        example = {"type": kind, **{k: v for k, v in examples[kind].items() if k != "type"}}
        parse_event(example)  # an example ingest would refuse is a bug here, not in the reader's code
        kinds[kind] = {
            "description": inspect.getdoc(model) or "",
            "schema": model.model_json_schema(),
            "example": example,
        }
    assert tuple(kinds) == EVENT_TYPES
    return {
        "schema_version": EVENT_SCHEMA_VERSION,
        "ingest": "POST /v1/events (one event, a JSON array, or NDJSON) or `lingxi ingest FILE.jsonl`",
        "common": "every kind has event_id (idempotency key), user_id, ts (UTC epoch milliseconds), source_app",
        "kinds": kinds,
    }


def render_markdown() -> str:
    """``docs/events.md``: each kind's description, required fields, an example and the full schema."""
    doc = event_schemas()
    lines = [
        "# Event schema",
        "",
        "<!-- generated: python -m lingxi.context.event_schema > docs/events.md -->",
        "",
        f"Events are JSON objects with a `type`. Ingest: {doc['ingest']}. Common fields: {doc['common']}.",
        f"Event format version {doc['schema_version']} (stored with every event; version 1 events, written before "
        "calendar entry ids, order `in_transit`/`eta_day` and the kinds cart, favorite, reminder, contact and "
        "message_update, read unchanged: every newer field has a default).",
        "The same schemas are served at `GET /v1/schema/events`.",
        "",
    ]
    for kind, item in doc["kinds"].items():
        schema = item["schema"]
        required = ", ".join(f"`{f}`" for f in schema.get("required", []))
        lines += [
            f"## `{kind}`",
            "",
            item["description"],
            "",
            f"Required: {required}.",
            "",
            "Example:",
            "",
            "```json",
            json.dumps(item["example"], ensure_ascii=False),
            "```",
            "",
            "<details><summary>JSON Schema</summary>",
            "",
            "```json",
            json.dumps(schema, ensure_ascii=False, indent=2),
            "```",
            "",
            "</details>",
            "",
        ]
    return "\n".join(lines)


if __name__ == "__main__":
    print(render_markdown(), end="")
