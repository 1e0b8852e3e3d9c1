"""The text the recognizers see: full-width forms folded, invisible characters dropped, offsets kept.

Chinese input methods type full-width digits and letters (１３８…, Ｅ１２…), and text pasted from chats and
web pages carries zero-width spaces, word joiners and byte-order marks — inside a phone number they are
invisible to a person and fatal to a regular expression. Rather than teach every recognizer every variant,
:func:`normalize` folds the text once: full-width ASCII digits, letters and the ``+ - . @ _`` signs to ASCII,
every dash and unusual space to ``-`` and `` ``, a middle dot between two digits to ``.``, invisible format
characters removed, a lone surrogate (``json.loads('"\\ud800"')`` makes one; no encoder, CRF tagger or
automaton takes it) read as U+FFFD. Chinese punctuation (，：（）) is left alone, because the context patterns and
suppressors are written with it.

The result keeps a map from each normalized character to its original offset, so a span found in the
normalized text is reported over the original — invisible characters inside it included — and the
redactor replaces exactly what the user wrote. Text with nothing to fold (nearly all of it) costs one
regex search.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_INVISIBLE = (
    "\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180e\u200b-\u200f\u202a-\u202e\u2060-\u206f\u3164\ufeff\uffa0"
)
_SPACES = "\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000"
_DASHES = "\u2010-\u2015\u2212\ufe58\ufe63\uff0d"
_FULLWIDTH = "\uff0b\uff0e\uff10-\uff19\uff20-\uff3a\uff3f\uff41-\uff5a"
_DOTS = "\u00b7\u2022\u30fb\uff65"  # middle dots: · • ・ ･
_SURROGATES = "\ud800-\udfff"
_ODD = re.compile(f"[{_INVISIBLE}{_SPACES}{_DASHES}{_FULLWIDTH}{_DOTS}{_SURROGATES}]")

_FOLD: dict[int, str] = {cp: chr(cp - 0xFEE0) for cp in range(0xFF01, 0xFF5F)}
_FOLD = {cp: ch for cp, ch in _FOLD.items() if re.match(f"[{_FULLWIDTH}]", chr(cp))}
_FOLD |= {cp: " " for cp in (0x00A0, 0x1680, *range(0x2000, 0x200B), 0x202F, 0x205F, 0x3000)}
_FOLD |= {cp: "-" for cp in (*range(0x2010, 0x2016), 0x2212, 0xFE58, 0xFE63, 0xFF0D)}
_FOLD |= {cp: "\ufffd" for cp in range(0xD800, 0xE000)}
_DROP = re.compile(f"[{_INVISIBLE}]")
# A middle dot between two digits separates digit groups (139·1234·5678) and becomes ".", one of the separators
# the digit patterns accept; elsewhere it stays, because it joins the parts of transcribed foreign names
# (约翰·史密斯) and plates are matched with it (浙A·12345).
_DIGIT_DOT = re.compile(f"(?<=[0-9])[{_DOTS}](?=[0-9])")


@dataclass(frozen=True)
class Normalized:
    """``text`` as the recognizers see it; ``origin[i]`` is the original offset of ``text[i]``."""

    text: str
    origin: tuple[int, ...]

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Original offsets of the normalized ``[start, end)`` (characters dropped inside it included)."""
        return self.origin[start], self.origin[end - 1] + 1


def normalize(text: str) -> Normalized | None:
    """The folded text with its offset map, or None when ``text`` has nothing to fold."""
    if _ODD.search(text) is None:
        return None
    folded = text.translate(_FOLD)
    if _DROP.search(folded) is None:  # one-to-one: offsets unchanged
        return Normalized(_digit_dots(folded), tuple(range(len(text))))
    keep = [i for i, ch in enumerate(folded) if _DROP.match(ch) is None]
    return Normalized(_digit_dots("".join(folded[i] for i in keep)), tuple(keep))


def _digit_dots(text: str) -> str:
    """Middle dots between digits as "." (one character for one: offsets unchanged)."""
    return _DIGIT_DOT.sub(".", text) if "\u00b7" in text or any(d in text for d in _DOTS[1:]) else text
