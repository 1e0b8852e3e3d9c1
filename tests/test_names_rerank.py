"""The name re-ranker: how its odds combine with the hand score, that a build trains and loads it, and that
the per-window cache scores re-ranked candidates like the whole text.

Runs without the shared resources: weights are written by hand here, or trained from the tiny invented
names folder of ``test_names`` (the frames are the lingxi authors' own, shipped in the package).
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from conftest import NamesBuild
from lingxi.privacy import names
from lingxi.privacy.names_model import NameModel
from lingxi.privacy.names_rerank import BASE, BIAS, features, margin
from lingxi.privacy.pii import find_pii
from test_names import EDGE_TEXTS


def found(text: str, model: NameModel) -> list[str]:
    return [s.text for s in find_pii(text, names=model) if s.type == "姓名"]


@pytest.fixture(scope="module")
def built(names_build: NamesBuild) -> NameModel:
    return names_build.model


def test_seed_has_no_weights_and_scores_by_hand(seed: NameModel) -> None:
    assert seed.rerank == {}
    assert found("收件人：周子豪", seed) == ["周子豪"]


def test_confident_yes_adds_a_candidate_the_hand_score_rejects(seed: NameModel) -> None:
    # 杜鹃 is a word (a flower): the hand score rejects it, though not by far (after a comma: at the text's start
    # with no cue after it, it would be too far down to be re-ranked at all)
    text = "看，杜鹃开了"
    assert found(text, seed) == []
    eager = replace(seed, rerank={BIAS: names.RERANK_ADD + 5.0})
    assert found(text, eager) == ["杜鹃"]
    assert found("高兴的事", eager) == []  # far below the hand threshold: never re-ranked


def test_a_confident_no_does_not_veto_a_strong_hand_score(seed: NameModel) -> None:
    """There is no veto (it cost more names than it saved on the dev parts): a named role still wins."""
    doubtful = replace(seed, rerank={BIAS: -20.0})
    assert found("收件人：周子豪", doubtful) == ["周子豪"]


def test_odds_read_the_hand_score_and_the_context(seed: NameModel) -> None:
    feats = features("收件人王芳，明天到", 3, 5, seed)
    assert BIAS in feats and "l人" in feats and "r，" in feats and "n2" in feats
    assert margin({BASE: 1.0}, feats, 8.0) == 2.0  # 8 / 4, no other weight
    assert margin({"l人": 0.5, "r，": 0.25}, feats, 0.0) == 0.75
    assert all("\t" not in f and "\n" not in f for f in features("\t王芳\n", 1, 3, seed))


def test_build_trains_and_loads_the_reranker(built: NameModel, tmp_path: Path) -> None:
    assert built.rerank and BIAS in built.rerank and BASE in built.rerank
    assert built.rerank[BASE] > 0  # a higher hand score is more likely a name
    assert found("收件人：禤璞玉", built) == ["禤璞玉"]


def test_manifest_counts_the_training(names_build: NamesBuild) -> None:
    folder, manifest = names_build.folder, names_build.manifest
    stats = manifest["rerank"]
    assert isinstance(stats, dict) and stats["frames"] and stats["synthetic_names"]
    assert stats["benign_sentences"] == 0  # no sibling safety folder here: synthetic negatives only
    written = json.loads((folder / "manifest.json").read_text("utf-8"))
    assert written["rerank"] == stats
    assert (folder / "rerank.tsv").read_text("utf-8").startswith("# built by lingxi")


def test_window_cache_scores_reranked_candidates_like_the_whole_text(built: NameModel) -> None:
    built = replace(built, crf="")  # the re-ranker alone (the tagger scores the window itself: test_names_crf)
    ix = names._index(built)
    checked = 0
    for text in [*EDGE_TEXTS, "禤璞玉和王璞说明天到", "感谢王璞、禤玉帮忙，小禤也来了"]:
        starts = [m.start() for m in ix.finder.finditer(text)] + [m.start() for m in ix.nick.finditer(text)]
        for i in starts:
            cached: list[tuple[float, int, int]] = []
            names._add_scored(cached, text, i, built, ix)
            whole = [
                (names._combine(sc, margin(built.rerank, features(text, s, e, built), sc)), s, e)
                if names.RERANK_FLOOR <= sc < names.THRESHOLD
                else (sc, s, e)
                for sc, s, e in names._candidates(text, i, built, ix)
            ]
            assert cached == [c for c in whole if c[0] >= names.LIST_THRESHOLD], (text, i)
            checked += 1
    assert checked >= 8
