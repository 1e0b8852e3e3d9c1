"""How fast an audit pseudonym gives a phone-number user id back: unkeyed (before) vs keyed (now).

An audit record carries ``user_ref``, a pseudonym of the user id. Before, it was ``sha256("lingxi-user:" +
id)[:32]``: anyone holding the log could hash candidate ids until one matched, and a mobile number has few
candidates (a known 7-digit prefix leaves 10^4). Now it is an HMAC under a key derived from the master key,
which is not in the log: the same search over the same candidates finds nothing.

Protocol: a target number in a 10^4-number block (prefix 1380013); search the whole block with the scheme
an attacker can compute (unkeyed SHA-256 for the old pseudonym; for the new one, the best guess without the
key — the same unkeyed recipe and HMAC under a wrong key). Prints time to re-identify and whether it did.

Run: ``.venv/bin/python benchmarks/bench_pseudonym.py``.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable

from lingxi.compliance.audit import AuditKeys, user_ref

PREFIX, TARGET = "1380013", "13800138000"


def search(ref: str, guess: Callable[[str], str]) -> tuple[str | None, float]:
    started = time.perf_counter()
    for n in range(10_000):
        candidate = f"{PREFIX}{n:04d}"
        if guess(candidate) == ref:
            return candidate, time.perf_counter() - started
    return None, time.perf_counter() - started


def main() -> None:
    keys, wrong = AuditKeys(os.urandom(32)), AuditKeys(os.urandom(32))
    old_found, old_s = search(user_ref(TARGET), user_ref)
    new_ref = keys.pseudonym(TARGET)
    new_plain, new_s = search(new_ref, user_ref)
    new_wrong, wrong_s = search(new_ref, wrong.pseudonym)
    print(f"{'pseudonym':<34}{'re-identified':>15}{'search ms':>12}")
    print(f"{'unkeyed SHA-256 (before)':<34}{old_found == TARGET!s:>15}{old_s * 1000:>12.1f}")
    print(f"{'keyed HMAC, attacker: unkeyed':<34}{new_plain == TARGET!s:>15}{new_s * 1000:>12.1f}")
    print(f"{'keyed HMAC, attacker: wrong key':<34}{new_wrong == TARGET!s:>15}{wrong_s * 1000:>12.1f}")


if __name__ == "__main__":
    main()
