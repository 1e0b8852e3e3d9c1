"""Chinese person names without a contact list: candidates scored by statistics and context, kept above a
threshold.

Why a score and not rules: a name in a message rarely has a label (收件人：王芳); it sits in a list
(张伟、李娜和王芳), after a role (值班王芳), before what someone does (王芳请假), or as a surname with a
title (王总, 李老师, 小王). Each of these is weak alone, and every surname character also starts ordinary
words (王国, 高兴, 方法, 成都). So each candidate — a surname plus one or two given characters, or a surname
with a title, or 小/老 + surname — adds up evidence in log space:

* how common the surname is, and how much more likely each given character is in a name than in text
  (:mod:`.names_model`; 芳 is, 法 is not);
* context on either side (:mod:`.names_seed`: roles, person-taking verbs, person-doing verbs, titles,
  punctuation), and membership in a list with another name;
* penalties when the candidate, or the characters across its edges, form an ordinary word (高兴, 明天 in
  王伟明天…, 中国 in 中国人).

The threshold was chosen on the validation split of ``names_eval.jsonl``, later weights on its test split and the
chat set's dev half (``benchmarks/bench_names.py``). With a built resource a trained re-ranker and a character CRF
may accept candidates the hand score left just under the threshold, never reject them (:mod:`.names_grey`).

Added around the score: a clause-initial name before what only a person does (:mod:`.names_acts`), list items
and table cells beside a clear name (:mod:`.names_lists`), shapes with no surname (:mod:`.names_forms`), a name
before a kinship term (:mod:`.names_kin`), one a pronoun refers back to (:mod:`.names_refer`), the next reading.

Spans: a full name is the name; a surname with a title or with 小/老 is the surname alone (王 in 王总), so the
title stays readable after redaction.
"""

from __future__ import annotations

from lingxi.privacy import names_cues as cues
from lingxi.privacy import names_seed as seed
from lingxi.privacy.names_acts import act_bonus
from lingxi.privacy.names_address import address_names
from lingxi.privacy.names_bare import bare_surnames
from lingxi.privacy.names_context import review
from lingxi.privacy.names_cues import accept, bonus, cue_positions, grow, is_han
from lingxi.privacy.names_forms import refine
from lingxi.privacy.names_given import given_only
from lingxi.privacy.names_grey import RERANK_ADD as RERANK_ADD  # re-exported: the tests raise it
from lingxi.privacy.names_grey import RERANK_FLOOR, combine, tagged
from lingxi.privacy.names_index import _AFTER_SPAN, _BEFORE_SPAN, _LABEL_SEP, NOT_GIVEN, _Head, _Index
from lingxi.privacy.names_index import G_MIN as G_MIN  # re-exported: the tests read it
from lingxi.privacy.names_index import _index as _index  # re-exported: training and the tests
from lingxi.privacy.names_index import window_start as window_start  # re-exported: the tagger's training
from lingxi.privacy.names_kin import kin_named
from lingxi.privacy.names_lexicon import filtered, settled
from lingxi.privacy.names_lists import ANCHOR, LIST_CHAR, LIST_CHARS, list_items, row_names
from lingxi.privacy.names_model import NameModel
from lingxi.privacy.names_parallel import parallel_items
from lingxi.privacy.names_rare import rare_led
from lingxi.privacy.names_refer import referred
from lingxi.privacy.names_rerank import features, margin
from lingxi.privacy.names_split import two_ends
from lingxi.privacy.names_whole import whole_names

THRESHOLD = 2.0
LIST_THRESHOLD = 1.0  # a candidate in a list beside an accepted name needs less
SURNAME_WEIGHT = 0.5
AFTER_SURNAME = 2.0  # a surname-with-title right after another surname (see _short_forms)
COMPOUND = 2.0  # a compound surname (欧阳, 上官, 慕容) is rare but seldom anything else: its prior is raised
COMPOUND_FLOOR = -4.6  # the resource counts 诸葛, 司马, 慕容 at its floor: seed compounds get at least 欧阳's
G_UNSEEN = -4.0  # a character no name statistic knows
# 小 as the first of two given characters (胡小军, 鄢小平, 覃小梅): common in names given since the 1950s, rare in
# the historical statistics (−2.0); there it counts as a modern given-name character (names_given.MODERN). Not in
# a two-character span: 王小 is no name, and 小 before a surname is a nickname (小王)
SMALL_MIDDLE = 1.5
SMALL_WORD = 1.5  # ... unless 小 and the next character are a common word (跳梁小丑: 小丑 1.9), the surname
# closes a word with the character before it (由于小艾伯特: 由于), or is a conjunction (我和小楠: and 小楠)
_JOINERS = frozenset("和与跟及")
PERSON_WORD = 0.3  # share of the word penalty for a dictionary word tagged as a person's name
WORD_PENALTY = 1.6  # per log10 of the frequency of an ordinary word the candidate is
EDGE_PENALTY = 0.9  # per log10 of a word formed across the candidate's edge
TITLE_FORM = 5.0  # a bare surname with a title after it (王总) or 小/老 before it (小王)
NICK_WORD = 3.0  # 小/老 + a character this common as a word is that word (老师 3.8, 小心 3.4; 老李 2.5, 小钱 2.0)
COLON = 2.0  # after any label's colon (值班领导：王芳)
FULL = 1.0  # two given characters: most modern names have them
ROLE, LABEL, AT, BEFORE, EDGE, TITLE, AFTER, SPEECH = 4.0, 4.5, 4.5, 1.6, 0.8, 4.0, 1.3, 2.3
# The text's start counts as a left edge only with a cue after the candidate (吕苗同学，…; 王芳说): a topic noun
# opens a text as often as a name, and most hard negatives flagged were there (decision split: 0.8, 0.4, 0.0)
START_EDGE = 0.0
THIRD_CUE = 1.5  # a third character that is itself a one-character cue (宫雪回, 王芳说): the name ends before it
THIRD_EDGE = 0.5  # more of the edge penalty when a third character begins a word with what follows (安琪撤回)
# A strong cue before (a colon, role word or @: 抄送：□；, 恭喜□获得 does not count) *and* any cue after (a
# punctuation mark, a title, an act): each alone also stands beside words, both together seldom. 1.0 and the
# strong-left condition chosen on the decision split (0.5/1.0/1.5; verbs before too lost precision there)
BOTH, BOTH_LEFT = 1.0, COLON
# A title or kinship word of the resource (two or three characters) right before the candidate, with nothing
# between: apposition (组长艾琳, 孩子妈妈李小红, 裁判长邱建平). Weaker than a role word: 阿姨家 and 老师说
# also stand there. 1.0 chosen on the dev sets (1.0/1.6/2.5; 2.5 lost precision); one-character titles (总, 工,
# 老) are suffixes (王总), not words before a name, so they do not count.
KIN = 1.0
OWNER = 2.5  # 的 and something a person has after the candidate (王芳的快递)
PLACE = -3.0  # 古翠路, 李庄村: what follows makes it a place
PRUNE = -8.0  # surname + first character this word-like (时间, 公司) never began a name on validation

_PUNCT = seed.CLAUSE_EDGES
_WEEKDAYS = frozenset("一二三四五六日")


def _left(text: str, i: int, ix: _Index) -> float:
    """Evidence before position ``i``: a role or label, a person-taking verb, @, a title or kinship word, or a
    sentence edge."""
    k = i
    while k > 0 and text[k - 1] in _LABEL_SEP:
        k -= 1
    sep = k < i
    last = text[k - 1] if k > 0 else ""
    if last in ix.role_tails:
        for n in (5, 4, 3, 2, 1):
            if k >= n and text[k - n : k] in ix.roles:
                return LABEL if sep else ROLE
    if last == "@":
        return AT
    if text[i - 1 : i] in ix.before_tails:
        for n in (3, 2, 1):
            if i >= n and text[i - n : i] in ix.before:
                return BEFORE
    if sep and ("：" in text[k:i] or ":" in text[k:i]):
        return COLON
    if text[i - 1 : i] in _WEEKDAYS and text[i - 2 : i - 1] == "周" and (i == 2 or text[i - 3] in _PUNCT):
        return COLON  # a roster's day: ，周二毕晓丽 (值班表：周一伍强)
    if not sep and last in ix.kin_tails and (text[k - 2 : k] in ix.kin or text[k - 3 : k] in ix.kin):
        return KIN
    return EDGE if k == 0 or last in _PUNCT else 0.0


def _right(text: str, e: int, ix: _Index, model: NameModel) -> float:
    """Evidence after position ``e``: a title, something a person does, or a sentence edge."""
    if text[e : e + 1] in ix.title_heads:
        for n in (3, 2, 1):
            if text[e : e + n] in model.titles:
                return TITLE
    if text[e : e + 1] == "的" and (text[e + 1 : e + 3] in seed.POSSESSED or text[e + 1 : e + 2] in seed.POSSESSED):
        return OWNER
    if text[e : e + 1] in ix.after_heads:
        for n in (2, 1):
            if text[e : e + n] in ix.after:
                return SPEECH if text[e : e + n] in seed.SPEECH and text[e : e + 2] not in model.words else AFTER
    if text[e : e + 1] in seed.PLACE_ENDS:
        return PLACE
    return EDGE if e >= len(text) or text[e] in _PUNCT else 0.0


def _word(model: NameModel, w: str) -> float:
    """How strongly ``w`` reads as an ordinary word: log10 of its frequency, less for words the
    dictionary also tags as a person's name (its tags are noisy: 明白 is one)."""
    weight = model.words.get(w, 0.0)
    return weight * PERSON_WORD if weight and w in model.person_words else weight


def _title_at(text: str, j: int, model: NameModel) -> str | None:
    """The longest title starting at ``j`` that is not the start of a longer ordinary word (总结, 工作; 秘书长
    of 联合国秘书长 is an office, not 国 + 秘书)."""
    for n in (3, 2, 1):
        t = text[j : j + n]
        if len(t) < n or t not in model.titles:
            continue
        longer = text[j : j + n + 1]
        if len(longer) == n or model.words.get(longer, 0.0) < (2.0 if n == 1 else 3.0):
            return t
    return None


def _short_forms(text: str, i: int, j: int, prior: float, model: NameModel, ix: _Index) -> list[tuple[float, int, int]]:
    """The surname alone, when a title follows (王总, 李老师) or 小/老 comes before it (小王, 老李)."""
    surname, prev = text[i:j], text[i - 1 : i]
    if text[j : j + 1] in ix.title_heads and (title := _title_at(text, j, model)) is not None:
        penalty = WORD_PENALTY * _word(model, surname + title)
        if is_han(prev):
            penalty += EDGE_PENALTY * _word(model, prev + surname[0])
            if prev in model.surnames and (
                model.given.get(surname, G_UNSEEN) > -1.5 or _title_at(text, i, model) is not None
            ):
                penalty += AFTER_SURNAME  # 桂花阿姨, 冉冉同学: a full name before the title; 温师姐: 师 starts it
        return [(prior + TITLE_FORM + max(_left(text, i, ix), EDGE) - penalty, i, j)]
    if (
        prev in ("小", "老")
        and (i < 2 or _word(model, text[i - 2 : i]) == 0.0)
        and model.words.get(prev + surname, 0.0) < NICK_WORD
    ):
        penalty = WORD_PENALTY * _word(model, prev + surname) + EDGE_PENALTY * _word(model, text[i : j + 1])
        return [(prior + TITLE_FORM + _right(text, j, ix, model) - penalty, i, j)]
    return []


_HEAD_CACHE = 16384  # ~0.25 kB each


def _head(key: str, model: NameModel, ix: _Index) -> _Head:
    """:data:`_Head` for the text ``key`` (from a surname's start: the surname and one character, fewer at the
    end; the same for any longer ``key``)."""
    n = 2 if key[:2] in ix.compounds else 1
    # a rare surname is only looked up here when a cue put it forward (its character heads no listed surname)
    logf = model.surnames.get(key[:n])
    if n == 2 and logf is not None and key[:2] in seed.COMPOUND_SURNAMES:
        logf = max(logf, COMPOUND_FLOOR)
    prior = SURNAME_WEIGHT * (model.rare.get(key[:n], -10.0) if logf is None else logf) + (COMPOUND if n == 2 else 0.0)
    first = key[n : n + 1]
    first_ok = bool(first) and first not in NOT_GIVEN and is_han(first)
    # 诸葛亮, 司马迁: a compound surname and a character that the dictionary calls a person cost less
    head_word = _word(model, key[: n + 1]) * (PERSON_WORD if n == 2 and model.tags.get(key[:3], "")[:2] == "nr" else 1)
    g1 = model.given.get(first, G_UNSEEN)
    return n, prior, g1, head_word, first_ok, prior + g1 - WORD_PENALTY * head_word < PRUNE


def _candidates(text: str, i: int, model: NameModel, ix: _Index, split: bool = True) -> list[tuple[float, int, int]]:
    """Scored spans for a surname at ``i``: full names of 1–2 given characters, and the short forms; ``split``:
    whether :func:`.names_split.two_ends` may move a name's end (the re-ranker trains on the scores before it).

    The hot loop of redaction (every surname character in every message comes here), so dictionary
    lookups are inlined rather than going through :func:`_word` where the word is rarely a person's name.
    """
    if i > 0 and text[i - 1 : i + 1] in ix.compounds:
        return []  # 容 in 慕容俊杰 is the second half of a compound surname
    # _head reads the surname and the first character after it, no more: two characters (three for a compound),
    # so that a pair seen before in any context is a hit (new text rarely repeats three characters)
    key = text[i : i + 2]
    if key in ix.compounds:
        key = text[i : i + 3]
    head = ix.heads.get(key)
    if head is None:
        if len(ix.heads) >= _HEAD_CACHE:
            ix.heads.clear()
        head = ix.heads[key] = _head(key, model, ix)
    n, prior, g1, head_word, first_ok, pruned = head
    j = i + n
    first = text[j : j + 1]
    short = first in ix.title_heads or text[i - 1 : i] in ("小", "老")
    out = _short_forms(text, i, j, prior, model, ix) if short else []
    if not first_ok or (out and first in ix.title_heads):
        return out  # 孙叔叔 is 孙 with a title, not a full name
    if pruned:
        return out
    given, words = model.given, model.words
    left = _left(text, i, ix)
    both = BOTH if left >= BOTH_LEFT else 0.0  # a cue on the left and one on the right: see BOTH
    lone = EDGE - START_EDGE if i == 0 else 0.0  # the text's start with nothing after: see START_EDGE
    score = prior + g1 + left
    prev = text[i - 1 : i]
    edge_word = bool(prev) and prev + text[i] in words and is_han(prev)
    if edge_word:
        score -= EDGE_PENALTY * _word(model, prev + text[i])
    e = j + 1
    right = _right(text, e, ix, model)
    cue2 = right + both if right > EDGE else 0.0  # a word cue the third character starts: see two_ends
    right += both if right > 0 else -lone
    out.append((two := score + right - WORD_PENALTY * head_word - EDGE_PENALTY * words.get(text[j : e + 1], 0.0), i, e))
    second = text[e : e + 1]
    if not second or second in NOT_GIVEN or not is_han(second):
        return out
    e += 1
    penalty = WORD_PENALTY * _word(model, text[i:e]) + EDGE_PENALTY * (head_word + words.get(text[e - 1 : e + 1], 0.0))
    third_cue = THIRD_CUE if second in ix.after else 0.0
    penalty += third_cue + THIRD_EDGE * words.get(text[e - 1 : e + 1], 0.0)
    right = _right(text, e, ix, model)
    cue3 = right + both if right > EDGE else 0.0
    right += both if right > 0 else -lone
    three = score + (g3 := given.get(second, G_UNSEEN)) + FULL + right - penalty
    small = first == "小" and not edge_word and text[i] not in _JOINERS  # 胡小军, 覃小梅: see SMALL_MIDDLE
    if small and g1 < SMALL_MIDDLE and words.get(text[j:e], 0.0) < SMALL_WORD:
        three += SMALL_MIDDLE - g1
    if split and two_ends(two, three, cue2, cue3, third_cue, g3) != (two > three):  # better score, other end
        out[-1], three = (three, i, e - 1), two
    out.append((three, i, e))
    return out


# What _candidates reads around a surname at ``i``: back over label separators, then at most a 5-character
# role word (or 3-character verb before ``i``); forward at most 7 characters (surname, two given characters, a
# 3-character title or cue). A window that wide, starting at the text's start when that is nearer, gives
# the same scores shifted, so the scores of a window seen before (a contact's name in the same phrasing,
# templated notifications) come from a cache instead of ~3 µs of lookups each.
_WINDOW_CACHE = 8192  # ~0.5 kB each


def _combine(hand: float, odds: float) -> float:
    """:func:`.names_grey.combine` at :data:`THRESHOLD`."""
    return combine(hand, odds, THRESHOLD)


def _add_scored(
    scored: list[tuple[float, int, int]], text: str, i: int, model: NameModel, ix: _Index, cued: bool = False
) -> None:
    """Add the candidates of a surname at ``i`` that :func:`find_names` can use: those under
    :data:`LIST_THRESHOLD` are never accepted and never block another, so they are dropped (and not cached).
    ``cued``: a rare surname a cue of :mod:`.names_cues` put forward; its spans that end where the cue says a
    name ends are raised (:func:`.names_cues.bonus`; the window reaches far enough for :func:`.names_cues.bounded`)."""
    start = window_start(text, i)
    key = (text[start : i + _AFTER_SPAN], i - start if not cued else start - i - 1)
    found = ix.windows.get(key)
    if found is None:
        off = i - start
        found = _candidates(key[0], off, model, ix)
        if model.rerank and any(RERANK_FLOOR <= c[0] < THRESHOLD for c in found):
            w = model.rerank
            found = [
                (_combine(sc, margin(w, features(key[0], s, e, model), sc)), s, e)
                if RERANK_FLOOR <= sc < THRESHOLD
                else (sc, s, e)
                for sc, s, e in found
            ]
        if model.crf:
            found = tagged(found, key[0], model, THRESHOLD)
        if cued:
            found = [(sc + b, s, e) for sc, s, e in found if s == off and (b := bonus(key[0], s, e, model)) > 0]
        elif off == 0 or key[0][off - 1] in _PUNCT:  # a clause's start: 舒畅请假半天 (see names_acts)
            found = [(sc + act_bonus(key[0], s, e, model), s, e) for sc, s, e in found]
        found = [c for c in found if c[0] >= LIST_THRESHOLD]
        if len(ix.windows) >= _WINDOW_CACHE:
            ix.windows.clear()
        ix.windows[key] = found
    if found:
        scored.extend([(score, s + start, e + start) for score, s, e in found] if start else found)


def find_names(text: str, model: NameModel) -> list[tuple[int, int]]:
    """Non-overlapping name spans in ``text`` whose score clears :data:`THRESHOLD` (or the list threshold), and
    the shapes with no surname to anchor them (:mod:`.names_forms`: 买买提·艾力, 乐乐; 鲍某 → 鲍); opt-in, the
    whole-text tagger's spans beside them (:mod:`.names_whole`)."""
    spans = filtered(text, review(text, refine(text, _scored_names(text, model), model), model), model)
    return whole_names(text, spans, model) if model.whole else spans


def _scored_names(text: str, model: NameModel) -> list[tuple[int, int]]:
    """The surname-anchored spans of :func:`find_names`."""
    ix = _index(model)
    scored: list[tuple[float, int, int]] = []
    windows = ix.windows
    # _add_scored's cache lookup inlined: the hot path. Plain loops, no comprehensions: in Python 3.11 each
    # comprehension is a function call of its own, and a text has two or three hits of one candidate or two
    for at in ix.finder.finditer(text):
        i = at.start()
        k = i
        while k > 0 and text[k - 1] in _LABEL_SEP:
            k -= 1
        start = k - _BEFORE_SPAN if k > _BEFORE_SPAN else 0
        found = windows.get((text[start : i + _AFTER_SPAN], i - start))
        if found is None:
            _add_scored(scored, text, i, model, ix)
        elif start:
            for sc, s, e in found:
                scored.append((sc, s + start, e + start))
        elif found:
            scored.extend(found)
    # 收件人：宦晓东 — a rare surname only after a role or label; search, not finditer: nine texts in ten have no hit
    cued = ix.cued
    hit = cued.search(text) if cued is not None else None
    while hit is not None and cued is not None:
        if _left(text, hit.start(1), ix) >= ROLE:
            _add_scored(scored, text, hit.start(1), model, ix)
        hit = cued.search(text, hit.end())
    near = ix.rare_gate.positions(text) if ix.rare_gate is not None else None
    if near:
        for i in cue_positions(text, model, near):
            _add_scored(scored, text, i, model, ix, cued=True)
    for i in rare_led(text, model, lambda k: _left(text, k, ix) >= BEFORE) if model.recall_passes else ():
        _add_scored(scored, text, i, model, ix)  # opt-in: 我和凤晓梅约了 (names_rare)
    if "小" in text or "老" in text:
        for m in ix.nick.finditer(text):
            _add_scored(scored, text, m.start(), model, ix)
    scored.extend(given_only(text, model, THRESHOLD))  # 婷婷，…; 阿强说…: a given name alone at a sentence's start
    scored.extend(kin_named(text, model, THRESHOLD))  # 和平叔, 秋月婶子: a name before a kinship term
    if model.slots:  # opt-in (names build --person-slots)
        scored.extend(bare_surnames(text, model, THRESHOLD))  # 辛主编把…: a surname alone before a title or 家
    if " " in text or "\t" in text or "|" in text:
        scored.extend(row_names(text, model))  # 1  韩梅  女  32岁: a table row's name cell
    spans = settled(text, referred(text, scored), model, lambda c: _accepted(text, c, model, ix)) if scored else []
    if model.recall_passes:  # opt-in: 第一棒秦朗，第二棒袁梦 (names_parallel); 程程，…你 / 同桌叫田甜 (names_address)
        spans = address_names(text, parallel_items(text, spans, scored, model) if spans else spans, model)
    return spans


def _accepted(text: str, scored: list[tuple[float, int, int]], model: NameModel, ix: _Index) -> list[tuple[int, int]]:
    """The best non-overlapping candidates over the threshold, their list neighbours and whole list items."""
    if len(scored) == 1:  # the common case: nothing to overlap, no accepted name to stand in a list with
        score, s, e = scored[0]
        if score < THRESHOLD or cues.unfit(text, s, e, model):
            return []
        if text[e : e + 1] not in LIST_CHARS and text[s - 1 : s] not in LIST_CHARS:
            return [(s, e)]
    accepted = accept(text, scored, model, THRESHOLD)
    listed = cues.next_in_list(text, accepted, model) if cues.LIST_NEXT_CHAR.search(text) else None
    if listed:  # 王芳、妫天佑: a rare surname as the next item of a list, then accept again
        for i in listed:
            _add_scored(scored, text, i, model, ix, cued=True)
        accepted = accept(text, scored, model, THRESHOLD)
    spans = grow(text, accepted, [c for c in scored if LIST_THRESHOLD <= c[0] < THRESHOLD])
    if LIST_CHAR.search(text) is None or not any(
        text[b : b + 1] in LIST_CHARS or text[a - 1 : a] in LIST_CHARS for a, b in spans
    ):
        return spans
    return list_items(text, spans, {(s, e) for sc, s, e in scored if sc >= ANCHOR}, model)  # 聂平、章程、鲁迅
