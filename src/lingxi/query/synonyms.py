"""What people call a kind of spending, a merchant or an app → the words the data uses for it.

A payment says 「瑞幸咖啡」 and category 「餐饮」; the user asks about 「咖啡」, 「吃饭」 or 「喝的」. A
question's word matches an event when any of the word's *terms* occurs in the event's merchant, category,
platform, app or (for a payment linked to an order) the order's items. The defaults (:mod:`lingxi.query.vocab`,
data only) cover everyday words and the major merchants and apps; a deployer extends them with
``<home>/synonyms.toml``::

    [categories]            # a word → more terms (added to the defaults; a new word is a new category)
    "健身" = ["健身", "Keep", "超级猩猩", "乐刻"]
    [merchants]             # a merchant/brand/app the user may name → the names it appears under
    [said]                  # a word about what a message says → words a message may use instead
    "瑞幸" = ["瑞幸", "luckin"]

(TOML bare keys are ASCII only: quote Chinese words.)
Kept as a plain table (not a knowledge base or embeddings) so an answer's filter is explainable: the
facts name the terms that matched.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from lingxi.errors import InvalidInput
from lingxi.query.vocab import APPS, CATEGORIES, MERCHANTS, PAY_CHANNELS, SAID

__all__ = ["APPS", "CATEGORIES", "MERCHANTS", "PAY_CHANNELS", "Synonyms"]


@dataclass
class Synonyms:
    """The table in use: the defaults, extended by the deployer's file."""

    categories: dict[str, tuple[str, ...]] = field(default_factory=lambda: dict(CATEGORIES))
    merchants: dict[str, tuple[str, ...]] = field(default_factory=lambda: dict(MERCHANTS))
    said: dict[str, tuple[str, ...]] = field(default_factory=lambda: dict(SAID))

    @classmethod
    def load(cls, home: Path | None) -> Synonyms:
        """Defaults plus ``<home>/synonyms.toml`` when it exists (a malformed file is an error, not ignored)."""
        table = cls()
        path = home / "synonyms.toml" if home else None
        if path is None or not path.is_file():
            return table
        try:
            raw = tomllib.loads(path.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as exc:
            raise InvalidInput(f"{path}: not valid TOML: {exc}", message_zh=f"同义词文件格式错误：{path}") from exc
        sections = (("categories", table.categories), ("merchants", table.merchants), ("said", table.said))
        for section, target in sections:
            entries = raw.get(section, {})
            if not isinstance(entries, dict) or not all(
                isinstance(v, list) and all(isinstance(t, str) and t for t in v) for v in entries.values()
            ):
                raise InvalidInput(
                    f"{path}: [{section}] must map words to lists of strings",
                    message_zh=f'同义词文件 {path} 的 [{section}] 应为「词 = ["词1", "词2"]」',
                )
            for word, terms in entries.items():
                target[word] = tuple(dict.fromkeys((*target.get(word, (word,)), *terms)))
        return table

    def terms(self, word: str) -> tuple[str, ...]:
        """What ``word`` matches in the data: the word itself and its category or merchant terms (「吃饭」 finds a
        message that says 吃饭 as well as a payment at 餐厅)."""
        found = self.categories.get(word) or self.merchants.get(word) or ()
        return found if word in found else (word, *found)

    def said_terms(self, word: str) -> tuple[str, ...]:
        """What a word about a message's content matches in its text: the word, or what people write instead
        (「改地方」 is said as 「改在3楼会议室」)."""
        found = self.said.get(word, ())
        return found if word in found else (word, *found)

    def words(self) -> list[str]:
        """Every known word, longest first (so 「美团外卖」 is found before 「美团」), then in code-point order."""
        return sorted({*self.categories, *self.merchants}, key=lambda w: (-len(w), w))

    def find(self, text: str) -> list[tuple[int, str]]:
        """Known words in ``text`` with their positions, without overlaps: the longest first, and of two as long
        that overlap the leftmost (「水电费」 is 水电, not 电费) — the same answer on every run."""
        hits: list[tuple[int, int, str]] = []
        for word in self.words():
            start = text.find(word)
            while start >= 0:
                hits.append((-len(word), start, word))
                start = text.find(word, start + 1)
        taken: list[tuple[int, int]] = []
        found: list[tuple[int, str]] = []
        for neg, start, word in sorted(hits):
            end = start - neg
            if not any(s < end and start < e for s, e in taken):
                taken.append((start, end))
                found.append((start, word))
        return sorted(found)
