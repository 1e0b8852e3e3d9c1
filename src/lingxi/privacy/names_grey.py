"""What the trained models of a build do with the candidates the hand score of :mod:`.names` left in a grey
band under its threshold: the re-ranker (:mod:`.names_rerank`) and the character tagger (:mod:`.names_crf`)
may raise them above it, never lower anything.

Why only raise: both learned from synthetic sentences, whose frames are fewer than the ways people write,
and the hand score carries cues they never saw; alone or as a veto they lost more names than false hits they
saved. The floors bound the work (only the grey band is looked at again). RERANK_ADD and CRF_ACCEPT were
chosen on the dev parts of the evaluation sets (``benchmarks/bench_names.py``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from lingxi.privacy.names_crf import span_probs

if TYPE_CHECKING:
    from lingxi.privacy.names_model import NameModel

RERANK_FLOOR = -3.0  # only candidates the hand score left between this and the threshold are re-ranked (speed)
RERANK_ADD = 2.5  # log-odds above this accept a candidate the hand score rejects (3.0 before round 2, chosen
# then on the decision split with 2.0/2.5/3.0, once the text's start alone stopped counting as a cue)
CRF_FLOOR = -6.0  # the sequence tagger looks at candidates scored between this and the threshold
CRF_ACCEPT = 0.6  # its probability of that exact span being a name to accept (0.5 before wave 6's frames)


def combine(hand: float, odds: float, threshold: float) -> float:
    """The hand score, raised by a confident "yes" of the re-ranker (log-odds ``odds``) above ``threshold``."""
    return max(hand, threshold + odds - RERANK_ADD)


def tagged(
    found: list[tuple[float, int, int]], window: str, model: NameModel, threshold: float
) -> list[tuple[float, int, int]]:
    """Candidates in the grey band, accepted (scored ``threshold`` + p) when the tagger gives exactly their
    span a probability ``p`` of at least :data:`CRF_ACCEPT`."""
    grey = [(s, e) for sc, s, e in found if CRF_FLOOR <= sc < threshold]
    if not grey:
        return found
    probs = dict(zip(grey, span_probs(model.crf, window, grey, model), strict=True))
    return [
        (threshold + p, s, e) if (p := probs.get((s, e), 0.0)) >= CRF_ACCEPT and sc < threshold else (sc, s, e)
        for sc, s, e in found
    ]
