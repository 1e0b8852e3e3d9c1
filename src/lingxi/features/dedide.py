"""的/地/得 misuse found by rules over jieba part-of-speech tags (classical: no language model).

Chinese writes three particles pronounced "de": 的 after a noun modifier (我的书), 地 after an adverbial before
a verb (慢慢地走), 得 between a verb and its complement (跑得快). jieba's tags are noisy (it tags 开心 and 飞快 as
verbs, 美丽 as a place name, 很漂亮 as a noun), so each rule asks for a clear pattern plus a guard against the
readings that are also correct — a miss is likelier than a false alarm:

* 的 → 地: a manner word (a reduplicated AA/ABB/AABB form or one of :data:`MANNER`), or a plain adjective
  right after the subject (他们顺利的完成了), then 的 then a verb, unless the phrase is a noun phrase
  (一次认真的检查, 进行了热烈的讨论) or 的 nominalizes (他高兴的是…). A plain adjective or adverb after a modal,
  a conjunction or a comma (可以有效的解决, 很好的延缓, ，经常的出去) is left alone: published text that
  proofreaders pass as correct writes 的 there so often (ECSpell validation: 23 such edits, none labelled an
  error) that flagging it reads as a false alarm to users.
* 的 → 得 before a complement of possibility or extreme degree (看的出来, 听的懂, 好吃的不得了, 累的要命):
  no 的-phrase stands there; after a state or a sensation before 不行 or before a person it puts in another
  state (气的不行, 吵的我头疼, 辣的我直流眼泪).
* 的 → 得: a verb then 的 then a degree word (很/非常/太/越来越…, 不快) or a reduplicated state (干干净净), unless
  the verb is one whose 的-form is commonly a noun (你说的很对 = "what you said"; 我买的很便宜; 吃的很多) and the
  adjective could describe a thing: one that only describes how an action went (说的很流利, 吃的很快) makes it a
  complement. A copied verb (写字写的很认真) is always a complement; so is an adjective softened by 一点/一些
  (修的低一些) or after 有点/有些 (跑的有点慢; 有些人 is "some").
* 的 → 得 between an adjective and a clause-final 多 in a comparison (比去年冷的多): 多 is its degree
  complement; after a noun phrase (比女的多) or 比较 "fairly" 的 stays.
* 的 → 得 before a lone 了 and a noun, numeral or measure word (我的了九十分, 他的了重感冒, 跑的了和尚): 得了 "got,
  caught" or a potential complement (跑得了); a 的-phrase ends before 了 only at a clause end or a particle (书是
  你的了。 / 你的了吧), and 了解, 了不起 are words of their own. Not after an adjective or a distinguishing word
  (算高的了, 女的了事: a missing comma, a split word).
* 地 → 的 and 得 → 的: a modifier then 地/得 then a noun, where the modifier is a personal pronoun (我地电脑),
  follows a numeral-classifier (一个美丽地城市), or is an adjective that is not a manner word.
  得 → 的 also after a verb when the noun is the subject of 是 (我喜欢得水果是芒果: a relative clause).
* 地 → 得: a verb then 地 then a degree word (跑地很快); 地 never nominalizes, so this one has no exception.
* 得 → 地: a reduplicated adverbial then 得 then a verb (慢慢得走); 高兴得跳起来 is a correct complement, and
  so is a reduplicated noun's (这幅画画得像). An adjective right after its subject is a predicate, whose 得 opens a
  complement whatever jieba tags the complement (东西贵得离谱: no 得 → 的).

Offsets are Python ``str`` indices. The rules are measured on :mod:`lingxi.evals.dedide_cases`.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from lingxi.features import dedide_result


def _words(spaced: str) -> frozenset[str]:
    return frozenset(spaced.split())


#: Degree words that open a complement (跑的很快 → 跑得很快); 很多/很少 are left alone (吃的很多 is fine).
DEGREE = re.compile(r"^(很|非常|十分|特别|太|挺|真|相当|极|越来越|格外|更加|比较|有点|有些)(?!多|少)")
#: Adjectives that describe how an action went, never a thing (流利, 快, 晚): after 说/做/吃 + 的 + a degree word
#: they are a complement even for the verbs whose 的-form is usually a noun (你说的很对 is "what you said", but
#: 说的很流利 cannot be "what was said is fluent").
EVENT_ADJECTIVES = _words("流利 快 慢 早 晚 熟练 流畅 地道 标准 准确 及时 迅速 匆忙")
#: What follows an adjective complement to soften or heighten it (进步的快一点 → 得, 好吃的很 aside).
SOFTENERS = _words("一点 一点儿 一些 极了")
#: 不 + adjective complements (跑的不快); 不是/不要/不会… are not complements (我要的不是这个).
NEGATED = frozenset({"不快", "不慢", "不好", "不错", "不够", "不清楚", "不明白", "不高", "不远", "不久"})
#: Verbs whose 的-form is commonly a noun ("what was said / bought / done"): 你说的很对 is correct as written.
NOMINAL_VERBS = _words(
    "说 讲 做 干 写 画 买 卖 吃 喝 穿 用 拿 送 给 要 想 看 听 问 学 找 选 带 拍 唱 弹 演 种 养 煮 炒 借 租 寄 收 发 "
    "说出 提出 做出 写出 讲述 介绍 安排 准备 设计 拍摄 推荐 选择 决定 建议 提供 需要 喜欢 知道 认为 是 有 在"
)
#: Single-character intransitive verbs jieba often tags as something else (雨下/f, 长/a).
PLAIN_VERBS = _words("下 长 起 睡 醒 哭 笑 跑 走 飞 跳 来 去 坐 站 躺 活 住 玩 忙 开 落")
#: Manner words used as adverbials that jieba tags v/m/b/n (开心/v, 飞快/v, 大声/m, 高兴/b).
MANNER = _words(
    "开心 兴奋 飞快 大声 高兴 激动 小心 轻声 低声 失望 满意 着急 热情 耐心 认真 仔细 愉快 痛快 拼命 尽情 "
    "专心 用心 细心 主动 积极 迅速 不停 不断 逐渐 默默 悄悄 匆匆 慢慢 狠狠 轻轻 静静 偷偷 紧紧 好好"
)
#: States that take a result complement with 得 (累得满头大汗, 急得团团转), and sensations that cause one (辣得我
#: 直流眼泪, 吵得我头疼; not 撑: 吃饱了撑的 is an idiom with 的).
STATES = _words("累 急 气 饿 冷 热 困 吓 疼 乐 忙 辣 吵 挤 晒 冻 烫 激动 高兴 紧张 害怕 感动")
#: Personal pronouns: a pronoun then 地/得 then a noun is a possessive (我地电脑 → 我的电脑).
PRONOUNS = _words("我 你 您 他 她 它 我们 你们 他们 她们 它们 咱们 自己 大家 别人 人家")
#: Words before a modifier that make the modifier + 的 + verb a noun phrase (进行了热烈的讨论, 一次认真的检查).
NOUN_PHRASE_CUES = _words("了 进行 作 做 是 给予 加以 受到 得到 经过 有 一次 一场 一个 这种 那种 的")
#: Nouns (by jieba's tag) that are really verbs or adjectives after a modal 得 or an adverbial 地 (你得小心).
VERBAL_NOUNS = _words("小心 注意 准备 回家 工作 学习 努力 休息 出门 上班 下班 吃饭 睡觉 放心")
#: Verbs that, right after 的, are a copula or modal of a nominalized subject (严重的需住院, 腐烂的作为…).
COPULAS = _words("作为 成为 需 需要 应 应该 可 会 能 叫 称为 属于 包括")
#: Nouns a verb compounds with into a noun phrase after 的 (特效的治疗方法, 良好的睡眠习惯).
NOUN_HEADS = _words(
    "方法 方式 习惯 过程 时间 能力 问题 效果 情况 措施 手段 技术 水平 质量 工作 费用 结果 方案 原则 规定 制度 标准"
)
#: Complements of possibility after a verb (看得出来, 听得懂, 承担得起来) and of extreme degree after a state or a
#: verb (好吃得不得了, 累得要命): a verb + 的 never reads as a noun before them, so 的 there is 得.
POTENTIAL = _words("出来 起来 下去 懂 完")
EXTREME = _words("不得了 要命 要死")
#: Prepositions that open a verb phrase: an adverbial + 的 before them is 地 (悄悄地把…, 不停地向…).
COVERBS = _words("把 向 往 朝 跟 被 从")
#: Modals jieba tags as nouns (无法/n): an adjective after them is not in the subject's adverbial slot.
MODALS = _words("无法 能否 是否")
#: What opens a comparison whose adjective may take 得多 (比较 "fairly" is no comparison).
COMPARING = _words("比 比起 相比 远比 要比 更比")
_NOUN_FLAGS = frozenset({"n", "nr", "ns", "nz", "nt", "ng", "t"})
_VERB_FLAGS = frozenset({"v", "vd", "vi", "vq"})
_ASPECT = frozenset({"了", "着", "过"})
_BOUNDARY = re.compile(r"^[\s，。！？；：、,.!?;:]*$")


class DeFix(NamedTuple):
    """Replace the particle at ``start`` (one code point, ``original``) with ``replacement``."""

    start: int
    original: str
    replacement: str
    reason_zh: str


class _Tok(NamedTuple):
    word: str
    flag: str
    start: int


#: A jieba token with its offset (word, flag, start), shared with :mod:`lingxi.features.zaizai`.
Token = _Tok


def reduplicated(word: str) -> bool:
    """AA (慢慢), ABB (笑眯眯, 绿油油) or AABB (高高兴兴): forms that are adverbials before a verb."""
    if len(word) == 2:
        return word[0] == word[1]
    if len(word) == 3:
        return word[1] == word[2] and word[0] != word[1]
    return len(word) == 4 and word[0] == word[1] and word[2] == word[3]


def tokens(text: str) -> list[_Tok]:
    """jieba tokens with offsets; a dictionary word like 悄悄的 is split into 悄悄 + 的 so the rules see 的."""
    import jieba.posseg  # its tagging model costs ~0.2 s to load: only when proofreading runs

    out: list[_Tok] = []
    pos = 0
    for pair in jieba.posseg.cut(text, HMM=False):  # HMM off: no guessed words such as 我地 or 了门
        word, flag = pair.word, pair.flag
        if len(word) >= 3 and word[-1] in "的地得" and reduplicated(word[:-1]):
            out += [_Tok(word[:-1], "z", pos), _Tok(word[-1], "u", pos + len(word) - 1)]
        else:
            out.append(_Tok(word, flag, pos))
        pos += len(word)
    return out


def _at(toks: list[_Tok], i: int) -> _Tok:
    return toks[i] if 0 <= i < len(toks) else _Tok("", "x", -1)


def _adverbial(tok: _Tok) -> bool:
    return reduplicated(tok.word) or tok.flag in {"ad", "d", "z"} or tok.word in MANNER


def _verb_ahead(toks: list[_Tok], i: int) -> bool:
    """Whether toks[i] is a verb (jieba tags some verbs n/s/l: 回家/n 了, 关上/s 了, 笑了起来/l)."""
    tok, after = toks[i], _at(toks, i + 1).word
    if tok.word in {"是", "有", "在"}:
        return False
    if tok.flag in _VERB_FLAGS:
        return True
    if tok.flag in {"vn", "n", "s"}:
        return after in _ASPECT
    return tok.flag == "l" and len(tok.word) > 1 and tok.word[1] in _ASPECT


def _manner(tok: _Tok) -> bool:
    return tok.word in MANNER or reduplicated(tok.word)


def _after_subject(toks: list[_Tok], i: int) -> bool:
    """Whether toks[i] is a plain adjective right after the subject (他们顺利的完成了, 小狗欢快的摇着): the
    adverbial slot. After a modal, a conjunction or a comma (可以有效的解决, 还要适当的补充) 的 is left alone."""
    tok, before = toks[i], _at(toks, i - 1)
    return tok.flag in {"a", "ad"} and before.flag in {"r", "nr", "k"} | _NOUN_FLAGS and before.word not in MODALS


def _nominal_verb(toks: list[_Tok], i: int, *, manner: bool) -> bool:
    """Whether the verb toks[i] after 的 is used as a noun: it ends the phrase after a plain adjective (一个不错的
    选择。; after a manner word 认真的学习。 is still 地), heads a noun (特效的治疗方法, 具体的操作费), or is a copula
    or modal (严重的需住院, 不彻底的叫…): then 的 is right."""
    tok, after = toks[i], _at(toks, i + 1)
    ends = _BOUNDARY.match(after.word) is not None or after.word == "的"
    if tok.word in COPULAS or (ends and not manner):
        return True
    return after.word in NOUN_HEADS or after.word[:1] in {"费", "法"}


def _complement_ahead(toks: list[_Tok], i: int) -> bool:
    """Whether toks[i] opens a degree complement: 很快, 太晚, 越来越大, 不快, 干干净净。"""
    tok, after = toks[i], _at(toks, i + 1)
    if tok.word in {"有些", "有点"} and after.flag in _NOUN_FLAGS:
        return False  # 有些人, 有点钱: "some", not a degree
    if DEGREE.match(tok.word) or tok.word in NEGATED:
        return True
    if tok.word == "不" and after.flag in {"a", "ad"}:
        return True
    if tok.flag in {"a", "ad"} and len(tok.word) <= 2 and after.word in SOFTENERS:
        return _at(toks, i + 2).word != "的"  # 胖一些的老师 modifies a noun
    return len(tok.word) == 4 and reduplicated(tok.word) and _BOUNDARY.match(after.word) is not None


def _event_complement(toks: list[_Tok], i: int) -> bool:
    """Whether toks[i] opens a degree complement whose adjective is one of :data:`EVENT_ADJECTIVES` (很流利, 太快,
    有点晚; jieba keeps 很快 and 太晚 whole)."""
    tok, after = toks[i], _at(toks, i + 1)
    head = DEGREE.match(tok.word)
    if head is None:
        return False
    rest = tok.word[head.end() :]
    return (rest or after.word) in EVENT_ADJECTIVES


def _verb_behind(toks: list[_Tok], i: int) -> bool:
    tok = toks[i]
    return tok.flag in _VERB_FLAGS or tok.word in PLAIN_VERBS


def _noun_ahead(toks: list[_Tok], i: int) -> bool:
    tok = toks[i]
    return tok.flag in _NOUN_FLAGS and tok.word not in VERBAL_NOUNS and _at(toks, i + 1).word not in _ASPECT


def _possessive_before_noun(toks: list[_Tok], i: int) -> bool:
    """toks[i] (地 or 得) sits between a noun modifier and its noun: 我地电脑, 一个美丽地城市, 漂亮地裙子."""
    prev, before = _at(toks, i - 1), _at(toks, i - 2)
    if not _noun_ahead(toks, i + 1) or reduplicated(prev.word) or prev.flag in {"d", "ad"}:
        return False
    if prev.word in PRONOUNS:
        return True
    if before.flag in {"m", "mq", "q"}:  # 一个/一段/一位 + modifier: a noun phrase
        return True
    if prev.word in MANNER:
        return False
    return prev.flag in {"a", "b"} and len(toks[i + 1].word) >= 2


def _predicate(toks: list[_Tok], i: int) -> bool:
    """Whether toks[i] is a bare adjective right after a noun or pronoun: the predicate of that subject (东西贵,
    天冷), not a modifier of what follows (a modifier comes after a numeral-classifier, a verb or 了: 一个美丽地城市,
    买了漂亮地裙子). jieba tags some complements as nouns (离谱/n), so 贵得离谱 would read as 贵 + 的 + noun."""
    tok, before = toks[i], _at(toks, i - 1)
    return tok.flag == "a" and (before.flag in _NOUN_FLAGS or before.word in PRONOUNS)


def _caused(toks: list[_Tok], i: int) -> bool:
    """Whether toks[i] is a person whom the state before 的 puts in another state, a clause going on after them
    (气的我浑身发抖, 吵的大家都睡不着): the result complement of 得. After a state 的 with a person could only be
    a topic (冷的我不喝), which the licensed text does not write without a comma."""
    after = _at(toks, i + 1)
    return toks[i].word in PRONOUNS and bool(after.word) and not _BOUNDARY.match(after.word) and after.word != "的"


def _compared(toks: list[_Tok], i: int) -> bool:
    """Whether the clause before toks[i] holds a comparison (比, 比起, 相比): 远比…强的多 is a degree complement."""
    for tok in reversed(toks[:i]):
        if tok.word in COMPARING:
            return True
        if _BOUNDARY.match(tok.word):
            return False
    return False


def _got(toks: list[_Tok], i: int) -> bool:
    """Whether 的 at ``i`` stands for the verb 得 before 了 and what was got (我的了感冒 → 得了), or for the
    complement marker of a potential (跑的了和尚 → 跑得了): a lone 了 follows, then a noun, numeral or measure word."""
    after, prev = _at(toks, i + 2), _at(toks, i - 1)
    # a verb after 了 only after a pronoun (我的了感冒, which jieba tags v): 我说的了是吗 is a missing comma
    got = after.flag[:1] in {"n", "m", "q"} or after.flag == "vn" or (after.flag == "v" and prev.flag == "r")
    return _at(toks, i + 1).word == "了" and got and prev.flag not in {"a", "ad", "b"}


def _fixed_phrase(tok: _Tok) -> bool:
    """A four-character set phrase (jieba tags 满头大汗 ns, 目瞪口呆 i): after a state it tells the state's degree."""
    return tok.flag in {"i", "l", "ns", "nz"} and len(tok.word) == 4


def _state_complement(toks: list[_Tok], i: int) -> bool:
    """Whether 的 at ``i``, after an adjective that is its subject's predicate, opens what the state comes to — a
    likeness to the clause's end (枫叶红的像火一样) or what it does to a person, ending the clause (速度快的让我
    吃惊): the complement of 得, where an adverbial 地 would need a verb of its subject's (他开心地让我进去)."""
    nxt, person, state, end = (_at(toks, i + k) for k in range(1, 5))
    if nxt.word in {"让", "使", "令", "叫"}:
        return person.word in PRONOUNS and state.flag == "a" and _BOUNDARY.match(end.word) is not None
    if nxt.word != "像":
        return False
    for k in range(i + 2, len(toks)):
        if _BOUNDARY.match(toks[k].word):
            return False
        if toks[k].word in {"一样", "似的"}:
            return _BOUNDARY.match(_at(toks, k + 1).word) is not None
    return False


def _copied(toks: list[_Tok], i: int) -> bool:
    """Whether the three characters before toks[i] are a verb-object word and its verb copied (写字写, 唱歌唱,
    排队排), however jieba cut them (唱 + 歌唱): what follows 的 there is how the action went, a complement."""
    import jieba.posseg

    left = "".join(t.word for t in toks[max(0, i - 3) : i])[-3:]
    tags = jieba.posseg.dt.word_tag_tab
    return len(left) == 3 and left[0] == left[2] and tags.get(left[:2]) in {"v", "vn", "n"} and tags.get(left[2]) == "v"


def _fix(toks: list[_Tok], i: int) -> tuple[str, str] | None:
    tok, prev, before = toks[i], _at(toks, i - 1), _at(toks, i - 2)
    if i == 0 or i + 1 >= len(toks):
        return None
    if tok.word == "的":
        if _predicate(toks, i - 1) and _state_complement(toks, i):
            return "得", "表示程度或结果的补语前应用「得」"
        noun_phrase = before.word in NOUN_PHRASE_CUES or before.flag in {"m", "mq", "q"}
        adverbial = (_manner(prev) or _after_subject(toks, i - 1)) and not noun_phrase
        if adverbial and _verb_ahead(toks, i + 1) and not _nominal_verb(toks, i + 1, manner=_manner(prev)):
            return "地", "修饰动词的状语后应用「地」"
        # after a reduplicated form any preposition opens the verb phrase (开开心心地在公园里玩)
        coverb = toks[i + 1].word in COVERBS or (
            reduplicated(prev.word) and (toks[i + 1].word[:1] in COVERBS or toks[i + 1].flag == "p")
        )
        if _adverbial(prev) and not noun_phrase and coverb:  # jieba joins 把门: after 轻轻的 it is 把 + 门
            return "地", "修饰动词的状语后应用「地」"
        copied = (bool(before.word) and before.word[0] == prev.word and len(before.word) > 1) or _copied(toks, i)
        topic = dedide_result.object_topic(toks, i - 1, PRONOUNS)
        nominal = prev.word in NOMINAL_VERBS and not copied and not topic and not _event_complement(toks, i + 1)
        compared = toks[i + 1].word == "比" and prev.flag in _VERB_FLAGS  # 跑的比谁都快
        if _got(toks, i):
            return "得", "「得了」（得到、患上）或可能补语中应用「得」"
        if toks[i + 1].word in EXTREME or (_verb_behind(toks, i - 1) and toks[i + 1].word in POTENTIAL):
            return "得", "动词或形容词后接可能、程度补语应用「得」"
        complement = _complement_ahead(toks, i + 1) or compared
        if (_verb_behind(toks, i - 1) or _copied(toks, i)) and not nominal and complement:
            return "得", "动词后接程度补语应用「得」"
        if dedide_result.body_result(
            toks, i, acts=_verb_behind(toks, i - 1) or prev.flag == "a" or prev.word in STATES
        ):
            return "得", "表示程度或结果的补语前应用「得」"
        if prev.word in STATES and (toks[i + 1].word[:1] == "直" or toks[i + 1].word == "不想"):
            return "得", "表示程度或结果的补语前应用「得」"  # 冷的直发抖, 累的不想说话
        if (
            prev.flag == "a"
            and toks[i + 1].word == "多"
            and _BOUNDARY.match(_at(toks, i + 2).word)
            and _compared(toks, i)
        ):
            return "得", "比较句中形容词后的「多」是补语，应用「得」"  # 比去年冷的多; 比女的多 is a noun phrase
        if prev.word in STATES and (
            _fixed_phrase(toks[i + 1])
            or toks[i + 1].word in {"连", "不行"}
            or (_caused(toks, i + 1) and before.word not in NOUN_PHRASE_CUES | {"最"})  # 是最累的 is a noun phrase
        ):
            return "得", "表示程度或结果的补语前应用「得」"
    elif tok.word == "地" and tok.flag in {"uv", "u"}:
        if _verb_behind(toks, i - 1) and not _adverbial(prev) and _complement_ahead(toks, i + 1):
            return "得", "动词后接程度补语应用「得」"
        if _possessive_before_noun(toks, i):
            return "的", "修饰名词的定语后应用「的」"
    elif tok.word == "得" and tok.flag in {"ud", "u"}:
        if prev.word == "长":  # 长得 is a verb + complement, whatever jieba makes of what follows
            return None
        if _predicate(toks, i - 1) or (prev.word in STATES and _fixed_phrase(_at(toks, i + 1))):
            # 东西贵得离谱: an adjective after its subject is the predicate, and 得 opens its complement; so does
            # a set phrase after a state (累得满头大汗, which jieba tags ns)
            return None
        if _possessive_before_noun(toks, i) or (prev.word.startswith("很") and _noun_ahead(toks, i + 1)):
            return "的", "修饰名词的定语后应用「的」"
        if _verb_behind(toks, i - 1) and _noun_ahead(toks, i + 1) and _at(toks, i + 2).word == "是":
            return "的", "修饰名词的定语后应用「的」"  # 我喜欢得水果是芒果: a relative clause, the subject of 是
        # a reduplicated noun (画画, 妈妈) is no adverbial: 这幅画画得像真的 is a verb and its complement
        if reduplicated(prev.word) and prev.flag != "n" and _verb_ahead(toks, i + 1):
            return "地", "修饰动词的状语后应用「地」"
    return None


def find(text: str) -> list[DeFix]:
    """Every 的/地/得 fix the rules are sure of, in text order."""
    toks = tokens(text)
    fixes = []
    for i, tok in enumerate(toks):
        if tok.word in {"的", "地", "得"} and (fix := _fix(toks, i)):
            fixes.append(DeFix(tok.start, tok.word, *fix))
    return fixes
