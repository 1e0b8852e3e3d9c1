"""A name the next clause refers back to with 他/她 (:mod:`lingxi.privacy.names_refer`). Sentences written for these
tests, not taken from any benchmark set; candidates given by hand, as the scorer would leave them in the grey band."""

from __future__ import annotations

import pytest

from lingxi.privacy.names_refer import REFERRED, referred


def test_a_pronoun_after_the_clause_raises_the_candidates_there() -> None:
    text = "昨天碰见祁东升了，她说要搬家"
    scored = [(1.3, 4, 7), (0.9, 4, 6), (1.1, 0, 2)]  # 祁东升, 祁东 (the same place), a candidate elsewhere
    assert referred(text, scored) == [(1.3 + REFERRED, 4, 7), (0.9 + REFERRED, 4, 6), (1.1, 0, 2)]


@pytest.mark.parametrize(
    ("text", "span"),
    [
        ("昨天碰见祁东升了，它说要搬家", (4, 7)),  # 它 refers to a thing
        ("昨天碰见祁东升了，他人都说好", (4, 7)),  # 他人: others
        ("我们去过祁东升庄园，她说不错", (4, 7)),  # too far from the clause mark
        ("我们去了周庄村，她说很好玩", (4, 6)),  # a place suffix right after the span
        ("昨天碰见祁东升了，要搬家", (4, 7)),  # no pronoun
    ],
)
def test_no_referring_pronoun_no_change(text: str, span: tuple[int, int]) -> None:
    scored = [(1.3, *span)]
    assert referred(text, scored) == scored
