"""The JSON guard's body check (server/inputs.py): its substring prefilter must never hide what the pattern finds."""

from __future__ import annotations

import random

import pytest

from lingxi.server import inputs


@pytest.mark.parametrize(
    ("body", "refused"),
    [
        (b'{"n": 123456789012345678}', False),  # 18 digits: not even looked at twice
        (b'{"n": 1234567890123456789}', False),  # 19 digits, but within 64 bits
        (b'{"n": 9223372036854775808}', True),  # 2**63
        (b'{"n": [1, {"m": -99999999999999999999}]}', True),
        (b'{"s": "12345678901234567890"}', False),  # digits in a string are text
        (b'{"s": "\\u4e2d"}', False),
        (b'{"s": "\\ud800"}', True),  # a lone surrogate escape
        (b'{"s": "\\\\ud800"}', False),  # an escaped backslash, then text
    ],
)
def test_check_json_refuses_surrogates_and_wide_integers(body: bytes, refused: bool) -> None:
    assert (inputs.check_json(body) is not None) is refused


def test_the_prefilter_passes_every_body_the_pattern_matches() -> None:
    rng = random.Random(7)
    seen = 0
    for alphabet in (b"0123456789" * 6 + b'a,"', b"\\ud89aAfF0x", b"0123456789\\uD8 "):
        for _ in range(3_000):
            body = bytes(rng.choice(alphabet) for _ in range(rng.randint(0, 40)))
            if inputs._SUSPECT.search(body):
                seen += 1
                assert b"\\u" in body or inputs._NINETEEN in body.translate(inputs._DIGITS_TO_ZERO), body
    assert seen > 1_000  # the generator does reach the pattern's cases
