"""在/再 confusions by role, over jieba tokens: the single commonest homophone typo in everyday Chinese.

在 (zài) marks a place or an action in progress (在家, 在桌子上, 一直在等); 再 (zài) marks repetition or a later
action (再说一遍, 下次再来, 请再检查). Both are frequent words, so a word-frequency model cannot tell them apart;
the role can:

* 在 → 再: 在 directly before a verb, when what precedes it asks for a later or repeated action (下次, 以后,
  然后, 明天, 改天, 请, 别, 不要…), or when the verb takes a count of repetitions (一遍, 一次); and 在也不/在也没.
* 再 → 在: 再 before a place (a place word, 这里/那里, a noun followed by a locative 上/里/中/下/旁) or after a
  progressive adverb (一直, 正, 仍然) before a verb.

Guards keep the rules narrow: a verb followed by a locative (在厨房里做饭 reads 在 + place) is left alone, as is
anything jieba joins into a longer word (现在, 再见, 在乎).
"""

from __future__ import annotations

from typing import NamedTuple

from lingxi.features.dedide import Token, tokens


def _words(spaced: str) -> frozenset[str]:
    return frozenset(spaced.split())


#: Words right before 在 that ask for a later or repeated action: 在 + verb after them is 再.
LATER_CUES = _words(
    "下次 以后 然后 明天 后天 改天 回头 等会 等会儿 待会 待会儿 过会 过几天 之后 稍后 晚点 请 别 不要 不用 不必 "
    "不能 不会 不想 不敢 不再 能 能不能 可以 可不可以 还要 还想 得 先 最好 一定 想 要"
)
#: Repetition counts after a verb: 在说一遍 → 再说一遍.
REPEAT = ("一遍", "一次", "一下", "几遍", "几次", "一回")
#: Adverbs of an action in progress: 一直再等 → 一直在等.
PROGRESSIVE = _words("一直 正 仍然 依然 始终 还一直")
#: Places 再 is never put before: 再家 → 在家.
PLACES = _words("家 家里 这里 那里 这儿 那儿 哪里 哪儿 此 外面 里面 上面 下面 旁边 附近 门口 路上 网上 楼下 楼上")
LOCATIVES = _words("上 里 中 下 内 外 旁 边 前 后 上面 里面 下面 旁边 附近 门口")
_VERB = frozenset({"v", "vd", "vi", "vn", "vq"})
_NOUN = frozenset({"n", "nr", "ns", "nz", "nt", "s", "f"})


class ZaiFix(NamedTuple):
    start: int
    original: str
    replacement: str
    reason_zh: str


def find(text: str) -> list[ZaiFix]:
    """Every 在/再 swap the rules are sure of, in text order (offsets are ``str`` indices)."""
    if "在" not in text and "再" not in text:
        return []
    toks = tokens(text)
    fixes: list[ZaiFix] = []
    for i, tok in enumerate(toks):
        prev = toks[i - 1] if i > 0 else None
        nxt = toks[i + 1] if i + 1 < len(toks) else None
        after = toks[i + 2] if i + 2 < len(toks) else None
        if nxt is None:
            continue
        if tok.word == "在" and _later(prev, nxt, after):
            fixes.append(ZaiFix(tok.start, "在", "再", "表示重复或以后的动作应用「再」"))
        elif tok.word == "再" and _place(prev, nxt, after):
            fixes.append(ZaiFix(tok.start, "再", "在", "表示处所或正在进行应用「在」"))
    return fixes


def _later(prev: Token | None, nxt: Token, after: Token | None) -> bool:
    """在 that should be 再: before a verb after a later-cue, before a verb + repetition, or 在也不/在也没."""
    if nxt.word in {"也", "也不", "也没"} and after is not None and after.word[:1] in {"不", "没"}:
        return True
    if nxt.flag not in _VERB or (after is not None and after.word in LOCATIVES):
        return False
    if after is not None and after.word in REPEAT:
        return True
    return prev is not None and prev.word in LATER_CUES


def _place(prev: Token | None, nxt: Token, after: Token | None) -> bool:
    """再 that should be 在: before a place, before a noun + locative, or a progressive adverb + 再 + verb."""
    if nxt.word in PLACES:
        return True
    if nxt.flag in _NOUN and after is not None and after.word in LOCATIVES:
        return True
    return prev is not None and prev.word in PROGRESSIVE and nxt.flag in _VERB
