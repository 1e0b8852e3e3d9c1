"""The one ingest path: JSON Lines in Python, over HTTP (object, array, NDJSON) and from the CLI."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from lingxi import Lingxi
from lingxi.context.ingest import ingest_lines, ingest_objects
from lingxi.server import events_api, problems
from test_cli import cli

TS = 1_763_818_000_000


def note(i: int, user: str = "u1", **extra: Any) -> dict[str, Any]:
    return {
        "type": "notification",
        "event_id": f"n{i}",
        "user_id": user,
        "ts": TS + i * 1000,
        "source_app": "菜鸟",
        "body": f"包裹 {i} 已到驿站",
        **extra,
    }


def jsonl(*rows: dict[str, Any] | str) -> list[str]:
    return [r if isinstance(r, str) else json.dumps(r, ensure_ascii=False) for r in rows]


@pytest.fixture
def lx(tmp_path: Path) -> Lingxi:
    return Lingxi(tmp_path / "home")


MIXED = jsonl(note(1), "{oops", "", note(2, ts=12), note(3), note(1))  # line 3 blank, line 6 a duplicate


def test_skip_stores_good_lines_and_reports_bad_ones_by_line(lx: Lingxi) -> None:
    report = ingest_lines(lx.events, MIXED, on_error="skip", batch_size=2)
    assert (report.lines, report.added, report.duplicates, report.invalid) == (5, 2, 1, 2)
    assert [e.line for e in report.errors] == [2, 4]
    assert "JSON" in report.errors[0].message and "ts" in report.errors[1].message
    assert "字段 ts" in report.errors[1].message_zh
    assert lx.events.count("u1") == {"notification": 2}


def test_reject_stores_nothing_but_still_lists_every_bad_line(lx: Lingxi) -> None:
    report = ingest_lines(lx.events, MIXED, on_error="reject")
    assert report.added == 0 and report.stored_nothing_because_invalid
    assert [e.line for e in report.errors] == [2, 4]
    assert lx.events.count("u1") == {}
    good = ingest_lines(lx.events, jsonl(note(1), note(2), note(1)), on_error="reject")
    assert (good.added, good.duplicates, good.ok) == (2, 1, True)


def test_user_id_guard_bytes_bom_and_progress(lx: Lingxi) -> None:
    seen: list[tuple[int, int]] = []
    lines = [b"\xef\xbb\xbf" + json.dumps(note(1)).encode(), json.dumps(note(2, user="intruder")).encode(), b"\xff\n"]
    report = ingest_lines(lx.events, lines, user_id="u1", progress=lambda n, a: seen.append((n, a)))
    assert report.added == 1 and [e.line for e in report.errors] == [2, 3]
    assert "user_id" in report.errors[0].message and "UTF-8" in report.errors[1].message
    assert lx.events.count("intruder") == {} and seen == [(3, 1)]


def test_objects_report_positions_and_non_objects(lx: Lingxi) -> None:
    report = ingest_objects(lx.events, [note(1), "not an event", 3])
    assert report.added == 1 and [e.line for e in report.errors] == [2, 3]
    assert "JSON object" in report.errors[0].message


# -- HTTP ---------------------------------------------------------------------------------------------
@pytest.fixture
def http(lx: Lingxi) -> TestClient:
    app = FastAPI()
    problems.install(app)
    app.include_router(events_api.router(lx, max_body_bytes=4096))
    return TestClient(app)


def test_http_single_array_and_ndjson(http: TestClient, lx: Lingxi) -> None:
    one = http.post("/v1/events", json=note(1))
    assert one.status_code == 200 and one.json()["added"] == 1
    many = http.post("/v1/events", json=[note(1), note(2), note(3)])
    assert many.status_code == 200 and (many.json()["added"], many.json()["duplicates"]) == (2, 1)
    body = "\n".join(jsonl(note(4), note(5))) + "\n"
    nd = http.post("/v1/events", content=body.encode(), headers={"content-type": "application/x-ndjson"})
    assert nd.status_code == 200 and nd.json()["added"] == 2
    assert lx.events.count("u1") == {"notification": 5}


def test_http_reject_is_422_problem_with_indexes(http: TestClient, lx: Lingxi) -> None:
    r = http.post("/v1/events", json=[note(1), note(2, ts="soon")])
    assert r.status_code == 422 and r.headers["content-type"].startswith("application/problem+json")
    problem = r.json()
    assert problem["code"] == "invalid_events" and problem["errors"][0]["index"] == 1
    assert "ts" in problem["errors"][0]["message"] and "第 1 项" in problem["detail_zh"]
    assert lx.events.count("u1") == {}


def test_http_skip_is_207_with_lines_and_all_bad_is_422(http: TestClient, lx: Lingxi) -> None:
    body = "\n".join(jsonl(note(1), "{bad", note(2))).encode()
    headers = {"content-type": "application/x-ndjson"}
    r = http.post("/v1/events?on_error=skip", content=body, headers=headers)
    assert r.status_code == 207 and r.json()["added"] == 2 and r.json()["errors"][0]["line"] == 2
    r = http.post("/v1/events?on_error=skip", content=b"{bad\n[1]", headers=headers)
    assert r.status_code == 422 and [e["line"] for e in r.json()["errors"]] == [1, 2]


def test_http_user_guard_limits_and_media_types(http: TestClient, lx: Lingxi) -> None:
    r = http.post("/v1/events?user_id=u1", json=note(1, user="u2"))
    assert r.status_code == 422 and "user_id" in r.json()["errors"][0]["message"]
    assert http.post("/v1/events", json=[note(i) for i in range(60)]).status_code == 413
    chunked = http.post(
        "/v1/events", content=iter([b"[", b" " * 5000, b"]"]), headers={"content-type": "application/json"}
    )
    assert chunked.status_code == 413 and chunked.json()["code"] == "body_too_large"
    assert http.post("/v1/events", content=b"{", headers={"content-type": "application/json"}).status_code == 400
    assert http.post("/v1/events", content=b"  ", headers={"content-type": "application/json"}).status_code == 400
    assert http.post("/v1/events", content=b"x", headers={"content-type": "text/csv"}).status_code == 415
    assert lx.events.count("u2") == {}


# -- CLI ----------------------------------------------------------------------------------------------
def test_cli_exit_codes_and_modes(tmp_path: Path) -> None:
    home = tmp_path / "h"
    good = tmp_path / "good.jsonl"
    good.write_text("\n".join(jsonl(note(1), note(2))), encoding="utf-8")
    r = cli("ingest", str(good), home=home)
    assert r.returncode == 0 and "已写入 2 条" in r.stdout
    mixed = tmp_path / "mixed.jsonl"
    mixed.write_text("\n".join(MIXED), encoding="utf-8")
    r = cli("ingest", str(mixed), "--on-error", "reject", home=home)
    assert r.returncode == 1 and "第 2 行" in r.stderr and "第 4 行" in r.stderr and "未写入任何事件" in r.stderr
    assert Lingxi(home).events.count("u1") == {"notification": 2}
    r = cli("ingest", "-", stdin="\n".join(MIXED), home=home)  # default skip, from stdin
    assert r.returncode == 1 and "已写入 1 条" in r.stdout and "第 4 行" in r.stderr and "Traceback" not in r.stderr
    assert Lingxi(home).events.count("u1") == {"notification": 3}
    assert cli("ingest", str(good), "--on-error", "maybe", home=home).returncode == 2
