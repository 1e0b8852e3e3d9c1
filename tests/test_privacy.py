from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from lingxi.context.events import NotificationEvent, PaymentEvent
from lingxi.errors import ConsentRequired, InvalidInput
from lingxi.privacy.classify import PrivacyClass, classify
from lingxi.privacy.consent import ConsentStore, Scope, parse_scope
from lingxi.privacy.egress import EgressLog
from lingxi.privacy.redact import RedactionMap, Redactor, StreamRestorer, luhn_ok, restore, valid_resident_id
from lingxi.storage.sqlite import Database

TS = 1_763_800_000_000


def test_checksums() -> None:
    assert valid_resident_id("11010519491231002X")
    assert not valid_resident_id("110105194912310021")
    assert luhn_ok("4111111111111111")
    assert not luhn_ok("4111111111111112")


def test_redacts_chinese_pii_with_stable_numbered_placeholders() -> None:
    m = RedactionMap()
    text = (
        "我的手机13800138000，备用 +86 139-1234-5678，身份证11010519491231002X，"
        "卡号 4111 1111 1111 1111，邮箱 linxy@example.com，再说一次13800138000。订单号 123456789012345678"
    )
    out = Redactor().redact(text, m)
    assert "13800138000" not in out and "11010519491231002X" not in out and "linxy@example.com" not in out
    assert out.count("[手机号_1]") == 2 and "[手机号_2]" in out
    assert "[身份证号_1]" in out and "[银行卡号_1]" in out and "[邮箱_1]" in out
    assert "123456789012345678" in out  # fails both checksums: not PII, left alone
    assert restore(out, m) == text


def test_stream_restorer_handles_split_placeholders() -> None:
    m = RedactionMap()
    redacted = Redactor().redact("请回拨13800138000或发邮件到linxy@example.com", m)
    pieces = [redacted[i : i + 2] for i in range(0, len(redacted), 2)]
    r = StreamRestorer(m)
    restored = "".join(r.feed(p) for p in pieces) + r.flush()
    assert restored == "请回拨13800138000或发邮件到linxy@example.com"
    r2 = StreamRestorer(m)
    assert r2.feed("数组[0] 和 [未知_9]") + r2.flush() == "数组[0] 和 [未知_9]"  # unknown brackets pass through


def test_consent_grant_withdraw_and_require(tmp_path: Path) -> None:
    c = ConsentStore(Database(tmp_path / "x.db"))
    with pytest.raises(ConsentRequired) as info:
        c.require("u1", frozenset({Scope.NOTIFICATIONS, Scope.PAYMENTS}))
    assert info.value.scopes == ["notifications", "payments"]
    c.grant("u1", Scope.NOTIFICATIONS, Scope.PAYMENTS)
    c.require("u1", frozenset({Scope.NOTIFICATIONS, Scope.PAYMENTS}))
    c.withdraw("u1", Scope.PAYMENTS)
    assert c.granted("u1") == {Scope.NOTIFICATIONS}
    assert c.granted("u2") == set()
    with pytest.raises(InvalidInput, match="valid: messages"):
        parse_scope("everything")


def test_privacy_class() -> None:
    n = NotificationEvent(event_id="n", user_id="u", ts=TS, source_app="美团", body="骑手已取餐")
    bank = n.model_copy(update={"category": "bank"})
    pay = PaymentEvent(event_id="p", user_id="u", ts=TS, source_app="微信支付", amount_fen=100, merchant="瑞幸")
    assert classify([]) is PrivacyClass.PUBLIC
    assert classify([n]) is PrivacyClass.PERSONAL
    assert classify([n, bank]) is PrivacyClass.SENSITIVE
    assert classify([pay]) is PrivacyClass.SENSITIVE


def test_egress_log_keeps_hash_not_payload(tmp_path: Path) -> None:
    log = EgressLog(Database(tmp_path / "x.db"))
    rec = asyncio.run(
        log.record(
            user_id="u1", request_id="r1", model="m", provider="p", payload="[手机号_1] 你好", redactions={"手机号": 1}
        )
    )
    (got,) = log.for_user("u1")
    assert got == rec and got.bytes == len("[手机号_1] 你好".encode()) and len(got.payload_sha256) == 64
    assert log.for_user("u2") == []
