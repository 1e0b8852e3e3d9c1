"""那 written for 哪 in a question that has no other question word: 你那天有空？ → 哪天.

A clause that ends in a question mark asks something; when it holds none of the words that make a question
(吗, 呢, 什么, 谁, 怎么, 几, 多少, 哪, an A不A choice), the demonstrative 那 before a day, a place or a measure word
is the question word mistyped (那天 / 哪天 sound alike in every input method). 那 as a conjunction (那你什么时候来)
stands before a pronoun, not before 天/里/个, and is left; so is a clause with a negation, an echo of what was said
(你那天没来？).
"""

from __future__ import annotations

import re

from lingxi.features.everyday import EverydayFix

#: What 那 stands before when it is 哪 mistyped: a day, a place, a measure word.
HEADS = frozenset("天里儿个位种家本件边")  # not 些: 那些人就是主流？ is rhetorical
#: A question this long is seldom a plain one: web comments ask rhetorically (…就是您那个意思？).
MAX_CLAUSE = 16
#: Words that already make the clause a question: then 那 is the demonstrative (那个人是谁？).
QUESTION_WORDS = (
    "吗",
    "嘛",
    "呢",
    "什么",
    "谁",
    "怎么",
    "怎样",
    "几",
    "多少",
    "哪",
    "为什么",
    "啥",
    "么",
)
_CLAUSE = re.compile(r"[^，。！？；,.!?;\n]+[？?]")
_CHOICE = re.compile(r"(.)不\1")  # A不A asks: 去不去, 是不是


def find(text: str) -> list[EverydayFix]:
    """Every 那 → 哪 the rule is sure of, in text order."""
    fixes = []
    for m in _CLAUSE.finditer(text):
        clause = m.group()
        if (
            len(clause) > MAX_CLAUSE
            or any(w in clause for w in QUESTION_WORDS)
            or _CHOICE.search(clause)
            or any(n in clause for n in "没不")
        ):
            continue
        for k, ch in enumerate(clause[:-2]):
            if ch == "那" and clause[k + 1] in HEADS:
                fixes.append(
                    EverydayFix(
                        m.start() + k,
                        "那",
                        "哪",
                        "问句中询问时间、地点、人或事物用「哪」",
                    )
                )
    return fixes
