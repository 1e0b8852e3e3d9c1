"""``find_pii``'s result cache (the gateway redacts a chat's whole history every turn) changes speed, never
results: a cached answer is returned only for the same text, contacts, recognizers and name model."""

from __future__ import annotations

from dataclasses import replace

import pytest

from lingxi.privacy import pii
from lingxi.privacy.names_model import NameModel
from lingxi.privacy.pii import clear_results, find_pii


def test_a_repeated_text_gets_the_same_spans_and_a_fresh_list(seed: NameModel) -> None:
    text = "收件人：王芳，电话13812345678"
    clear_results()
    first = find_pii(text, names=seed)
    assert len(pii._RESULTS) == 1
    second = find_pii(text, names=seed)
    assert second == first and second is not first
    second.clear()  # a caller that edits its list cannot change the cache
    assert find_pii(text, names=seed) == first


def test_contacts_and_another_model_are_not_served_from_the_cache(seed: NameModel) -> None:
    text = "明天和晓风一起去"
    clear_results()
    assert [s.text for s in find_pii(text, names=seed) if s.type == "姓名"] == []
    assert [s.text for s in find_pii(text, contacts=["晓风"], names=seed) if s.type == "姓名"] == ["晓风"]
    assert [s.text for s in find_pii(text, contacts=iter(["晓风"]), names=seed) if s.type == "姓名"] == ["晓风"]
    other = replace(seed, source="another build")  # a new names build: a new model object
    find_pii(text, names=other)
    assert {id(v[1]) for v in pii._RESULTS.values()} == {id(seed), id(other)}


def test_long_texts_are_not_kept_and_a_full_cache_starts_over(seed: NameModel, monkeypatch: pytest.MonkeyPatch) -> None:
    clear_results()
    find_pii("王芳" * pii.RESULT_TEXT_MAX, names=seed)
    assert pii._RESULTS == {}
    monkeypatch.setattr(pii, "RESULT_CACHE", 2)
    for text in ("一", "二", "三"):
        find_pii(text, names=seed)
    assert list(pii._RESULTS) == [("三", ())]
    clear_results()
