"""Spelling judged in context by a character n-gram language model: swap a character, keep it if it reads better.

Every Chinese character is tried against its confusion set — pairs written by hand and learned from the build
corpus (*trusted*), the same toneless pinyin (*sound*), one fuzzy swap away in pinyin, zh/z, n/l, ing/in (*near*),
and look-alike characters (*shape*) — see :mod:`lingxi.features.confusion`. A swap's *gain* is how much more
probable the sentence becomes under the build-time language model (:mod:`lingxi.features.ngramlm`); only the
characters whose n-grams the swap touches are rescored. A swap is kept when its gain clears the margin of its
class: a wide net (near, shape) must show a much larger gain than a mix-up people are known to make — or, for a
known mix-up or a same-sound swap of a common character, the lower margin of a swap that makes a word: the
written character stands alone in the best jieba segmentation and the swap puts it into a word, which is what
a typo undoes (a general gate in place of per-pair rules; it does the older homophone check's work) — and a lower
one still where the written character is moreover a stranger to both neighbours in the training text and the swap
makes a frequent dictionary word (局民 → 居民: evidence from the corpus, the dictionary and the model); and a known
mix-up of the very same syllable, tone included, that restores a word (做业 → 作业, 习贯 → 习惯) takes a margin of its
own (:attr:`LMMargins.exact_word`): the exact homophone an input method lists beside the right word; so does a
swap that completes a dictionary word of four characters or more (身体建康 → 身体健康, :mod:`lingxi.features.longword`,
:attr:`LMMargins.long_word`; opt-in). The margins
are chosen by ``lingxi features proofread build`` on held-out data so that false alarms on clean text stay within
budget, and recorded in its manifest.

Sentences with two errors next to each other (邮句计 for 邮局寄) are handled in passes: the surest fixes are
applied first and the rest rescored against the corrected text. Never proposed: 他/她/它 (who is meant is not
in the text) and 的/地/得, which the syntactic rules of :mod:`lingxi.features.dedide` decide.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np
import numpy.typing as npt

from lingxi.features import charlm, confusion, lmaccept, longword, ngramlm

PASSES = 3
#: Characters either side of a swap whose word segmentation is compared.
WORD_WINDOW = 4
CLASSES = ("trusted", "sound", "near", "shape")
#: The classes whose swaps may take the lower :attr:`LMMargins.makes_word` margin: a known mix-up or the same
#: sound (what an input method offers); near sounds and look-alikes are wide nets and keep their own margins.
WORD_CLASSES = frozenset({0, 1})
#: A character as written must be this frequent as a jieba single-character word (as a same-sound candidate must
#: be) for that lower margin: people mistype common characters, while a rare one in clean text is there on
#: purpose (嗜, 郃, 霰 in medical and legal text read as typos of common characters otherwise).
COMMON = confusion.MIN_CHAR_FREQ
#: A swap that makes a word (:attr:`LMFix.makes_word`) *restores* one (:attr:`LMFix.restores_word`) when the
#: written character is also a stranger to both neighbours in the training text — each pair seen after at most
#: this many different characters (the model's Kneser–Ney count) — …
STRANGER_CONTEXTS = 3.0
#: … the pair it makes with a neighbour is a jieba word at least this frequent while the written pair is none …
RESTORED_WORD_FREQ = 100
#: … and the best word segmentation nearby gains at least this many nats (:attr:`LMFix.word_gain`).
RESTORED_WORD_GAIN = 5.0
#: The word-segmentation gain (nats) of a known mix-up of the exact syllable for :attr:`LMFix.exact_word`.
EXACT_WORD_GAIN = 5.0
#: The word-segmentation gain (nats) of a swap that completes a long word, for :attr:`LMFix.long_word`.
LONG_WORD_GAIN = 3.0
#: :attr:`LMMargins.long_word` of a build with ``--long-words`` (opt-in; the default, 99, takes no swap lower).
LONG_WORD_MARGIN = 3.0
#: A learned pair with no kinship of sound or shape (大/小, 下/上, 晃/放: the corpus's mix-ups include words put
#: for others) that restores no word — its word segmentation gains under :data:`UNKIN_WORD_GAIN` nats — changes
#: what the text says rather than how it is spelt: it needs this margin at least (一棵大树 → 小树, 周五下午 → 上午;
#: :attr:`LMMargins.unkin`).
UNKIN_MARGIN = 13.0
UNKIN_WORD_GAIN = 3.0


class LMMargins(NamedTuple):
    """Log-probability gain (nats) a swap needs, per confusion class, and the weight of the word-level gain."""

    trusted: float = 12.0
    sound: float = 14.0
    near: float = 18.0
    shape: float = 18.0
    word_weight: float = 0.5
    #: The margin of a swap that puts a common character back into a dictionary word (see :class:`LMFix`) when
    #: lower than its class's own: such typos (睡叫 → 睡觉, 已后 → 以后) gain 6–10 nats, under the class margins
    #: that keep clean text quiet. The build chooses it with the others; 8 is what it chose on ECSpell and the
    #: licensed everyday text (the default for manifests written before this margin existed).
    makes_word: float = 8.0
    #: The margin of a swap that restores a word (see :class:`LMFix`): the written character stands alone, the
    #: training text has hardly seen it beside either neighbour, and the swap makes a frequent dictionary word with
    #: one of them (局民 → 居民, 比塞 → 比赛, 风境 → 风景, 太度 → 态度: 5.5–7.5 nats, under the makes-word margin).
    #: Not in the build's grid: chosen on the wave-7/8 held-out sets (dev), ECSpell validation and held-out
    #: licensed text (``benchmarks/README.md``, wave 10); manifests hold six margins and take this default.
    restores_word: float = 6.0
    #: The margin of a known mix-up of the same syllable, tone included, that restores a word (see
    #: :attr:`LMFix.exact_word`): 做业 → 作业, 习贯 → 习惯, 炼习 → 练习, 修息 → 休息 gain 5–7.5 nats. Not in the
    #: build's grid: chosen on the wave-7–12 held-out sets (dev), ECSpell validation and held-out licensed text
    #: (``benchmarks/README.md``, wave 14).
    exact_word: float = 5.0
    #: The margin of a swap that completes a long dictionary word (see :attr:`LMFix.long_word`): 很感性趣 → 兴,
    #: 准时出息 → 席 gain 3–10 nats. Off (99) unless built with ``--long-words`` (:data:`LONG_WORD_MARGIN`): on the
    #: held-out dev sets it added 16 right swaps and no wrong one, but on the ECSpell test split it alarmed one
    #: clean sentence more, so the wave-15 rule kept it opt-in (``benchmarks/README.md``). Not in the build's grid.
    long_word: float = 99.0
    #: The least margin of a learned pair with no kinship of sound or shape that restores no word
    #: (:data:`UNKIN_MARGIN`; 0 takes the class's margin). Not in the build's grid, which runs with it at 0 and
    #: sets it after: in the grid it let the trusted margin fall to 8, which alarmed clean hand-written sentences
    #: (wave 15, proof2); manifests written before it take the default.
    unkin: float = UNKIN_MARGIN


class LMFix(NamedTuple):
    start: int
    original: str
    replacement: str
    kind: str  # one of CLASSES
    gain: float  # character n-gram log-probability gain
    word_gain: float = 0.0  # gain of the best jieba segmentation of the nearby characters (charlm)
    #: A common written character stands alone in the best segmentation of its neighbourhood and the swap (a
    #: known mix-up or the same sound) makes it part of a word of two or more (图书官 → 图书馆, 睡叫 → 睡觉): the
    #: shape of an input-method typo, which breaks a word its fix restores.
    makes_word: bool = False
    #: It makes a word and the written character is a stranger where it stands: each pair it forms with a
    #: neighbour is seen after at most :data:`STRANGER_CONTEXTS` characters in the training text, the pair the
    #: swap makes with a neighbour is a frequent dictionary word (the written pair is none), and the word
    #: segmentation gains :data:`RESTORED_WORD_GAIN` nats. Evidence from three sides that a word was broken,
    #: so a lower margin (:attr:`LMMargins.restores_word`).
    restores_word: bool = False
    #: The learned judge's probability that the swap is a real fix (:mod:`lingxi.features.lmaccept`); 0 when
    #: no judge was built or the swap lowers the text's probability (never judged).
    judged: float = 0.0
    #: A known mix-up (:data:`CLASSES` trusted: the seed or the build corpus's learned pairs) of the same syllable
    #: with its tone (:func:`confusion.same_syllable`) whose word segmentation gains :data:`EXACT_WORD_GAIN` nats:
    #: the exact homophone an input method offers beside the right word, putting back a word it broke (作业,
    #: 习惯). On clean text such swaps seldom gain that much (a second fluent reading needs another word).
    exact_word: bool = False
    #: The swap puts the character into a dictionary word of four or more characters, longer than any covering it
    #: as written (:func:`longword.completes`), and the word segmentation gains :data:`LONG_WORD_GAIN` nats; a
    #: known mix-up, a look-alike, or a same-sound swap of the characters' usual reading (not a near sound).
    long_word: bool = False
    #: A known mix-up (class trusted) with no kinship of sound or shape (:data:`UNKIN_MARGIN`).
    unkin: bool = False


@dataclass(frozen=True)
class LMChecker:
    lm: ngramlm.NgramLM
    confusions: confusion.Confusions
    sound: dict[str, frozenset[str]]
    near: dict[str, frozenset[str]]
    shape: dict[str, frozenset[str]]
    margins: LMMargins
    judge: lmaccept.Judge | None = None

    def options(self, ch: str) -> list[tuple[str, int]]:
        """``(replacement, class index)`` for ``ch``, each replacement once, in its most trusted class."""
        if ch in confusion.EXCLUDED:
            return []
        seen: dict[str, int] = dict.fromkeys(sorted(self.confusions.trusted.get(ch, frozenset())), 0)
        for k, table in ((1, self.sound), (2, self.near), (3, self.shape)):
            for c in sorted(table.get(ch, frozenset())):
                seen.setdefault(c, k)
        return [(c, k) for c, k in seen.items() if c not in confusion.EXCLUDED and c in self.lm.vocab]


def _plausible(model: LMChecker, ids: list[int], pos: npt.NDArray[np.intp], new: npt.NDArray[np.int64]) -> Any:
    """Whether each swap is worth scoring in full (what costs time): its bigrams with both neighbours are seen, or
    they are seen more often than the written character's. A swap that no bigram supports cannot clear a margin."""
    arr = np.asarray(ids, dtype=np.int64)
    left, right, old = arr[pos - 1], arr[pos + 1], arr[pos]

    def seen(a: npt.NDArray[np.int64], b: npt.NDArray[np.int64]) -> npt.NDArray[np.float64]:
        return model.lm.counts(np.stack([a, b], axis=1))

    after_left, after_right = seen(left, new), seen(new, right)
    # either the swap's bigrams are seen more often, or both are seen at all (高性 → 高兴: 高性能 makes 高性 common)
    return (after_left + after_right > seen(left, old) + seen(old, right)) | ((after_left > 0) & (after_right > 0))


def candidates(text: str, model: LMChecker, skip: frozenset[int] = frozenset()) -> list[LMFix]:
    """Every plausible swap with its gain (before any margin); offsets index ``text``; ``skip`` positions are left.

    The gain is measured on the characters whose n-gram windows contain the swapped one; the windows of the
    whole text, as written and with every swap, are scored in two batches.
    """
    lm, order = model.lm, ngramlm.ORDER
    plan: list[tuple[int, str, str, int]] = []  # offset in text, old, new, class
    strangers: list[bool] = []  # per plan entry: the written character is a stranger to both neighbours
    bases, windows, owners, base_rows = [], [], [], []
    base_at = 0
    for offset, run in ngramlm.runs(text):
        mine = [(i, cand, k) for i, ch in enumerate(run) if offset + i not in skip for cand, k in model.options(ch)]
        if not mine:
            continue
        ids = lm.encode(run)
        pos = np.array([i + 1 for i, _, _ in mine])
        new_ids = np.array([lm.vocab[c] for _, c, _ in mine], dtype=np.int64)
        keep = _plausible(model, ids, pos, new_ids) | (np.array([k for _, _, k in mine]) == 0)
        mine, pos, new_ids = [m for m, kept in zip(mine, keep, strict=True) if kept], pos[keep], new_ids[keep]
        if not mine:
            continue
        strangers += _strangers(model, ids, pos).tolist()
        base_win = lm.windows(ids)  # row r scores position r + 1
        first = len(plan)
        for shift in range(order):
            q = pos + shift
            ok = q < len(ids)
            swapped = base_win[q[ok] - 1].copy()
            swapped[:, order - 1 - shift] = new_ids[ok]
            windows.append(swapped)
            owners.append(first + np.flatnonzero(ok))
            base_rows.append(base_at + q[ok] - 1)
        bases.append(base_win)
        base_at += len(base_win)
        plan += [(offset + i, run[i], cand, k) for i, cand, k in mine]
    if not plan:
        return []
    base = lm.window_logprobs(np.concatenate(bases))
    scores = lm.window_logprobs(np.concatenate(windows)) - base[np.concatenate(base_rows)]
    gains = np.zeros(len(plan))
    np.add.at(gains, np.concatenate(owners), scores)
    words = _word_gains(text, plan)
    spans = {start: m.span() for m in ngramlm.RUN.finditer(text) for start in range(*m.span())}
    freq = charlm.word_freq()
    out = []
    for (start, old, new, k), g, (w, makes), stranger in zip(plan, gains, words, strangers, strict=True):
        makes = makes and k in WORD_CLASSES and freq.get(old, 0) >= COMMON
        restores = makes and stranger and w >= RESTORED_WORD_GAIN and _restored_pair(text, start, new, freq)
        exact = k == 0 and w >= EXACT_WORD_GAIN and confusion.same_syllable(old, new)
        long = w >= LONG_WORD_GAIN and _exact_sound(old, new, k) and longword.completes(text, start, new, *spans[start])
        unkin = k == 0 and w < UNKIN_WORD_GAIN and not _kin(model, old, new)
        out.append(LMFix(start, old, new, CLASSES[k], float(g), w, makes, restores, 0.0, exact, long, unkin))
    return out


def _kin(model: LMChecker, old: str, new: str) -> bool:
    """Whether ``new`` sounds like ``old`` (the same or a near sound) or looks like it."""
    return any(new in table.get(old, ()) for table in (model.sound, model.near, model.shape))


def _exact_sound(old: str, new: str, k: int) -> bool:
    """A known mix-up (class 0), a look-alike (3), or the same sound by the characters' usual reading (1)."""
    return k in (0, 3) or (k == 1 and longword.usual_reading(old) == longword.usual_reading(new))


def _strangers(model: LMChecker, ids: list[int], pos: npt.NDArray[np.intp]) -> Any:
    """Whether the written character at each position of the encoded run ``ids`` is a stranger to both
    neighbours: each pair seen after at most :data:`STRANGER_CONTEXTS` characters in the training text (the start
    or end of a run is no neighbour). A character people write there on purpose shares pairs with its
    neighbours (还含有, 学而时习之); a typo's written character seldom does (局民, 比塞)."""
    arr = np.asarray(ids, dtype=np.int64)
    left, right, old = arr[pos - 1], arr[pos + 1], arr[pos]
    before = np.where(pos > 1, model.lm.counts(np.stack([left, old], axis=1)), 0.0)
    after = np.where(pos < len(arr) - 2, model.lm.counts(np.stack([old, right], axis=1)), 0.0)
    return (before <= STRANGER_CONTEXTS) & (after <= STRANGER_CONTEXTS)


def _restored_pair(text: str, start: int, new: str, freq: dict[str, int]) -> bool:
    """The swap makes a frequent dictionary word of two with a neighbour where the written pair is no word."""
    for a, b in ((start - 1, start), (start, start + 1)):
        if a < 0 or b >= len(text):
            continue
        made = new + text[b] if a == start else text[a] + new
        if freq.get(made, 0) >= RESTORED_WORD_FREQ and not freq.get(text[a : b + 1], 0):
            return True
    return False


def word_len(words: list[str], pos: int) -> int:
    """Length of the word that covers character ``pos`` of the segmented stretch ``words``."""
    at = 0
    for w in words:
        at += len(w)
        if pos < at:
            return len(w)
    return 0


def _word_gains(text: str, plan: list[tuple[int, str, str, int]]) -> list[tuple[float, bool]]:
    """How much more probable the best word segmentation of the swap's neighbourhood becomes (a typo breaks a
    word, its fix restores one: 小苟 → 小狗, 显慕 → 羡慕), within the run of Chinese characters, and whether the
    swap takes the character from standing alone into a word."""
    spans = {start: m.span() for m in ngramlm.RUN.finditer(text) for start in range(*m.span())}
    before: dict[int, tuple[float, bool]] = {}
    out = []
    for start, _, new, _ in plan:
        lo, hi = spans[start]
        lo, hi = max(lo, start - WORD_WINDOW), min(hi, start + WORD_WINDOW + 1)
        if start not in before:
            score, words = charlm.segment_logprob(text[lo:hi])
            before[start] = score, word_len(words, start - lo) == 1
        after, words = charlm.segment_logprob(text[lo:start] + new + text[start + 1 : hi])
        out.append((after - before[start][0], before[start][1] and word_len(words, start - lo) >= 2))
    return out


def select(found: list[LMFix], margins: LMMargins, threshold: float = math.inf) -> list[LMFix]:
    """The swaps that clear their margins, strongest first, then those the learned judge puts at ``threshold`` or
    more (:attr:`LMFix.judged`), surest first; none within n-gram reach of one taken before it."""
    limit = dict(zip(CLASSES, margins, strict=False))

    def needed(f: LMFix) -> float:
        lower = [margins.makes_word] * f.makes_word + [margins.restores_word] * f.restores_word
        lower += [margins.exact_word] * f.exact_word + [margins.long_word] * f.long_word
        own = max(limit[f.kind], margins.unkin) if f.unkin else limit[f.kind]
        return min([own, *lower])

    scored = [f._replace(gain=f.gain + margins.word_weight * f.word_gain) for f in found]
    clearing = [f for f in scored if f.gain > needed(f)]
    # a near sound is the same-sound net widened by a fuzzy initial or final: where a same-sound swap clears its
    # class's own margin at the same place, the exact sound wins (钢到家: 刚 over 感, which gains more; not where
    # it clears only a lower word margin). Look-alikes are another kind of typo (周未 → 末, not the same-sound 围)
    # and keep competing on their excess.
    exact = {f.start for f in clearing if f.kind == "sound" and f.gain > margins.sound}
    clearing = [f for f in clearing if not (f.kind == "near" and f.start in exact)]
    clearing.sort(key=lambda f: f.gain - needed(f), reverse=True)
    by_judge = sorted((f for f in scored if f.gain <= needed(f) and f.judged >= threshold), key=lambda f: -f.judged)
    kept: list[LMFix] = []
    for f in [*clearing, *by_judge]:
        if all(abs(f.start - k.start) >= ngramlm.ORDER for k in kept):
            kept.append(f)
    return kept


def find(text: str, model: LMChecker) -> list[LMFix]:
    """The swaps the model is sure of, in text order (offsets are ``str`` indices into ``text``)."""
    fixed: dict[int, LMFix] = {}
    current = text
    repeated = _tentative(text)
    for _ in range(PASSES):
        found = judged(current, candidates(current, model, frozenset(fixed) | repeated), model)
        new = select(found, model.margins, model.judge.threshold if model.judge else math.inf)
        if not new:
            break
        for f in new:
            fixed[f.start] = f._replace(original=text[f.start])
            current = current[: f.start] + f.replacement + current[f.start + 1 :]
    return [fixed[k] for k in sorted(fixed)]


def judged(text: str, found: list[LMFix], model: LMChecker) -> list[LMFix]:
    """``found`` with the judge's probability on each swap that raises the text's probability (the rest keep 0)."""
    if model.judge is None or model.judge.words is None:
        return found
    rising = [k for k, f in enumerate(found) if f.gain > lmaccept.FLOOR]
    if not rising:
        return found
    x = lmaccept.features(text, [found[k] for k in rising], model, model.judge.words)
    probs = model.judge.probability(x)
    out = list(found)
    for k, p in zip(rising, probs, strict=True):
        out[k] = found[k]._replace(judged=float(p))
    return out


def _tentative(text: str) -> frozenset[int]:
    """Offsets of both verbs of a tentative form V一V (躲一躲, 试一试): the repetition vouches for the character,
    where a typo would break the pair (躲一度)."""
    return frozenset(
        k for i in range(len(text) - 2) if text[i + 1] == "一" and text[i] == text[i + 2] != "一" for k in (i, i + 2)
    )


def lm_path(home: Path) -> Path:
    return home / "proofread" / "current" / "charlm.npz"


def manifest_path(home: Path) -> Path:
    """What ``lingxi features proofread build`` wrote last: its margins, and the stamp of a rebuild."""
    return home / "proofread" / "current" / "manifest.json"


def load_checker(home: Path | None) -> LMChecker | None:
    """The checker built into ``home``, or None when no language model was built (the rules then run alone)."""
    if home is None or not lm_path(home).is_file():
        return None
    return _load(str(home))


def forget() -> None:
    _load.cache_clear()


@lru_cache(maxsize=2)
def _load(home_key: str) -> LMChecker:
    home = Path(home_key)
    margins = LMMargins()
    manifest = manifest_path(home)
    if manifest.is_file():
        chosen = json.loads(manifest.read_text(encoding="utf-8")).get("lm_margins")
        if chosen:
            margins = LMMargins(*chosen)
    return LMChecker(
        ngramlm.load(lm_path(home)),
        confusion.load(home),
        confusion.sound_alikes_wide(),
        confusion.near_sounds(),
        confusion.shape_alikes(),
        margins,
        lmaccept.load(home),
    )
