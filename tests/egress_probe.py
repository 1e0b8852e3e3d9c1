"""Egress probe: drive every endpoint that calls a model, with a user's data, against a recording cloud upstream.

The home is configured the way an operator would to send everything to the cloud: one provider (``probe``,
the vLLM preset pointed at :class:`~fake_openai.FakeOpenAI` on loopback) as the default model. The bundled
sample user gets extra messages and a notification carrying *planted* PII, written in the forms people and
input methods produce (full-width digits, zero-width characters, spaced, dashed and middle-dotted groups), and the probe
asks chat and every feature endpoint about them over HTTP — first without the user's ``cloud_processing``
consent, then with it.

Two counts, both of which must be 0:

* ``without_consent``: upstream requests made while the user had not granted ``cloud_processing``
  (PIPL Art. 23: personal data reaches another processor only with separate consent);
* ``raw_pii``: upstream request bodies holding a planted value. The check is independent of lingxi's
  recognizers: each body is NFKC-folded, stripped of invisible characters and of every space, dash, dot and middle dot,
  then searched for each value's bare digits and letters.

``sample_values`` does the same for the sample user's own PII as the recognizers find it in their stored
events, and ``contact_names`` for the names of their contacts; both are reported, not asserted (names are
another part of issue 15).
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from fake_openai import FakeOpenAI, Script
from lingxi import Lingxi
from lingxi.context.sample import SAMPLE_NOW_MS, SAMPLE_USER_ID, sample_events
from lingxi.privacy.consent import Scope
from lingxi.privacy.pii import find_pii
from lingxi.server.app import create_app

USER = SAMPLE_USER_ID
MODEL = "probe/cloud"
NOW = datetime.fromtimestamp(SAMPLE_NOW_MS / 1000, UTC).isoformat()

PLANTED = {
    "手机号": "13957246180",
    "身份证号": "11010519491231002X",
    "银行卡号": "6222600260001072444",
    "邮箱": "probe.owner@example.org",
    "护照号": "E73920418",
    "QQ号": "2847561930",
    "座机": "057188234567",
}
_FW = str.maketrans("0123456789X", "０１２３４５６７８９Ｘ")
_PLANTED_TEXTS = [
    "我新换的手机号１３９ ５７２４ ６１８０，存一下",
    "身份证号1101\u200b0519\u200b4912\u200b3100\u200b2X，帮我订票",
    "工资卡 6222 6002 6000 1072 444，农行的",
    f"邮箱发到{PLANTED['邮箱']}就行",
    f"护照号{PLANTED['护照号'].translate(_FW)}，签证要用",
    f"加我扣扣{PLANTED['QQ号']}",
    "办公室座机0571·8823·4567，工作日找我",  # groups separated by middle dots
]


def planted_events() -> list[dict[str, Any]]:
    """A conversation and a notification of the sample user that carry every planted value."""
    events: list[dict[str, Any]] = [
        {
            "type": "message",
            "event_id": f"probe-m{i}",
            "user_id": USER,
            "ts": SAMPLE_NOW_MS - (60 - i) * 60_000,
            "source_app": "微信",
            "conversation_id": "wx-probe",
            "conversation_name": "老周",
            "sender": "老周",
            "direction": "in",
            "text": text,
        }
        for i, text in enumerate(_PLANTED_TEXTS)
    ]
    events.append(
        {
            "type": "notification",
            "event_id": "probe-n1",
            "user_id": USER,
            "ts": SAMPLE_NOW_MS - 30 * 60_000,
            "source_app": "短信",
            "category": "message",
            "title": "新短信",
            "body": f"【快递】收件人电话139-5724-6180，证件{PLANTED['身份证号']}，请核对",
        }
    )
    return events


def _calls() -> list[tuple[str, str, dict[str, Any]]]:
    """(name, path, JSON body) of every endpoint that calls a model for the user."""
    chat = {
        "model": MODEL,
        "user": USER,
        "messages": [
            {"role": "user", "content": "帮我记一下：手机１３９５７２４６１８０，身份证11010519491231002X"},
            {"role": "assistant", "content": "好的，已记下。"},
            {"role": "user", "content": f"再把卡号6222-6002-6000-1072-444和邮箱{PLANTED['邮箱']}也记上"},
        ],
    }
    text = "请把材料寄给老周，电话 139 5724 6180，身份证 11010519491231002X。"
    calls: list[tuple[str, str, dict[str, Any]]] = [
        ("chat", "/v1/chat/completions", chat),
        ("chat.stream", "/v1/chat/completions", {**chat, "stream": True}),
        ("notifications.summary", "/v1/features/notifications/summary", {"user_id": USER, "now": NOW}),
        ("notifications.conversations", "/v1/features/notifications/conversations", {"user_id": USER, "now": NOW}),
        ("notifications.digest", "/v1/features/notifications/digest", {"user_id": USER, "now": NOW}),
        ("replies", "/v1/features/replies", {"user_id": USER, "conversation_id": "wx-probe", "now": NOW}),
        ("assistant", "/v1/features/assistant", {"user_id": USER, "question": "老周的手机号是多少？", "now": NOW}),
    ]
    for kind in ("rewrite", "proofread", "summarize", "key_points", "table", "translate"):
        body: dict[str, Any] = {"text": text, "user_id": USER, "model": MODEL}
        if kind == "translate":
            body["target"] = "en"
        if kind == "table":  # rows of 键：值 pairs, one per person
            body["text"] = "老周：139 5724 6180\n小林：13957246180\n老王：11010519491231002X"
        calls.append((f"writing.{kind}", f"/v1/features/writing/{kind}", body))
    return calls


_INVISIBLE = re.compile("[\u00ad\u200b-\u200f\u2060-\u2064\ufeff]")
_SEPARATORS = re.compile(r"[\s\-.\u2010-\u2015\u2212\u00b7\u2022\u30fb\uff65]")  # middle dots too


def _bare(text: str) -> str:
    """``text`` folded for searching: NFKC (full-width to ASCII), no invisible characters, no separators."""
    return _SEPARATORS.sub("", _INVISIBLE.sub("", unicodedata.normalize("NFKC", text))).upper()


@dataclass
class Report:
    """What reached the recording upstream."""

    requests: int = 0
    without_consent: int = 0
    raw_pii: dict[str, int] = field(default_factory=dict)  # planted type → request bodies holding it
    sample_values: int = 0  # the sample user's own recognizer-found values seen raw upstream
    contact_names: int = 0  # the sample user's contact names seen raw upstream
    statuses: dict[str, list[int]] = field(default_factory=dict)  # endpoint → HTTP status without/with consent


def probe(home: Path) -> Report:
    """Run the probe in ``home`` (created here) and return what reached the upstream."""
    report = Report()
    with FakeOpenAI({"cloud": Script(reply="好的，已处理。", chunks=2)}) as fake:
        home.mkdir(parents=True, exist_ok=True)
        (home / "lingxi.toml").write_text(
            f'default_model = "{MODEL}"\n[providers.probe]\npreset = "vllm"\nbase_url = "{fake.base_url}"\n'
            'models = ["cloud"]\n',
            encoding="utf-8",
        )
        lx = Lingxi(home)
        lx.load_sample()
        lx.ingest(planted_events())
        lx.consents.grant(USER, Scope.MESSAGES, Scope.NOTIFICATIONS, Scope.CALENDAR, Scope.SHOPPING)
        client = TestClient(create_app(lx))
        for consent in (False, True):
            if consent:
                lx.consents.grant(USER, Scope.CLOUD_PROCESSING)
            before = len(fake.received("cloud"))
            for name, path, body in _calls():
                r = client.post(path, json=body, headers={"X-Lingxi-User": USER})
                report.statuses.setdefault(name, []).append(r.status_code)
            if not consent:
                report.without_consent = len(fake.received("cloud")) - before
        bodies = [_bare(json.dumps(r.body, ensure_ascii=False)) for r in fake.received("cloud")]
    report.requests = len(bodies)
    report.raw_pii = {typ: sum(_bare(v) in b for b in bodies) for typ, v in PLANTED.items()}
    own = {s.text for e in sample_events() for s in find_pii(e.search_text()) if s.type != "姓名"}
    report.sample_values = sum(_bare(v) in b for v in own for b in bodies if len(_bare(v)) >= 6)
    names = {f.name for f in lx.profile.get(USER, top=50).contacts_incoming} - {""}
    report.contact_names = sum(_bare(n) in b for n in names for b in bodies)
    return report
