"""An everyday-text dev set for ``lingxi features proofread build``: held-out licensed sentences with one typo put in.

Why: the spelling corpus (ECSpell) is law, medicine and official documents, so margins chosen on its validation
part alone suit domain text; learners and everyday writers type by sound into chat-like sentences. The held-out
``--text`` records (never trained on) are ordinary Chinese; one character of each is replaced the way input
methods fail — a same-sound character most of the time (any reading), otherwise a near-sound (zh/z, n/l, ing/in)
or a look-alike one — picked in proportion to how common the typed character is. The margins are then chosen on
both dev sets together. The set is synthetic: it says what the wide nets can find in everyday text, not how
often each mistake is made; no benchmark set is made or touched here, and the sentences used for it are not the
ones that measure false alarms.
"""

from __future__ import annotations

import random
from collections.abc import Sequence

from lingxi.features import charlm, confusion

SEED = 20261207
#: Share of typos drawn from same-sound characters; the rest split evenly between near sounds and shapes.
SOUND_SHARE = 0.7


def with_typos(texts: Sequence[str], seed: int = SEED) -> list[tuple[str, set[tuple[int, str]]]]:
    """(text with one typo, {(offset, right character)}) for each text that has a character to swap."""
    rng = random.Random(seed)
    freq = charlm.word_freq()
    sound, near, shape = confusion.sound_alikes_wide(), confusion.near_sounds(), confusion.shape_alikes()
    out = []
    for text in texts:
        spots = [i for i, c in enumerate(text) if "\u4e00" <= c <= "\u9fff" and c not in confusion.EXCLUDED]
        if not spots:
            continue
        at = rng.choice(spots)
        draw = rng.random()
        table = sound if draw < SOUND_SHARE else near if draw < (1 + SOUND_SHARE) / 2 else shape
        options = sorted(
            c
            for c in table.get(text[at], frozenset())
            if c not in confusion.EXCLUDED and freq.get(c, 0) >= confusion.MIN_CHAR_FREQ
        )
        if not options:
            continue
        typed = rng.choices(options, weights=[freq[c] for c in options])[0]
        out.append((text[:at] + typed + text[at + 1 :], {(at, text[at])}))
    return out
