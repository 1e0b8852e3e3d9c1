"""The name sequence tagger: its features, how its training windows are cut and labeled, how its span
probabilities combine with the hand score, and that a build trains and loads it.

Runs without the shared resources: probabilities are stubbed here, or a tagger is trained from the tiny
invented names folder of ``test_names`` (the frames are the lingxi authors' own, shipped in the package).
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from conftest import NamesBuild
from lingxi.errors import InvalidInput
from lingxi.privacy import names, names_crf, names_grey
from lingxi.privacy.names_crf import CRF_FILE, char_features, span_probs
from lingxi.privacy.names_crf_train import windows
from lingxi.privacy.names_model import NameModel, load_model


@pytest.fixture(scope="module")
def built(names_build: NamesBuild) -> tuple[NameModel, Path]:
    return names_build.model, names_build.folder


def test_features_mark_surnames_words_and_cues(seed: NameModel) -> None:
    feats = char_features("收件人王芳说", seed)
    assert len(feats) == 6
    at_wang = set(feats[3])
    assert {"c=王", "p=人", "n=芳", "role"} <= at_wang and any(f.startswith("s=") for f in at_wang)
    assert "aft=说" in feats[4]  # what a person does follows 芳
    assert any(f.startswith("ws") for f in feats[0])  # 收件人 starts a dictionary word
    assert feats[0][1] == "p=^" and feats[-1][2] == "n=$"  # the window's edges are marked as in training


def test_training_windows_are_the_redaction_windows_labeled_bio(seed: NameModel) -> None:
    text = "请联系人事部的王芳和李娜"
    gold = {(7, 9), (10, 12)}
    cut = list(windows(text, gold, seed))
    ix = names._index(seed)
    starts = sorted({m.start() for m in ix.finder.finditer(text)})
    assert [w for w, _ in cut] == [text[names.window_start(text, i) : i + names._AFTER_SPAN] for i in starts]
    for window, labels in cut:
        assert len(window) == len(labels)
        for s, e in gold:
            name = text[s:e]
            if name in window:
                k = window.index(name)
                assert labels[k : k + 2] == ["B", "I"]
        assert labels.count("B") == sum(1 for s, e in gold if text[s:e] in window)


def test_a_confident_tagger_adds_a_grey_candidate_and_never_removes(
    seed: NameModel, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = "宁静明天来"  # a name that is a word: the hand score alone leaves it out
    assert names.find_names(text, seed) == []
    fake = replace(seed, crf="stub")

    def sure(path: str, window: str, spans: list[tuple[int, int]], model: NameModel) -> list[float]:
        return [0.99 if window[s:e] == "宁静" else 0.0 for s, e in spans]

    monkeypatch.setattr(names_grey, "span_probs", sure)
    assert names.find_names(text, fake) == [(0, 2)]
    names._index.cache_clear()

    def doubtful(path: str, window: str, spans: list[tuple[int, int]], model: NameModel) -> list[float]:
        return [0.0 for _ in spans]

    monkeypatch.setattr(names_grey, "span_probs", doubtful)
    assert names.find_names(text, fake) == []
    assert names.find_names("收件人：王芳", fake) == [(4, 6)]  # the hand score's yes stands
    names._index.cache_clear()


def test_the_tagger_needs_more_at_the_texts_start_than_mid_text(
    seed: NameModel, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake = replace(seed, crf="stub")

    def middling(path: str, window: str, spans: list[tuple[int, int]], model: NameModel) -> list[float]:
        p = (names_grey.CRF_ACCEPT + names_grey.CRF_ACCEPT_START) / 2
        return [p if window[s:e] == "宁静" else 0.0 for s, e in spans]

    monkeypatch.setattr(names_grey, "span_probs", middling)
    names._index.cache_clear()
    assert names.find_names("我和宁静明天来", fake) == [(2, 4)]
    assert names.find_names("宁静明天来", fake) == []  # a topic noun opens a text as often as a name
    names._index.cache_clear()


def test_build_trains_and_loads_the_tagger(built: tuple[NameModel, Path]) -> None:
    model, folder = built
    assert model.crf == str(folder / CRF_FILE) and Path(model.crf).is_file()
    manifest = json.loads((folder / "manifest.json").read_text("utf-8"))
    assert manifest["crf"]["windows"] > 0 and manifest["crf"]["sentences"] > 0
    probs = span_probs(model.crf, "收件人王芳，电话", [(3, 5), (3, 4), (0, 2)], model)
    assert all(0.0 <= p <= 1.0 for p in probs)
    assert probs[0] > probs[2]  # a name after a role, not the role word itself


def test_seed_has_no_tagger(seed: NameModel) -> None:
    assert seed.crf == ""


def test_a_damaged_tagger_fails_at_load_with_the_rebuild_hint(built: tuple[NameModel, Path], tmp_path: Path) -> None:
    _, folder = built
    home = tmp_path / "home"
    copy = home / "names" / folder.name
    copy.mkdir(parents=True)
    for f in folder.iterdir():
        (copy / f.name).write_bytes(f.read_bytes())
    (home / "names" / "CURRENT").write_text(folder.name, "utf-8")
    (copy / CRF_FILE).write_bytes(b"not a model")
    with pytest.raises(InvalidInput) as err:
        load_model(home)
    assert "rebuild" in (err.value.hint or "")


def test_a_lone_surrogate_reaches_neither_the_tagger_nor_the_cue_automaton(built: tuple[NameModel, Path]) -> None:
    # pycrfsuite raised SystemError and ahocorasick-rs UnicodeEncodeError on "\ud800" (json.loads makes one);
    # the normalizer reads it as U+FFFD, one code point for one, so spans keep the text's offsets
    from lingxi.privacy.pii import find_pii
    from lingxi.privacy.pii_normalize import normalize

    folded = normalize("李\ud800明")
    assert folded is not None and folded.text == "李\ufffd明" and folded.origin == (0, 1, 2)
    model, _ = built

    text = "\ud800请联系人事部的王芳，电话13800138000\udfff"
    spans = find_pii(text, names=model)
    assert ("手机号", "13800138000") in [(s.type, s.text) for s in spans]
    assert all(text[s.start : s.end] == s.text for s in spans)


_BOUND_TEXTS = (
    "收件人：王芳，电话13800138000",
    "我和宁静明天来",
    "王国维的书放在桌上",
    "请联系人事部的王芳和李娜",
    "高兴地说：张伟今天请假",
    "欧阳娜娜、司马迁和诸葛亮",
    "中国人民银行发布公告",
    "王",
    "李明",
    "1 韩志强 男",
)


def test_the_taggers_bound_is_never_under_its_marginal(built: tuple[NameModel, Path]) -> None:
    # names_grey.tagged skips a window when this bound says no span there can reach the acceptance floor: it must
    # hold at every position of every window, else a name the tagger would accept is lost
    model, _ = built
    tagger = names_crf.open_tagger(model.crf)
    checked = low = 0
    for text in _BOUND_TEXTS:
        for start in range(len(text)):
            window = text[start : start + 13]
            tagger.set(char_features(window, model))
            for s in range(len(window)):
                bound = names_crf.b_bound(model.crf, window, s, model)
                assert bound + names_crf.BOUND_MARGIN >= tagger.marginal("B", s)
                checked += 1
                low += bound < names_grey.CRF_ACCEPT
    assert checked > 200 and low > checked // 2  # and it does rule most positions out


def test_features_of_part_of_a_window_are_that_part_of_its_features(built: tuple[NameModel, Path]) -> None:
    model, _ = built
    for window in ("收件人：王芳，电话", "欧阳娜娜和司马迁说", "王", "a1 李"):
        full = char_features(window, model)
        for lo in range(len(window) + 1):
            for hi in range(lo, len(window) + 1):
                assert char_features(window, model, lo, hi) == full[lo:hi]


def test_the_bound_changes_no_name_found(built: tuple[NameModel, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    model, _ = built
    names._index.cache_clear()
    with_bound = [names.find_names(t, model) for t in _BOUND_TEXTS]
    monkeypatch.setattr(names_grey, "b_bound", lambda *a: 1.0)  # no bound: every grey window is tagged
    names._index.cache_clear()
    assert [names.find_names(t, model) for t in _BOUND_TEXTS] == with_bound
    names._index.cache_clear()
