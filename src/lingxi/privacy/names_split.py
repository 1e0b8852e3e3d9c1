"""Where a name ends when a two- and a three-character reading share a start (宫雪回老家, 艾琳人不错,
屈志刚住在北京).

Why a split and not the two scores alone: each reading's score counts the cue right after it, and a cue after
the three-character reading (老 in 宫雪回老家 as a title, 不 in 艾琳人不错 as an act) often follows a third
character that is itself the start of what comes next — and the reverse: a third character that is a
one-character cue (刚, 说) is also a given-name character (屈志刚). Both readings are right about a cue; they
disagree about one character. So the third character is split by one statistic of the resource: it ends the
name with the odds of its given-name score (a log-likelihood ratio, given name vs ordinary text: 回 -1.5,
人 -3.0, 刚 +2.0), else it begins what follows. For the choice alone, the three-character reading's word cue
counts only as much as the character is a name's, and the cue that the character itself starts counts for the
two-character reading only as much as it is not (and the three-character reading's penalty for it likewise).

The reading that wins takes the better of the two scores, so whether a name is found at this start does not
change, only where it ends. The odds are unshifted: shifts of -3 … +0.5 tied on the dev sets and -0.5 … +1
on synthetic sentences of the build's frames (``benchmarks/README.md``, wave 7). The re-ranker trains on the
scores before the split, so a build is the same as without it: trained on the split scores it moved one
decision at its margin (a hard negative flagged on the dev sets) for no name gained.
"""

from __future__ import annotations

import math


def two_ends(two: float, three: float, cue2: float, cue3: float, third_cue: float, g3: float) -> bool:
    """Whether the two-character reading (score ``two``) is the name's end rather than the three-character one
    (``three``). ``cue2``: the word cue the third character starts, counted in ``two``; ``cue3``: the word cue
    after the three-character reading, counted in ``three``; ``third_cue``: the penalty ``three`` pays for its
    third character being a cue; ``g3``: that character's given-name score."""
    ends = 1.0 / (1.0 + math.exp(-g3))  # the odds that the third character ends the name
    return two - cue2 * ends > three - cue3 * (1.0 - ends) + third_cue * ends
