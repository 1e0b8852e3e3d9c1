"""Two contexts where 的 after a verb or a state is the complement marker 得, kept apart from :mod:`dedide`.

* A body part and its state after 的 (唱的嗓子都哑了, 紧张的手心全是汗, 笑的眼泪都出来了): what the action or
  state did to the body is its result complement; a thing made or said would be the 的-phrase's noun instead
  (我买的手机都很贵), and no body part is such a thing.
* The object as the topic before the verb, fenced off by 的, a demonstrative or a measure word (我的汉字写的
  越来越好, 这道菜做的太咸了): the verb + 的 then cannot be "what was done" (你说的很对 has no topic), so a degree
  after it is the verb's complement. A person there is the doer (这个人说的很对), and is left; so is a thing
  said (这句话说的特别对: "what the sentence says"), and an exclamation after 的 (嘴脸看的真是恶心: 真是 judges a
  noun phrase as readily as it grades a verb).
"""

from __future__ import annotations

from collections.abc import Sequence

#: Body parts a state or an action shows itself on (笑得眼泪都出来了, 写得手都酸了, 紧张得手心全是汗).
_BODY_WORDS = "眼泪 嗓子 手 脚 腿 腰 头 眼睛 脸 手心 肚子 嘴 脖子 背 肩膀 眼圈 鼻子 耳朵 胳膊 全身 浑身 满脸 眼 喉咙"
BODY = frozenset([*_BODY_WORDS.split(" "), "手指", "后背"])
#: Adverbs that open the body part's state: 嗓子都哑了, 手心全是汗, 眼泪直流.
BODY_STATE = frozenset({"都", "全", "直", "也"})
#: Last characters of a noun for a person: 这个人说的很对 is "what this person said", a noun phrase.
PERSON_ENDS = frozenset("人们员师生长友家者手妈爸哥姐弟妹爷奶婆公子儿女孩客官夫")
#: Last characters of a thing said: 这句话说的特别对 is "what the sentence says".
SAID_ENDS = frozenset("话句言词")

#: A jieba token as (word, flag, start): :class:`lingxi.features.dedide.Token` is one.
Tok = tuple[str, str, int]
_NONE: Tok = ("", "x", -1)


def _at(toks: Sequence[Tok], i: int) -> Tok:
    return toks[i] if 0 <= i < len(toks) else _NONE


def body_result(toks: Sequence[Tok], i: int, *, acts: bool) -> bool:
    """Whether 的 at ``i``, after a verb or a state (``acts``), opens a body part's state: 得."""
    return acts and _at(toks, i + 1)[0] in BODY and _at(toks, i + 2)[0] in BODY_STATE


def object_topic(toks: Sequence[Tok], i: int, pronouns: frozenset[str]) -> bool:
    """Whether the one-character verb toks[i] has a fenced-off object topic before it (see the module doc)."""
    topic, fence = _at(toks, i - 1), _at(toks, i - 2)
    fenced = fence[0] == "的" or fence[1] in {"r", "m", "mq", "q"} or topic[0][:1] in {"这", "那"}
    return (
        len(toks[i][0]) == 1
        and topic[1] in {"n", "nz"}
        and topic[0][-1:] not in PERSON_ENDS | SAID_ENDS
        and _at(toks, i + 2)[0] != "真是"
        and topic[0] not in pronouns
        and fenced
    )
