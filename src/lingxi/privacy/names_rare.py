"""Rare surnames before two clear given-name characters, after a word that takes a person: 我和凤晓梅约了,
今天是糜晓岚的生日, 滕飞与宓思远负责…, 请钭桂兰到3号诊室.

Why: the resource's rare single surnames (凤, 宓, 糜, 幸, 仉, 钭: under the frequency floor of
:func:`.names_model._surname_logs`) include everyday characters, so :mod:`.names` proposes one only after a field,
role, honorific or title cue (:mod:`.names_cues`). But a full name carries its own evidence: two given characters
that are each far more likely in a name than in text (晓 3.3, 梅 3.1, 岚 4.0 against 的 or 天 below zero). With
that evidence, a word before that takes a person (和, 与, 请, 是, 给, 叫: :data:`.names_seed.BEFORE`) is cue
enough. Without it (no cue at all) the same shape read adverbs and transliterated places as names in ordinary
text (真贤惠, 越傲娇, 京泰龙: about 65 new false spans on 48,789 licensed texts), so it is required.

What is put forward: a rare surname followed by two characters whose given-name scores are both at least
:data:`RARE_GIVEN`, when neither the surname with the next character nor the three characters are a dictionary
word (幸福, 凤凰), the two characters no common word (诚挚), nor the character before and the surname (回复晓晓:
复 ends 回复). It is scored like any candidate (the same threshold, context and word penalties), not accepted
here. Opt-in with the other recall passes (:attr:`.names_model.NameModel.recall_passes`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from typing import TYPE_CHECKING

from lingxi.privacy.names_index import NOT_GIVEN

if TYPE_CHECKING:
    from lingxi.privacy.names_model import NameModel

RARE_GIVEN = 1.5  # each given character's score (names_model: log-likelihood ratio name vs text)
GIVEN_WORD = 3.0  # log10 frequency at which the two "given" characters are a common word (蓝溪诚挚: 诚挚)


@lru_cache(maxsize=8)
def _pattern(model: NameModel) -> re.Pattern[str] | None:
    """One scan for a rare surname before two clear given characters (a C-speed character class)."""
    rare = "".join(sorted(c for c in model.rare if len(c) == 1 and c not in model.surnames))
    given = "".join(sorted(c for c, g in model.given.items() if g >= RARE_GIVEN and c not in NOT_GIVEN))
    if not rare or not given:
        return None
    return re.compile(f"[{re.escape(rare)}](?=[{re.escape(given)}]{{2}})")


def rare_led(text: str, model: NameModel, cued: Callable[[int], bool]) -> list[int]:
    """Positions of rare surnames that open a run of two clear given-name characters (module doc), where ``cued``
    says a word that takes a person stands right before (:func:`.names._left`)."""
    pattern = _pattern(model)
    if pattern is None:
        return []
    words = model.words
    return [
        i
        for m in pattern.finditer(text)
        if (i := m.start()) >= 0
        and text[i : i + 2] not in words
        and text[i : i + 3] not in words
        and words.get(text[i + 1 : i + 3], 0.0) < GIVEN_WORD
        and (i == 0 or text[i - 1 : i + 1] not in words)
        and cued(i)
    ]
