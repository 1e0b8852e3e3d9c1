"""A name that the next clause refers back to with 他 or 她: 昨天碰见赵平了，她说…; 有人认识皮建华吗？他欠我钱.

Why: a third-person pronoun of a person (not 它) opening a clause refers back to a person just named, so a
candidate that closes the clause before it is likely that person. The hand score and the trained re-ranker read
only the few characters around a span and leave such names just under the threshold when their characters or
surname are weak (皮建华, 郭晶晶); the pronoun is evidence from farther away that they do not see.

Kept narrow, as a pronoun also follows a place or a thing named in passing (去了李庄村，她说…): only a candidate at
most :data:`_GAP` characters before the clause mark (赵平了，; 皮建华吗？; 郭晶晶聊完，), with no place suffix right
after it, and only candidates already in the grey band (scored at least the list threshold: the re-ranker and the
tagger found some evidence). Every candidate of that place is raised alike, so their order — which end of a name
wins — is unchanged.
"""

from __future__ import annotations

import re

from lingxi.privacy import names_seed as seed

REFERRED = 1.0  # what the pronoun adds: a candidate of the grey band [1, 2) reaches the threshold
_GAP = 2  # characters at most between the candidate and the clause mark (了, 吗, 聊完)
_BACK = re.compile("[，。！？；,!?;][ \t　]*[他她](?!人)")  # 他人 ("others") refers to no one


def referred(text: str, scored: list[tuple[float, int, int]]) -> list[tuple[float, int, int]]:
    """``scored`` with the candidates that a pronoun after the clause refers back to raised by :data:`REFERRED`."""
    if "他" not in text and "她" not in text:
        return scored
    marks = [m.start() for m in _BACK.finditer(text)]
    if not marks:
        return scored
    ends = {
        e for _, _, e in scored if any(0 <= k - e <= _GAP for k in marks) and text[e : e + 1] not in seed.PLACE_ENDS
    }
    if not ends:
        return scored
    raised = {(s, e) for _, s, e in scored if e in ends}
    starts = {s for s, _ in raised}  # the same place's other readings (邓明 / 邓明轩): raised alike
    return [(sc + REFERRED, s, e) if s in starts else (sc, s, e) for sc, s, e in scored]
