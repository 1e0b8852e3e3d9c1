"""The whole-text tagger's gate (:mod:`lingxi.privacy.names_whole_gate`): the state weights it sums in numpy are
the ones CRFsuite sums from :func:`char_features`' strings, its marginals are CRFsuite's, and the spans kept with
the gate are those kept without it.

The tagger is trained here on a tiny text of its own (as in ``test_names_whole``), over the seed model.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from lingxi.privacy import names_whole
from lingxi.privacy.names_crf import char_features, open_tagger
from lingxi.privacy.names_model import NameModel
from lingxi.privacy.names_whole import FLOOR, WHOLE_FILE, clauses, tagged_spans, whole_names
from lingxi.privacy.names_whole_gate import b_marginals, clauses_to_tag, emissions, weights
from lingxi.privacy.names_whole_train import train_whole

_TINY = [
    "我和[思远]是发小，从小一起长大。",
    "我跟[建军]说了好几遍，他就是不听。",
    "[苗苗]睡着了，你回来轻点。",
    "请[王经理]签字，[李老师]也来了。",
    "这次数学[子涵]考了全班第一。",
    "今天的天气很好，适合出门。",
    "好几遍都说了，就是不听。",
]
# clauses with role words, titles, surnames, digits, Latin letters, edges of one and two characters
_TEXTS = [
    "我和思远是发小，从小一起长大。张老师说王经理明天到。",
    "客户李华 13800 abc；好。\n嗯",
    "苗苗睡着了！你回来轻点？第一章",
    "司马光和欧阳修都来了，经理和会计也到了。",
]


@pytest.fixture(scope="module")
def tagged(seed: NameModel, tmp_path_factory: pytest.TempPathFactory) -> NameModel:
    folder = tmp_path_factory.mktemp("gate")
    (folder / "train.txt").write_text("\n".join(_TINY) + "\n", "utf-8")
    surnames = {s: 1.0 for s in "王李张刘陈"}
    given = {c: 0.01 for c in "思远建军苗子涵明华"}
    train_whole(seed, surnames, given, None, folder / WHOLE_FILE, folder / "train.txt")
    return replace(seed, whole=str(folder / WHOLE_FILE))


def test_state_weights_are_the_sums_of_the_feature_strings(tagged: NameModel) -> None:
    w = weights(tagged.whole, tagged)
    for text in _TEXTS:
        pieces = clauses(text)
        got, pos = emissions(pieces, w)
        want = [
            [sum(w.w.get(a, (0.0, 0.0))[k] for a in f) for k in (0, 1)]
            for _, piece in pieces
            for f in char_features(piece, tagged)
        ]
        assert np.allclose(got, want, atol=1e-12)
        assert pos.tolist() == [t for _, piece in pieces for t in range(len(piece))]


def test_marginals_are_crfsuites(tagged: NameModel) -> None:
    w = weights(tagged.whole, tagged)
    tagger = open_tagger(tagged.whole)
    for text in _TEXTS:
        pieces = clauses(text)
        got = b_marginals(*emissions(pieces, w), w.trans)
        want = []
        for _, piece in pieces:
            tagger.set(char_features(piece, tagged))
            want += [tagger.marginal("B", t) for t in range(len(piece))]
        assert np.allclose(got, want, atol=1e-4)  # the weights are read back with six decimals


def test_the_gate_skips_only_clauses_without_a_likely_name(tagged: NameModel) -> None:
    pieces = clauses("我和思远是发小。今天的天气很好，适合出门。")
    assert clauses_to_tag(pieces, tagged, FLOOR) == [True, False]
    assert clauses_to_tag([], tagged, FLOOR) == []


def test_spans_kept_are_the_same_with_the_gate(tagged: NameModel, monkeypatch: pytest.MonkeyPatch) -> None:
    texts = [*_TEXTS, "我跟建军说了好几遍，他就是不听。苗苗睡着了。", "请王经理签字，李老师也来了。"]
    ungated = [whole_names(t, [], tagged) for t in texts]
    full = [tagged_spans(t, tagged) for t in texts]
    monkeypatch.setattr(names_whole, "GATE_MIN_CHARS", 0)
    assert [whole_names(t, [], tagged) for t in texts] == ungated
    assert any(ungated)
    for t, spans in zip(texts, full, strict=True):
        kept = [x for x in spans if x[0] >= FLOOR]
        assert [x for x in tagged_spans(t, tagged, FLOOR) if x[0] >= FLOOR] == kept


def test_gate_reads_the_model_file(tagged: NameModel) -> None:
    assert Path(tagged.whole).is_file() and weights(tagged.whole, tagged).trans.shape == (3, 3)
