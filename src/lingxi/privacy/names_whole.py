"""A recall pass: a character tagger over the whole text that needs no surname window (the runtime half;
training is in :mod:`.names_whole_train`).

Why: every other pass of :mod:`.names` opens a candidate at a listed surname (or a fixed shape such as 小王),
and benchmarks/README.md (wave 13/14) measured the ceiling of that design: even a perfect grey-band tagger
reaches ~0.91 recall, since many misses have no surname window at all — a given name alone (思远, 一诺), a
familiar name (阿强, 苗苗, 强子), a name that is an ordinary word (高峰, 海燕), a lone surname before a title.
This tagger reads every character of a clause with the features of :func:`.names_crf.char_features`
(characters and their pairs, surname and given-name statistics, dictionary words starting and ending there,
cue words) and was trained on real sentences by many authors, so it proposes spans the windows never open.

Speed: in a long text (:data:`GATE_MIN_CHARS`) a clause is tagged only when the tagger's own weights, summed in
numpy, give some position of it a marginal P(B) near the floor (:mod:`.names_whole_gate`, exact forward–backward);
a span's probability is at most its first position's P(B), so the clauses skipped hold no span that would be kept.

It only adds: a span it finds is kept when its probability (a product of marginals, as
:func:`.names_crf.span_prob`) clears :data:`FLOOR` and it overlaps no span the other passes accepted. Opt-in
(``lingxi privacy names build --whole-tagger``, recorded in the manifest); with no build nothing here runs.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from lingxi.privacy.names_crf import char_features, open_tagger, span_prob
from lingxi.privacy.names_seed import ROLES
from lingxi.privacy.names_whole_gate import clauses_to_tag

if TYPE_CHECKING:
    from lingxi.privacy.names_model import NameModel

WHOLE_FILE = "whole.model"
# a span's probability under the tagger: 0.5, its own reading (on the author-held-out split 0.3..0.9 differed by
# a name or two, 0.95 lost a third of the gain)
FLOOR = 0.5
WORD_FLOOR = 1.0  # log10 frequency of a dictionary word that may not cross a span's edge (see crossed)
# texts this long or longer go through the gate first; its numpy work costs ~0.5 ms a text and ~4 µs a
# character, CRFsuite's ~6.5 µs a character of every clause: at the shared texts' 42 characters the gate was
# 2x slower, at 700 1.4x faster (wave 15, names2)
GATE_MIN_CHARS = 400
MAX_NAME = 6  # longer runs are transliterations the interpunct pass (names_forms) already reads
_PIECE = re.compile(r"[^\n。！？!?；;]+[。！？!?；;]*")  # clauses: one tagging each keeps sequences short
_HAN = re.compile(r"[\u4e00-\u9fff]")
_JOINERS = frozenset("和与跟及同")  # as one character: "and", seldom the surname
_POINTERS = frozenset("这那哪每本该此第")  # 这章, 第章: a measure word follows these, not a surname
_NAME_CHARS = re.compile(r"[\u4e00-\u9fff·]+")
_LABEL = re.compile(r"[\u4e00-\u9fff]{1,8}[：:]$")  # a field's label and its colon, right before a span


def clauses(text: str) -> list[tuple[int, str]]:
    """The clauses of ``text`` the tagger reads one at a time (with a Han character), with their offsets."""
    return [(m.start(), m.group()) for m in _PIECE.finditer(text) if _HAN.search(m.group())]


def tagged_spans(text: str, model: NameModel, floor: float = 0.0) -> list[tuple[float, int, int]]:
    """Every span the tagger labels B I… in ``text``, with its probability; with ``floor``, at least every such
    span of probability ``floor`` or more (clauses where no position reaches it are not tagged:
    :mod:`.names_whole_gate`)."""
    if not model.whole or not _HAN.search(text):
        return []
    tagger = open_tagger(model.whole)
    out: list[tuple[float, int, int]] = []
    pieces = clauses(text)
    if floor > 0.0 and len(text) >= GATE_MIN_CHARS:
        pieces = [c for c, keep in zip(pieces, clauses_to_tag(pieces, model, floor), strict=True) if keep]
    for at, piece in pieces:
        tagger.set(char_features(piece, model))
        labels = tagger.tag()
        if "B" not in labels:
            continue
        n = len(piece)
        for s, lab in enumerate(labels):
            if lab != "B":
                continue
            e = s + 1
            while e < n and labels[e] == "I":
                e += 1
            out.append((span_prob(tagger.marginal, s, e, n), at + s, at + e))
    return out


def crossed(text: str, s: int, e: int, model: NameModel) -> bool:
    """Whether a dictionary word of :data:`WORD_FLOOR` or more crosses an edge of ``text[s:e]`` (华强|北 → 华强北,
    副|经理 → 副经理, 和|平叔 → 和平), or a transliteration's dot touches it: the tagger's span is then part of a
    word or of a longer name, and the other passes read such edges already."""
    if text[s - 1 : s] == "·" or text[e : e + 1] == "·":
        return True
    words = model.words
    for a in range(max(0, s - 3), e):
        for b in range(max(a + 2, s + 1), min(len(text), a + 4) + 1):
            if (a < s < b or a < e < b) and words.get(text[a:b], -9.0) >= WORD_FLOOR:
                return True
    return False


def field_value(text: str, s: int) -> bool:
    """Whether ``text[s:]`` is the value of a field whose label names no person (付款方式：微信, 招聘：诚聘…): the
    notices teach the tagger that a label's value is a name slot, but only a role or person label (收件人：,
    值班：; :data:`.names_seed.ROLES`, or any label ending in 人: 接收人：) makes it one, and the other passes
    read those already. Chosen on the author-held-out split (wave10–12): 2 of 3 false spans gone, no name lost."""
    label = _LABEL.search(text, max(0, s - 9), s)
    if label is None:
        return False
    name = label.group()[:-1]
    return not name.endswith("人") and not any(name.endswith(r) for r in ROLES)


def fits(text: str, s: int, e: int, model: NameModel) -> bool:
    """Whether the tagger's span ``text[s:e]`` can be a name: Han characters (or a dot) only, no longer than
    :data:`MAX_NAME`, no word across its edges (:func:`crossed`); one character alone must be a listed surname
    (戚 in 快递员戚) and not a measure word's object (这章) or a joining word (经理和会计)."""
    if e - s > MAX_NAME or not _NAME_CHARS.fullmatch(text[s:e]) or crossed(text, s, e, model):
        return False
    if field_value(text, s):
        return False
    return e - s > 1 or (text[s] in model.surnames and text[s] not in _JOINERS and text[s - 1 : s] not in _POINTERS)


def whole_names(text: str, spans: list[tuple[int, int]], model: NameModel) -> list[tuple[int, int]]:
    """``spans`` plus the tagger's spans over :data:`FLOOR` that overlap none of them (sorted)."""
    found = tagged_spans(text, model, FLOOR)
    if not found:
        return spans
    out = list(spans)
    for p, s, e in found:
        if p < FLOOR or not fits(text, s, e, model):
            continue
        if all(e <= a or b <= s for a, b in out):
            out.append((s, e))
    return sorted(out)
