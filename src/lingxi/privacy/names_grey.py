"""What the trained models of a build do with the candidates the hand score of :mod:`.names` left in a grey
band under its threshold: the re-ranker (:mod:`.names_rerank`) and the character tagger (:mod:`.names_crf`)
may raise them above it, never lower anything.

Why only raise: both learned from synthetic sentences, whose frames are fewer than the ways people write,
and the hand score carries cues they never saw; alone or as a veto they lost more names than false hits they
saved. The floors bound the work (only the grey band is looked at again). RERANK_ADD and the CRF_ACCEPT pair were
chosen on the dev parts of the evaluation sets (``benchmarks/bench_names.py``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from lingxi.privacy.names_crf import BOUND_MARGIN, b_bound, span_probs

if TYPE_CHECKING:
    from lingxi.privacy.names_model import NameModel

RERANK_FLOOR = -3.0  # only candidates the hand score left between this and the threshold are re-ranked (speed)
RERANK_ADD = 2.5  # log-odds above this accept a candidate the hand score rejects (3.0 before round 2, chosen
# then on the decision split with 2.0/2.5/3.0, once the text's start alone stopped counting as a cue)
CRF_FLOOR = -6.0  # the sequence tagger looks at candidates scored between this and the threshold
# Its probability of that exact span being a name to accept, mid-text and at the text's start. The tagger is
# calibrated differently in the two places (its frames open many lines with a name, so it is sure of
# text-initial nouns: 姚江的…, 邵东的…): on the grey-band candidates of the dev sets, mid-text names above 0.2
# were 29 against 1 non-name (0.6: 21 against 1; 0.1: 30 against 20), at the start 0.6 keeps 25 against 4.
# Chosen on the dev sets (wave 7): mid-text 0.6/0.4/0.3/0.2/0.15/0.1, start 0.6/0.7/0.8/0.9 with 0.2 mid-text.
CRF_ACCEPT = 0.2
CRF_ACCEPT_START = 0.6  # 0.5 before wave 6's frames, 0.6 everywhere until wave 7


def combine(hand: float, odds: float, threshold: float) -> float:
    """The hand score, raised by a confident "yes" of the re-ranker (log-odds ``odds``) above ``threshold``."""
    return max(hand, threshold + odds - RERANK_ADD)


def tagged(
    found: list[tuple[float, int, int]], window: str, model: NameModel, threshold: float
) -> list[tuple[float, int, int]]:
    """Candidates in the grey band, accepted (scored ``threshold`` + p) when the tagger gives exactly their
    span a probability ``p`` of at least :data:`CRF_ACCEPT` (:data:`CRF_ACCEPT_START` for one at the window's
    start, which is the text's start: a window starts before its surname unless the text does)."""
    # Plain loops, not comprehensions and all() over a generator: every window with a candidate comes here
    # (three a text), and in Python 3.11 each of those is a function call of its own.
    grey = []
    for sc, s, e in found:
        if CRF_FLOOR <= sc < threshold:
            grey.append((s, e))
    if not grey:
        return found
    # the candidates of a window share their start; when the tagger's B there cannot reach the acceptance
    # floor, no span starting there can (a span's probability is at most its B's), and the window is not tagged
    for s in {s for s, _ in grey} if len(grey) > 1 else (grey[0][0],):
        if b_bound(model.crf, window, s, model) >= (CRF_ACCEPT_START if s == 0 else CRF_ACCEPT) - BOUND_MARGIN:
            break
    else:
        return found
    probs = dict(zip(grey, span_probs(model.crf, window, grey, model), strict=True))
    return [
        (threshold + p, s, e)
        if (p := probs.get((s, e), 0.0)) >= (CRF_ACCEPT_START if s == 0 else CRF_ACCEPT) and sc < threshold
        else (sc, s, e)
        for sc, s, e in found
    ]
