"""在/再 confusions by role, over jieba tokens: the single commonest homophone typo in everyday Chinese.

在 (zài) marks a place or an action in progress (在家, 在桌子上, 一直在等); 再 (zài) marks repetition or a later
action (再说一遍, 下次再来, 请再检查). Both are frequent words, so a word-frequency model cannot tell them apart;
the role can:

* 在 → 再: 在 directly before a verb, when what precedes it asks for a later or repeated action (下次, 以后,
  然后, 明天, 改天, 请, 麻烦, 别, 不要…), when the sentence opened a sequence (先…, 等…) or the clause before it
  ended an action (吃完, 晾好), or when the verb is repeated or counted (读一读, 收拾收拾, 说一遍, 等一天, 考虑一下
  — an action in progress takes no duration); after a wanting modal before a bare verb (想在见你, 可以在试试), after a
  duration waited out (过两年, 等一会儿), in a proposal whose clause ends in 吧 (我们周末在聊吧, ，在放点盐吧: a
  guess such as 他在开会吧 has another subject), before a co-verb after those cues (麻烦在给我们加茶); and 在也不.
* 再 → 在: 再 before a place (再医院, 再家里, a noun + locative: 再桌子上), after a verb before a place, a pronoun or an
  ordinal (坐再第一排, 写再这张表上), after a progressive adverb (一直, 正, 仍然) before a verb, or before a clock
  time (再十点开始; 再十分钟 is a duration, and right).

Every new case was checked against the licensed training text (78,000 sentences of web comments, dialogues and
ECSpell): of the sentences where they fire, most are real typos there too (能在帮我找, 不要在说了).

Guards keep the rules narrow: a verb followed by a locative (在厨房里做饭 reads 在 + place) is left alone, as is
anything jieba joins into a longer word (现在, 再见, 在乎).
"""

from __future__ import annotations

import re
from typing import NamedTuple

from lingxi.features.dedide import VERBAL_NOUNS, Token, tokens


def _words(spaced: str) -> frozenset[str]:
    return frozenset(spaced.split())


#: Words right before 在 that ask for a later or repeated action: 在 + verb after them is 再.
LATER_CUES = _words(
    "下次 以后 然后 明天 后天 改天 改日 回头 等会 等会儿 待会 待会儿 过会 过几天 之后 稍后 晚点 请 麻烦 劳驾 先 别 "
    "不再 不用 不必 下个月 下周 下星期 下礼拜 明年 下回 下下周 一会儿 过两天"
)
#: Modal words: 在 after them is 再 only before an adjective (能不能再便宜点) — 可以在网上买 is right.
MODALS = _words("能 能不能 可以 可不可以 还要 还想 想 要 最好 一定 不能 不会 不想 不敢 不要")
#: Modals of wanting or being able: 想在见你, 可以在试试, 不要在说了 (一定在想 is a guess, 要在…基础上 a frame).
WANTS = _words("能 能不能 可以 可不可以 还想 想 不能 不想 不要 不敢")
CLAUSE_END = frozenset("，。！？,!?；;")
#: Repetition counts after a verb: 在说一遍 → 再说一遍.
REPEAT = ("一遍", "一次", "一下", "几遍", "几次", "一回", "一会", "一会儿")
#: Numerals that open a duration or a count after the verb (等一天, 读几遍, 聊两句).
NUMERALS = frozenset("一二两三四五六七八九十几半")
#: Units of such a duration or count: an action in progress takes none (*他在等一天), a later or repeated one
#: does (再等一天, 再读几遍). 点 is left out: 在吃点东西 is a natural progressive, and 十点 is a clock time.
DURATION_UNITS = ("天", "年", "月", "周", "星期", "小时", "分钟", "遍", "次", "回", "下", "会儿", "趟", "眼")
#: Subjects of a suggestion: a clause that ends in 吧 after them (我们在商量吧) proposes, it does not guess (他在
#: 开会吧, "he is in a meeting, I suppose").
PROPOSERS = _words("我们 咱们 咱 大家")
#: Co-verbs a later action opens with (麻烦再给我们加一壶茶, 等我忙完再跟你说); after 在 alone they read as
#: progressive (我在给你打电话), so they count only where a cue asks for a later action.
COVERBS = _words("给 帮 替 跟 和 陪")
#: Clock times 再 is never put before (会议再十点开始 → 在): 再十分钟 is a duration, and right.
CLOCK = re.compile(r"[零一二两三四五六七八九十\d]+点(?:钟|半)?")
#: Adverbs of an action in progress: 一直再等 → 一直在等.
#: Times to come: 在 after them, past a subject (明天我在跟你确认, 下次我们在来), is 再 — the subject does not change
#: what the time asks for. 然后 and 之后 also tell a past sequence (然后我在想…), so they need 在 right after them.
FUTURE = _words(
    "下次 明天 后天 改天 改日 回头 等会 等会儿 待会 待会儿 过会 过几天 稍后 晚点 下个月 下周 下星期 下礼拜 明年 下回 "
    "过两天"
)
#: Subjects that may stand between a time to come and 在.
SUBJECTS = _words("我 我们 你 你们 咱们 咱 他 她 他们 大家")
PROGRESSIVE = _words("一直 正 仍然 依然 始终 还一直")
#: Places 再 is never put before: 再家 → 在家.
PLACES = _words("家 家里 这里 那里 这儿 那儿 哪里 哪儿 此 外面 里面 上面 下面 旁边 附近 门口 路上 网上 楼下 楼上")
LOCATIVES = _words("上 里 中 下 内 外 旁 边 前 后 上面 里面 下面 旁边 附近 门口")
#: Words that close a 在… frame (在吃饭时, 在诉讼活动中, 在会议之前): 在 is then a preposition.
FRAME_END = LOCATIVES | _words("时 时候 期间 过程 过程中 之际 以前 以后 之前 之后 方面 下面 当中")
_VERB = frozenset({"v", "vd", "vi", "vn", "vq"})
_NOUN = frozenset({"n", "nr", "ns", "nz", "nt", "s", "f"})
#: Last characters of place nouns (医院, 餐厅, 公园, 办公室): 再 + such a noun is 在 (再对症治疗 is right).
PLACE_ENDINGS = frozenset("院馆店厅场室站校园楼厂所处部局堂区村街城市省县屋家房")
#: Words that open a sequence: 先…再, 等…再 (等 only at a clause start or before a pronoun: 律师等 is "etc.").
SEQUENCE = frozenset({"先", "等", "等到"})
#: A clause ending in a finished action (吃完, 晾好, 停了) is followed by 再, not 在, before a verb.
DONE = frozenset("完好了")
#: Verb-like words 在 does take directly (他在忙).
STATIVE = _words("忙 家 场 内 外 此 于 乎 意")
_NONE = Token("", "x", -1)


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
    sequence = False  # 先, 等 or a finished action (看完) earlier in this sentence: 先…再, 等…再, 看完…再
    for i, tok in enumerate(toks):
        if tok.word in {"。", "！", "？", "!", "?"}:
            sequence = False
        prev = toks[i - 1] if i > 0 else _NONE
        opens = tok.word == "先" or (tok.word in SEQUENCE and (prev.flag in {"x", ""} or _at(toks, i + 1).flag == "r"))
        # 看完, and 吃完饭 (jieba tags it l): a finished action
        sequence = sequence or opens or ("完" in tok.word[1:] and tok.flag in _VERB | {"l"})
        nxt = toks[i + 1] if i + 1 < len(toks) else None
        after = toks[i + 2] if i + 2 < len(toks) else _NONE
        if nxt is None:
            continue
        if tok.word == "在" and (cue := _future_past_subject(toks, i)) is not None:
            prev = cue
        if tok.word == "在" and (
            _going_on(toks, i)
            or (
                not _fortunately(prev, _at(toks, i - 2))
                and not _framed(toks, i)
                and _later(prev, nxt, after, sequence=sequence, proposal=_proposal(toks, i), before=_at(toks, i - 2))
            )
        ):
            fixes.append(ZaiFix(tok.start, "在", "再", "表示重复或以后的动作应用「再」"))
        elif len(tok.word) == 2 and tok.word[0] == "在" and tok.flag in _VERB and _counted_or_repeat(nxt):
            # jieba joins 在 + a one-character verb (在读 几遍): a count after it is the repeated action's
            fixes.append(ZaiFix(tok.start, "在", "再", "表示重复或以后的动作应用「再」"))
        elif tok.word == "再" and _place(prev, nxt, after):
            fixes.append(ZaiFix(tok.start, "再", "在", "表示处所或正在进行应用「在」"))
    return fixes


def _at(toks: list[Token], i: int) -> Token:
    return toks[i] if 0 <= i < len(toks) else _NONE


def _future_past_subject(toks: list[Token], i: int) -> Token | None:
    """The time to come before the subject before 在 (明天早上我在…: 明天), or None."""
    if _at(toks, i - 1).word not in SUBJECTS:
        return None
    k = i - 2
    while k >= 0 and toks[k].flag == "t" and toks[k].word not in FUTURE:
        k -= 1  # 明天早上我: 早上 is part of the time
    return toks[k] if k >= 0 and toks[k].word in FUTURE else None


def _going_on(toks: list[Token], i: int) -> bool:
    """再这样下去 (if it goes on like this): 在 + 这样/这么 + 下去 names no place or time, unless a noun follows
    (在这样下去的路上)."""
    return (
        _at(toks, i + 1).word in {"这样", "这么", "那样"}
        and _at(toks, i + 2).word == "下去"
        and _at(toks, i + 3).word != "的"
    )


def _fortunately(prev: Token, before: Token) -> bool:
    """Whether 在 after 好 is the adverb 好在 (fortunately): 好 opens its clause (冷得直发抖，好在看到了日出). A done
    action's 好 (准备好在出发 → 再) has its verb before it."""
    return prev.word == "好" and before.flag == "x"


def _framed(toks: list[Token], i: int) -> bool:
    """Whether the clause after toks[i] closes a 在… frame (在吃饭时, 在活动中): then 在 is right."""
    for tok in toks[i + 1 :]:
        if tok.flag == "x":
            return False
        if tok.word in FRAME_END:
            return True
    return False


def _after_a_wait(prev: Token, before: Token) -> bool:
    """过两年, 等一会儿: a stretch of time waited out (过/等 + a duration) before 在 + verb asks for 再."""
    return before.word in {"过", "等"} and (_counted(prev) or prev.word in REPEAT)


def _later(
    prev: Token, nxt: Token, after: Token, *, sequence: bool, proposal: bool = False, before: Token = _NONE
) -> bool:
    """在 that should be 再 (see the module docstring for the cases)."""
    if nxt.word in {"也", "也不", "也没"} and after.word[:1] in {"不", "没"}:
        return True
    if after.word in LOCATIVES or nxt.word in STATIVE or prev.word in PROGRESSIVE:
        return False
    if _reduplicated_verb(nxt) or _delimited(nxt):  # jieba tags 改一改 j, 试试 vn, 考虑一下 n
        return True
    verb = nxt.flag in _VERB or (nxt.word == "等" and after.flag == "m")  # jieba tags 等 u (等一天)
    if verb and (after.word in REPEAT or _tried_again(nxt, after) or _counted(after)):
        return True
    coverb = nxt.word in COVERBS
    coming = nxt.word[:1] in {"来", "去"} or nxt.word == "过来"  # jieba tags 来看 u, 过来 t
    if (verb or coverb or coming) and (sequence or prev.word[-1:] in DONE or _after_a_wait(prev, before)):
        return True
    adjective = nxt.flag == "a" and after.flag not in _NOUN and after.word != "的"  # 在正规的医院 is a place
    if prev.word in MODALS:
        # 想在见你, 可以在试试: a modal before 在 + a bare verb wants 再 (可以在网上买 has a place, 在上海 a name)
        return adjective or (prev.word in WANTS and nxt.flag in {"v", "vi"} and _bare(after))
    if proposal and (verb or coming or coverb):
        return True
    return prev.word in LATER_CUES and (verb or coming or adjective or coverb)


def _reduplicated_verb(tok: Token) -> bool:
    """V一V or VV, the tentative forms (读一读, 收拾收拾), as jieba keeps them in one token (not 哇啦哇啦, 2020)."""
    w = tok.word
    if tok.flag in {"z", "o", "m", "x", "eng"} or not all("\u4e00" <= c <= "\u9fff" for c in w):
        return False
    return (len(w) == 3 and w[0] == w[2] and w[1] == "一") or (len(w) == 4 and w[:2] == w[2:])


def _delimited(tok: Token) -> bool:
    """A verb and 一下/一遍/一次… that jieba keeps as one token (考虑一下/n, 检查一遍): a delimited action, which
    cannot be one in progress (我在考虑一下吧 → 再)."""
    import jieba.posseg

    stem = next((tok.word[: -len(r)] for r in REPEAT if tok.word.endswith(r) and len(tok.word) > len(r)), "")
    return bool(stem) and str(jieba.posseg.dt.word_tag_tab.get(stem, ""))[:1] == "v"


def _bare(after: Token) -> bool:
    """Whether what follows the verb leaves it bare (an object, a pronoun, the clause's end) rather than making it
    the head of a time or place frame (可以在怀孕早期…, 要在肯定…的基础上)."""
    if after.flag == "x":
        return after.word in CLAUSE_END
    return after.flag not in {"f", "s", "t"}


def _counted_or_repeat(after: Token) -> bool:
    return after.word in REPEAT or _counted(after)


def _counted(after: Token) -> bool:
    """A duration or count right after the verb (一天, 几遍, 两句)."""
    w = after.word
    return after.flag == "m" and len(w) >= 2 and w[0] in NUMERALS and w.endswith(DURATION_UNITS)


def _proposal(toks: list[Token], i: int) -> bool:
    """Whether 在 at toks[i] opens a proposal: its clause ends in 吧 and it follows a clause start, a time word or
    a proposing subject (我们周末在商量吧, ，在放点盐吧)."""
    prev = _at(toks, i - 1)
    if not (prev.flag in {"x", "", "t"} or prev.word in PROPOSERS):
        return False
    for k in range(i + 1, len(toks)):
        if toks[k].flag == "x":
            return False
        if toks[k].word == "吧":
            return _at(toks, k + 1).flag in {"x", ""}  # the clause's last word (贴吧 in 在贴吧看到 is not)
    return False


def _tried_again(verb: Token, after: Token) -> bool:
    """V一V or VV after 在 (读一读, 收拾收拾): a tentative repeat, never an action in progress."""
    w = verb.word
    if (len(w) == 3 and w[0] == w[2] and w[1] == "一") or (len(w) == 4 and w[:2] == w[2:]):
        return True  # jieba keeps 读一读 and 收拾收拾 as one token
    return after.word in {"一" + w, w} or (after.word == "一" and len(w) == 1)


def _place_noun(word: str) -> bool:
    """Whether jieba's dictionary tags ``word`` as a noun or a place (操场, 桌子)."""
    import jieba.posseg

    return jieba.posseg.dt.word_tag_tab.get(word, "") in _NOUN


def _place(prev: Token, nxt: Token, after: Token) -> bool:
    """再 that should be 在 (see the module docstring for the cases)."""
    if nxt.word in PLACES or (CLOCK.fullmatch(nxt.word) and nxt.word != "一点"):
        return True
    if len(nxt.word) >= 3 and nxt.word[-1] in "上里中" and _place_noun(nxt.word[:-1]):
        return True  # jieba joins 操场上 into one token (tagged v)
    verbal = nxt.word in VERBAL_NOUNS or nxt.word.endswith(REPEAT)  # jieba tags 检查一下 n
    nominal = nxt.flag in _NOUN and not verbal
    place = nxt.flag in {"ns", "s", "nt"} or nxt.word[-1:] in PLACE_ENDINGS
    if nominal and (after.word in LOCATIVES or place):
        return True
    if (
        prev.flag in _VERB
        and len(prev.word) == 1
        and (nominal or nxt.flag in {"r", "m"})
        and nxt.word not in {"多", "少", "一次", "一遍"}
    ):
        return True  # V + 再 + place: 坐再第一排, 写再这张表上
    return prev.word in PROGRESSIVE and nxt.flag in _VERB
