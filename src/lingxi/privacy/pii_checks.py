"""Checksums and structure of Chinese identifiers: what turns a digit run into PII (used by :mod:`.pii`).

Each function takes the candidate's text and says whether it is really that kind of value: the GB 11643
check digit, a real birth date and a province code for 身份证号, Luhn and length for bank cards, the plate
shapes for 车牌. Kept apart from the recognizers so the rules can be read and tested on their own.
"""

from __future__ import annotations

import re
from datetime import date

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
_PROVINCES = frozenset(f"{n}" for n in (11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44))
_PROVINCES |= frozenset(f"{n}" for n in (45, 46, 50, 51, 52, 53, 54, 61, 62, 63, 64, 65, 71, 81, 82))


def valid_resident_id(value: str) -> bool:
    """GB 11643 check digit of an 18-character resident identity number."""
    value = value.upper()
    if len(value) != 18 or not value[:17].isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(value[:17], _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11] == value[17]


def luhn_ok(digits: str) -> bool:
    """Luhn checksum, used by UnionPay and international bank cards."""
    total = 0
    for i, ch in enumerate(reversed(digits)):
        n = int(ch)
        if i % 2 == 1:
            n = n * 2 - 9 if n > 4 else n * 2
        total += n
    return total % 10 == 0


def real_date(y: int, m: int, d: int) -> bool:
    try:
        born = date(y, m, d)
    except ValueError:
        return False
    return date(1900, 1, 1) <= born <= date.today()


def compact(value: str) -> str:
    return value.replace(" ", "").replace("-", "").replace(".", "")


def one_separator(value: str) -> bool:
    """Digits grouped with one kind of separator at most: ``138 0013 8000``, not ``138-0013.8000``."""
    return len({c for c in value if c in " .-"}) <= 1


def is_id18(v: str) -> bool:
    v = compact(v)
    return v[:2] in _PROVINCES and real_date(int(v[6:10]), int(v[10:12]), int(v[12:14])) and valid_resident_id(v)


def is_id15(v: str) -> bool:
    v = compact(v)
    return v[:2] in _PROVINCES and real_date(1900 + int(v[6:8]), int(v[8:10]), int(v[10:12]))


def is_bank_card(v: str) -> bool:
    digits = compact(v)
    return 16 <= len(digits) <= 19 and luhn_ok(digits)


_NEW_ENERGY = re.compile(r"[DF][A-HJ-NP-Z0-9][0-9]{4}|[0-9]{5}[DF]")


def is_plate(v: str) -> bool:
    body = re.sub(r"[·•・ -]", "", v)[2:].upper()
    if len(body) == 6:
        return _NEW_ENERGY.fullmatch(body) is not None
    return sum(c.isdigit() for c in body) >= 3 or body[-1] in "挂学警港澳领"


def has_digit_or_sep(v: str) -> bool:
    return any(c.isdigit() or c in "_-" for c in v)
