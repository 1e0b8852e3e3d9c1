"""Chinese PII recognition for the egress boundary: recognizers as data, one matching loop.

Why hand-written: Presidio and LLM Guard ship recognizers for US/EU formats and rely on an NER model for
names; neither has production-quality recognizers for 身份证号 (GB 11643), 手机号 with +86 forms, 座机,
UnionPay cards, 车牌, Chinese addresses or Chinese names, and a general NER model is too slow and too
loose for a boundary every cloud request crosses. What makes precision here is the same thing Presidio
does with ``validate_result`` and context words, adapted to a language without spaces:

* checksums and structure: the resident-ID check digit, a real birth date and province code; Luhn and an
  issuer digit for bank cards; new-energy plate shapes;
* context windows measured in characters (not words): a QQ number, WeChat id or passport number is only
  PII when 扣扣/微信/护照 stands a few characters away; person names are scored on their own
  (:mod:`lingxi.privacy.names`: surname and given-character statistics, context, lists, titles), and the
  user's known contacts are names wherever they occur;
* suppressors for the look-alikes that sit next to PII in real messages (订单号, 运单号, SF/JD tracking
  numbers, 验证码, amounts, dates, 尾号 card tails, version numbers): any candidate overlapping one is
  dropped, so a 15-digit 运单号 that happens to parse as a legacy ID never leaves as 身份证号.

Each :class:`Recognizer` is one entry in :data:`~lingxi.privacy.pii_table.RECOGNIZERS`; :func:`find_pii` runs them
all the same way
and resolves overlaps by priority, then length. It runs them on the text as
:func:`~lingxi.privacy.pii_normalize.normalize` folds it (full-width digits and letters to ASCII, zero-width
characters dropped, every dash and space made plain) and reports spans over the original; digit-based
types accept one kind of separator (space, dash or dot) between any two digits. A cheap ``gate`` (a digit,
an ``@``, a context word) lets most recognizers skip most texts, and one character class of what the gates
need (their ``firsts``) skips all gates at once for about half of ordinary messages; that is most of what
keeps redaction fast in pure Python (benchmarks/bench_pii.py measures it).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from operator import itemgetter

from lingxi import plugins
from lingxi.errors import InvalidInput
from lingxi.privacy.names import find_names
from lingxi.privacy.names_model import NameModel, model_for
from lingxi.privacy.pii_normalize import normalize
from lingxi.privacy.pii_table import RECOGNIZERS, SUPPRESS, SUPPRESS_NEEDS
from lingxi.privacy.pii_types import Gate, Keywords, Recognizer, Span
from lingxi.text_match import AhoCorasick, matches

__all__ = ["RECOGNIZERS", "Recognizer", "Span", "active_recognizers", "clear_results", "find_pii"]


# --- names (scored in lingxi.privacy.names; the user's contacts are names wherever they occur) ------------


@lru_cache(maxsize=32)
def _contact_pattern(names: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile("|".join(re.escape(n) for n in sorted(names, key=len, reverse=True)))


_Group = tuple[Gate | None, int, tuple[tuple[Recognizer, str | int], ...]]
_Words = tuple[AhoCorasick, tuple[int, ...]]  # every Keywords gate's word, and each word's gate bits
_Plan = tuple[re.Pattern[str] | None, _Words | None, tuple[_Group, ...]]
_PLANS: dict[int, tuple[tuple[Recognizer, ...], _Plan]] = {}


def _plan(recognizers: tuple[Recognizer, ...]) -> _Plan:
    """Recognizers grouped by gate (each gate is searched once per text), with each one's value group, and
    a prefilter: when every gate declares ``firsts`` (see :class:`~lingxi.privacy.pii_types.Gate`), one
    character class of all of them. A text without any of those characters passes no gate, so it skips
    them all (about half of ordinary messages: no digit, no Latin letter, no 省/市/@/扣扣…).

    The :class:`~lingxi.privacy.pii_types.Keywords` gates are searched together: one Aho-Corasick automaton
    of all their words, each word carrying the bits of the gates it belongs to (its group's ``int``), so a
    text costs one scan instead of one per gate, and a gate passes exactly when one of its words occurs.

    Cached by identity, not by hash: hashing fourteen dataclasses on every call cost more than matching.
    """
    hit = _PLANS.get(id(recognizers))
    if hit is not None and hit[0] is recognizers:
        return hit[1]
    groups: dict[Gate | None, list[tuple[Recognizer, str | int]]] = {}
    for r in recognizers:
        groups.setdefault(r.gate, []).append((r, "v" if "v" in r.pattern.groupindex else 0))
    firsts: set[str] = set()
    for gate in groups:
        chars = getattr(gate, "firsts", None) if gate is not None else None
        if chars is None:
            firsts.clear()
            break
        firsts |= chars
    prefilter = re.compile("[" + "".join(re.escape(c) for c in sorted(firsts)) + "]") if firsts else None
    bits: dict[str, int] = {}
    planned: list[_Group] = []
    for n, (gate, members) in enumerate(groups.items()):
        bit = 1 << n if type(gate) is Keywords else 0  # a subclass may search otherwise
        for w in gate.words if bit and isinstance(gate, Keywords) else ():
            bits[w] = bits.get(w, 0) | bit
        planned.append((gate, bit, tuple(members)))
    plan = (prefilter, (AhoCorasick(list(bits)), tuple(bits.values())) if bits else None, tuple(planned))
    _PLANS[id(recognizers)] = (recognizers, plan)
    return plan


_ACTIVE: dict[int, tuple[Recognizer, ...]] = {}


def active_recognizers() -> tuple[Recognizer, ...]:
    """:data:`RECOGNIZERS` plus the plug-ins' (``register_pii_recognizers``): one tuple per plug-in manager,
    so :func:`_plan`'s cache by identity keeps working."""
    key = plugins.generation()
    if key not in _ACTIVE:
        extra = tuple(plugins.collect("register_pii_recognizers"))
        if bad := [type(r).__name__ for r in extra if not isinstance(r, Recognizer)]:
            raise InvalidInput(
                f"plug-in PII recognizers must be Recognizer, got {bad}", message_zh="插件注册的识别器类型无效"
            )
        _ACTIVE.clear()
        _ACTIVE[key] = RECOGNIZERS + extra
    return _ACTIVE[key]


def find_pii(
    text: str,
    *,
    contacts: Iterable[str] = (),
    recognizers: tuple[Recognizer, ...] | None = None,
    names: NameModel | None = None,
) -> list[Span]:
    """Non-overlapping PII spans in ``text``, in order; overlaps go to higher priority, then the longer span.

    ``contacts`` are names the user already knows (their address book): they are 姓名 wherever they occur,
    context or not. Other names are scored by :func:`lingxi.privacy.names.find_names` with ``names`` (the
    built names resource of the lingxi home, else the seed). Recognizers see the normalized text; spans are
    offsets into ``text`` itself. ``recognizers`` default to :func:`active_recognizers`.
    """
    recognizers = active_recognizers() if recognizers is None else recognizers
    model = names if names is not None else model_for()
    known = contacts if type(contacts) is tuple else tuple(contacts)
    key = (text, known)
    hit = _RESULTS.get(key) if len(text) <= RESULT_TEXT_MAX else None
    if hit is not None and hit[0] is recognizers and hit[1] is model:
        return list(hit[2])
    norm = normalize(text)
    if norm is None:
        spans = _find(text, known, recognizers, model)
    else:
        spans = []
        for sp in _find(norm.text, known, recognizers, model):
            s, e = norm.span(sp.start, sp.end)
            spans.append(_new(Span, (s, e, sp.type, text[s:e])))
    if len(text) <= RESULT_TEXT_MAX:
        if len(_RESULTS) >= RESULT_CACHE:
            _RESULTS.clear()
        _RESULTS[key] = (recognizers, model, tuple(spans))
    return spans


# The last results by text: the gateway redacts a conversation's whole history on every turn, so most messages
# it redacts it has redacted before (a chat of n turns: each message n times). Keyed by the text and the
# contacts, checked against the recognizers and name model by identity (a plug-in or a new names build gives new
# results). Bounded: at most RESULT_CACHE texts of at most RESULT_TEXT_MAX characters (~2 MB), cleared when
# full (a clear costs less than LRU bookkeeping on every call); it holds only what this process already saw.
RESULT_CACHE = 2048
RESULT_TEXT_MAX = 1000
_RESULTS: dict[tuple[str, tuple[str, ...]], tuple[tuple[Recognizer, ...], NameModel, tuple[Span, ...]]] = {}


def clear_results() -> None:
    """Forget every cached result (benchmarks measure the work itself; tests that swap models)."""
    _RESULTS.clear()


def _find(text: str, contacts: tuple[str, ...], recognizers: tuple[Recognizer, ...], names: NameModel) -> list[Span]:
    # candidates as (-priority, start - end, start, end, type): a plain sort orders them by priority, then
    # length, then position, with no key function (the one this replaced cost ~1 µs per text with several)
    found: list[tuple[int, int, int, int, str]] = []
    prefilter, keywords, groups = _plan(recognizers)
    if prefilter is None or prefilter.search(text):
        present = 0  # the bits of the keyword gates that pass (see _plan)
        if keywords is not None:
            found_words, word_bits = keywords
            for i, _, _ in matches(found_words, text):
                present |= word_bits[i]
        for gate, bit, members in groups:
            if bit:
                if not present & bit:
                    continue
            elif gate is not None and not gate.search(text):
                continue
            for rec, value_group in members:
                for m in rec.pattern.finditer(text):
                    s, e = m.span(value_group)
                    if s == e:
                        continue
                    if rec.context is not None and not (
                        rec.context.search(text, max(0, s - rec.before), s)
                        or rec.context.search(text, e, e + rec.after)
                    ):
                        continue
                    if rec.check is not None:
                        narrowed = rec.check(m, s, e)
                        if narrowed is None:
                            continue
                        s, e = narrowed
                    found.append((-rec.priority, s - e, s, e, rec.type))
    for s, e in find_names(text, names):
        found.append((-45, s - e, s, e, "姓名"))
    if contacts and (known := tuple(n for n in contacts if n)):  # `contacts and`: no generator for the usual ()
        found.extend(
            (-46, m.start() - m.end(), m.start(), m.end(), "姓名") for m in _contact_pattern(known).finditer(text)
        )
    if not found:
        return []
    blocked = [m.span() for m in SUPPRESS.finditer(text)] if SUPPRESS_NEEDS.search(text) else []
    if len(found) == 1:  # the usual case: nothing to overlap, one span to check against the suppressors
        _, _, s, e, t = found[0]
        return [] if blocked and any(bs <= s and e <= be for bs, be in blocked) else [_new(Span, (s, e, t, text[s:e]))]
    found.sort()
    kept: list[tuple[int, int, int, int, str]] = []
    for cand in found:  # plain loops, not any() over generators: a text has a handful of candidates
        _, _, s, e, _t = cand
        if blocked and any(bs <= s and e <= be for bs, be in blocked):
            continue
        for k in kept:
            if s < k[3] and k[2] < e:
                break
        else:
            kept.append(cand)
    kept.sort(key=_START)
    return [_new(Span, (s, e, t, text[s:e])) for _, _, s, e, t in kept]


# A Span made the way its generated __new__ makes it, without that Python-level call (half the cost per value)
_new = tuple.__new__
_START = itemgetter(2)  # a candidate's start: the key of the final order (stable, as the lambda it replaced)
