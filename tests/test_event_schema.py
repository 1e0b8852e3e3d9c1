"""The event format is documented from the models: served at /v1/schema/events and kept in docs/events.md."""

from __future__ import annotations

from pathlib import Path

import httpx
import jsonschema_rs
import pytest

from lingxi import Lingxi
from lingxi.context.event_schema import event_schemas, render_markdown
from lingxi.context.events import EVENT_TYPES
from lingxi.server.app import create_app
from lingxi.server.keys import KeyStore, load_secret
from live_server import serve

DOC = Path(__file__).parent.parent / "docs" / "events.md"


def test_every_kind_has_a_schema_its_example_satisfies() -> None:
    kinds = event_schemas()["kinds"]
    assert tuple(kinds) == EVENT_TYPES
    for kind, item in kinds.items():
        assert item["description"] and item["example"]["type"] == kind
        jsonschema_rs.validator_for(item["schema"]).validate(item["example"])
        broken = {k: v for k, v in item["example"].items() if k != "event_id"}
        assert not jsonschema_rs.validator_for(item["schema"]).is_valid(broken)  # the schema does say something


def test_docs_file_is_generated_from_the_models() -> None:
    assert DOC.read_text(encoding="utf-8") == render_markdown(), (
        "docs/events.md is stale: python -m lingxi.context.event_schema > docs/events.md"
    )


def test_schema_is_served_without_a_key(home: Path) -> None:
    lx = Lingxi(home)
    KeyStore(lx.db, load_secret(lx.settings.home)).create("app", ["events"])  # auth is on
    with serve(create_app(lx)) as (url, _):
        r = httpx.get(url + "/v1/schema/events")
        assert r.status_code == 200 and set(r.json()["kinds"]) == set(EVENT_TYPES)
        assert httpx.post(url + "/v1/events", json=r.json()["kinds"]["payment"]["example"]).status_code == 401


@pytest.mark.parametrize("kind", EVENT_TYPES)
def test_examples_are_accepted_by_ingest(lx: Lingxi, kind: str) -> None:
    assert lx.ingest([event_schemas()["kinds"][kind]["example"]]).added == 1
