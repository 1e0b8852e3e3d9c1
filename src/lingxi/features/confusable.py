"""Confusion-set disambiguation: which member of a confusable group (在/再, 的/地/得, 那/哪, 做/作/坐 …) fits here.

Why: the character language model (:mod:`lingxi.features.lmcheck`) scores how a swap reads locally, and for
these groups both members read well (我在去 and 我再去 share most n-grams): the choice depends on what follows
(a verb with 了 → 在; an aspect-free verb → 再), on the sentence type (a question → 哪) and on the syntactic role
(a verb after the slot → 地, a complement → 得). Following Golding & Roth's confusion-set disambiguation, each group
has a small multinomial logistic-regression model over features of the context only — characters in a ±3 window,
the neighbouring words and their jieba part-of-speech tags, the sentence's end mark and question words — trained by
``lingxi features proofread build`` on correct licensed text, where every occurrence of a member is a labelled
example (:mod:`lingxi.features.confusable_build`). The written character itself is never a feature, and the
neighbouring words are segmented from the text on either side of the slot, so an error does not change them.

A member is flagged when the model gives another member at least the group's threshold probability (chosen at
build time on held-out text, recorded in the manifest) and the character language model does not prefer the
text as written (its gain for the swap is not negative), or — a second path — when the model gives it at least
:data:`BACKED_PROBABILITY` and the language model gains at least :data:`BACKED_GAIN` nats from the same swap: two
views that agree (去商店卖了 → 买: probability 0.91, gain 9.7). The thresholds grow with the held-out web text the
build measures flag rates on (its real typos count as false flags), so a classifier alone misses such swaps.
No model built: nothing is flagged.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np
import numpy.typing as npt

from lingxi.features import ngramlm

#: The groups, each a string of its members. Pronouns (他/她/它) are left out: who is meant is not in the text.
#: 的/地/得 are left to the syntactic rules of :mod:`lingxi.features.dedide`: the licensed training text writes 的
#: for 地 and 得 as informal Chinese does (很好的延缓, 说的好), so a model trained on it learns that usage — on the
#: dev halves and the spelling corpus's validation part this group added two false alarms for no new fix.
GROUPS = ("在再", "那哪", "做作坐座", "买卖", "已以己", "象像", "带戴", "到道", "会回", "阿啊")
#: Characters either side of the slot segmented into words for the part-of-speech features.
WORD_WINDOW = 6
SENTENCE_END = "。！？!?；;\n"
QUESTION_WORDS = ("什么", "谁", "怎么", "几", "多少", "为什么", "吗", "呢")
ASPECT = frozenset("了过着")
MODEL_FILE = "confusable.npz"
#: Dictionary words this long are fixed expressions: their characters are never flagged.
FIXED_WORD = 3
#: The second path: the classifier's probability for another member, and the language model's gain (nats) for
#: the same swap, that together flag a slot below the group's threshold. Chosen on the dev sets (learner and
#: everyday dev halves, the spelling corpus's validation part, 1,000 held-out clean sentences of the licensed
#: text) with a language model trained on all three licensed text files: 0.8 / 6 fixed two learner and one
#: everyday sentence and alarmed no clean sentence more; 0.7 / 6 alarmed one held-out sentence more, 0.6 / 4 five.
#: (Tried in wave 6 with a language model trained on less text: false alarms and no new fix.)
BACKED_PROBABILITY = 0.8
BACKED_GAIN = 6.0


class ConfusableFix(NamedTuple):
    start: int
    original: str
    replacement: str
    probability: float  # the model's probability of the replacement


def _tags(text: str) -> list[tuple[str, str]]:
    """(word, jieba tag) pairs of ``text``, dictionary only (no HMM: unknown runs stay single characters)."""
    import jieba.posseg as pseg

    return [(w.word, w.flag) for w in pseg.lcut(text, HMM=False)] if text else []


def features(text: str, i: int) -> list[str]:
    """The context features of the slot ``text[i]`` (never the character itself)."""
    left, right = text[max(0, i - 3) : i], text[i + 1 : i + 4]
    pad_l, pad_r = "^" * (3 - len(left)) + left, right + "$" * (3 - len(right))
    out = [
        f"l1={pad_l[-1]}",
        f"r1={pad_r[0]}",
        f"l2={pad_l[-2:]}",
        f"r2={pad_r[:2]}",
        f"l3={pad_l}",
        f"r3={pad_r}",
        f"lr={pad_l[-1]}_{pad_r[0]}",
    ]
    out += [f"bl={c}" for c in set(left)] + [f"br={c}" for c in set(right)]
    before = _tags(text[max(0, i - WORD_WINDOW) : i])[-2:]
    after = _tags(text[i + 1 : i + 1 + WORD_WINDOW])[:3]
    pw, pt = before[-1] if before else ("^", "^")
    pt2 = before[-2][1] if len(before) > 1 else "^"
    nw, nt = after[0] if after else ("$", "$")
    nt2 = after[1][1] if len(after) > 1 else "$"
    nt3 = after[2][1] if len(after) > 2 else "$"
    out += [
        f"pw={pw}",
        f"pt={pt}",
        f"pt2={pt2}_{pt}",
        f"nw={nw}",
        f"nt={nt}",
        f"nt2={nt}_{nt2}",
        f"nt3={nt}_{nt2}_{nt3}",
        f"pn={pt}_{nt}",
        f"pwn={pw}_{nt}",
        f"pnw={pt}_{nw}",
        f"p0={pt[:1]}",
        f"n0={nt[:1]}",
        f"pn0={pt[:1]}_{nt[:1]}",
    ]
    if after and (ASPECT & set("".join(w for w, _ in after[1:]))):
        out.append(f"aspect_after_{nt[:1]}")
    end = next((k for k in range(i + 1, len(text)) if text[k] in SENTENCE_END), len(text))
    start = max((k + 1 for k in range(i) if text[k] in SENTENCE_END), default=0)
    sentence = text[start:end]
    out.append(f"end={text[end] if end < len(text) else '$'}")
    out.append(f"last={text[end - 1] if end - 1 > i else '$'}")
    if any(q in sentence for q in QUESTION_WORDS):
        out.append("qword")
    out.append(f"bos={i == start}")
    return out


@dataclass(frozen=True)
class GroupModel:
    members: str
    index: dict[str, int]  # feature name → row of ``weights``
    weights: npt.NDArray[np.float32]  # (features, members)
    bias: npt.NDArray[np.float32]  # (members,)
    threshold: float  # probability another member needs to be proposed (above 1: never)

    def probabilities(self, feats: list[str]) -> npt.NDArray[np.float64]:
        rows = [self.index[f] for f in feats if f in self.index]
        z = self.bias.astype(np.float64) + self.weights[rows].sum(axis=0)
        z = np.exp(z - z.max())
        return np.asarray(z / z.sum(), dtype=np.float64)


@dataclass(frozen=True)
class ConfusableModel:
    groups: dict[str, GroupModel]  # member character → its group's model

    def save(self, path: Path) -> None:
        arrays: dict[str, Any] = {}
        seen = {id(g): g for g in self.groups.values()}
        for n, g in enumerate(seen.values()):
            names = sorted(g.index, key=g.index.__getitem__)
            arrays[f"{n}_names"] = np.array(names, dtype=np.str_)
            arrays[f"{n}_weights"] = g.weights.astype(np.float16)
            arrays[f"{n}_bias"] = g.bias.astype(np.float32)
            arrays[f"{n}_meta"] = np.array([g.members, json.dumps(g.threshold)], dtype=np.str_)
        np.savez_compressed(path, **arrays)

    def with_thresholds(self, thresholds: dict[str, float]) -> ConfusableModel:
        """The same models with new thresholds (by members string)."""
        fresh = {
            g.members: GroupModel(g.members, g.index, g.weights, g.bias, thresholds.get(g.members, g.threshold))
            for g in self.groups.values()
        }
        return ConfusableModel({c: fresh[g.members] for c, g in self.groups.items()})


def from_groups(groups: list[GroupModel]) -> ConfusableModel:
    return ConfusableModel({c: g for g in groups for c in g.members})


def load(path: Path) -> ConfusableModel:
    groups = []
    with np.load(path) as data:
        n = 0
        while f"{n}_names" in data:
            members, threshold = (str(x) for x in data[f"{n}_meta"])
            names = [str(x) for x in data[f"{n}_names"]]
            groups.append(
                GroupModel(
                    members,
                    {f: k for k, f in enumerate(names)},
                    data[f"{n}_weights"].astype(np.float32),
                    data[f"{n}_bias"],
                    float(json.loads(threshold)),
                )
            )
            n += 1
    return from_groups(groups)


def scored(text: str, model: ConfusableModel) -> list[tuple[int, str, npt.NDArray[np.float64]]]:
    """(offset, written member, probabilities in members' order) for every member of a group in ``text``."""
    return [
        (i, ch, model.groups[ch].probabilities(features(text, i))) for i, ch in enumerate(text) if ch in model.groups
    ]


def lm_gain(lm: ngramlm.NgramLM, text: str, i: int, new: str) -> float:
    """How much more probable (nats) the run of characters around ``text[i]`` becomes with ``new`` there."""
    run = next((m for m in ngramlm.RUN.finditer(text) if m.start() <= i < m.end()), None)
    if run is None:
        return 0.0
    k = i - run.start()
    before, after = run.group(), run.group()[:k] + new + run.group()[k + 1 :]
    wins = [lm.windows(lm.encode(r)) for r in (before, after)]
    scores = lm.window_logprobs(np.concatenate(wins))
    return float(scores[len(wins[0]) :].sum() - scores[: len(wins[0])].sum())


def decide(
    text: str,
    found: list[tuple[int, str, npt.NDArray[np.float64]]],
    model: ConfusableModel,
    lm: ngramlm.NgramLM | None = None,
) -> list[ConfusableFix]:
    """The slots where another member clears its group's threshold and ``lm`` (if given) does not veto it, or
    clears :data:`BACKED_PROBABILITY` with ``lm``'s gain of at least :data:`BACKED_GAIN`."""
    out = []
    for i, ch, p in found:
        g = model.groups[ch]
        best = int(np.argmax(p))
        new = g.members[best]
        sure = p[best] >= g.threshold
        backed = lm is not None and g.threshold <= 1.0 and p[best] >= BACKED_PROBABILITY  # a group left off stays off
        if new == ch or not (sure or backed):
            continue
        gain = 0.0 if lm is None else lm_gain(lm, text, i, new)
        if (sure and gain >= 0.0) or (backed and gain >= BACKED_GAIN):
            out.append(ConfusableFix(i, ch, new, float(p[best])))
    return out


_HAS_CJK = re.compile(r"[\u4e00-\u9fff]")


def _in_fixed_words(text: str) -> set[int]:
    """Offsets inside dictionary words of three or more characters (再接再厉, 莫名其妙): fixed expressions, whose
    characters are not chosen by context (idioms are :mod:`lingxi.features.idioms`' job)."""
    import jieba

    inside: set[int] = set()
    at = 0
    for word in jieba.lcut(text, HMM=False):
        if len(word) >= FIXED_WORD and word in jieba.dt.FREQ:
            inside.update(range(at, at + len(word)))
        at += len(word)
    return inside


def find(text: str, model: ConfusableModel, lm: ngramlm.NgramLM | None = None) -> list[ConfusableFix]:
    """The confident swaps in ``text``, in text order (offsets are ``str`` indices); ``lm``: the built language
    model, whose view is combined with the classifier's (see the module docstring). Slots inside fixed expressions
    are left alone."""
    if not _HAS_CJK.search(text):
        return []
    fixed = _in_fixed_words(text)
    found = [f for f in scored(text, model) if f[0] not in fixed]
    return decide(text, found, model, lm)


def model_path(home: Path) -> Path:
    return home / "proofread" / "current" / MODEL_FILE


def load_model(home: Path | None) -> ConfusableModel | None:
    """The model built into ``home``, or None when none was built."""
    if home is None or not model_path(home).is_file():
        return None
    return _load(str(model_path(home)))


def forget() -> None:
    _load.cache_clear()


@lru_cache(maxsize=2)
def _load(path: str) -> ConfusableModel:
    return load(Path(path))
