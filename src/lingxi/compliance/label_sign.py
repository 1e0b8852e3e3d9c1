"""A keyed signature in ``ReservedCode1`` that binds an implicit label to its content and its provider.

GB 45438-2025 leaves ``ReservedCode1`` to the provider "for self-check information to protect the label's
integrity". Without it, the ``AIGC`` metadata is just text anyone can write: copied from one file onto
another, or made up entirely, and a label checker cannot tell. We put there::

    lingxi-v1;sha256=<digest of the content>;hmac=<HMAC-SHA256 over the other six fields and the digest>

under a key derived from the installation's integrity key (never in the database or the file). A checker with
the key then tells apart: a forged or altered label (the HMAC fails), and content that was edited or a label
copied from other content (the HMAC holds, but the content's digest differs).

The content digest ignores whitespace (PDF text extraction re-wraps lines) and the explicit label paragraph
at either end, so the same words hash the same in Markdown, text, PDF and DOCX.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
from typing import Any

from lingxi.compliance.labels import AIGC_KEYS, is_explicit_label
from lingxi.privacy.crypto import derive_key

SCHEME = "lingxi-v1"
_MARK_AT_START = re.compile(r"^【([^】]*)】")
_MARK_AT_END = re.compile(r"【([^】]*)】$")


def content_digest(text: str) -> str:
    """SHA-256 of ``text`` without whitespace and without an explicit label mark at its start or end."""
    flat = "".join(text.split())
    for pattern in (_MARK_AT_START, _MARK_AT_END):
        m = pattern.search(flat)
        if m and is_explicit_label(m.group(1)):
            flat = flat[: m.start()] + flat[m.end() :]
    return hashlib.sha256(flat.encode("utf-8")).hexdigest()


def _fields(aigc: dict[str, Any]) -> bytes:
    signed = {k: str(aigc.get(k, "")) for k in AIGC_KEYS if k != "ReservedCode1"}
    return json.dumps(signed, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


class LabelSigner:
    """Signs and verifies ``ReservedCode1`` with the installation's label key."""

    def __init__(self, integrity_key: bytes) -> None:
        self._key = derive_key(integrity_key, b"label-signature")

    def _mac(self, aigc: dict[str, Any], digest: str) -> str:
        return hmac.new(self._key, _fields(aigc) + b"\n" + digest.encode(), hashlib.sha256).hexdigest()

    def sign(self, implicit: dict[str, Any], text: str) -> dict[str, Any]:
        """``implicit`` (``{"AIGC": {...}}``) with ``ReservedCode1`` set for ``text``."""
        aigc = dict(implicit["AIGC"])
        digest = content_digest(text)
        aigc["ReservedCode1"] = f"{SCHEME};sha256={digest};hmac={self._mac(aigc, digest)}"
        return {**implicit, "AIGC": aigc}

    def problems(self, aigc: dict[str, Any], text: str) -> list[str]:
        """What the signature says about ``aigc`` on ``text`` (Chinese); empty when it holds."""
        code = str(aigc.get("ReservedCode1", ""))
        m = re.fullmatch(rf"{SCHEME};sha256=([0-9a-f]{{64}});hmac=([0-9a-f]{{64}})", code)
        if not m:
            return ["隐式标识未签名：ReservedCode1 中没有本服务的校验签名（标识可能是伪造的）"]
        digest, mac = m.groups()
        if not hmac.compare_digest(mac, self._mac(aigc, digest)):
            return ["隐式标识签名无效：标识字段被改动，或标识是伪造的（并非本服务签发）"]
        if digest != content_digest(text):
            return ["隐式标识与内容不符：内容在生成后被修改，或标识是从其他内容复制过来的"]
        return []
