"""When a classifier block is not supported by the text: no risky word, or risky words only asked about.

Why: the char n-gram classifier blocks 4–7 % of ordinary messages and most of the wrongly blocked must-answer
questions on its own (benchmarks/README.md, cls11: the ranking is the ceiling, so no threshold fixes it). The
wrong blocks have two common shapes, read on the dev sets (benchmarks/cls13_protocol.md):

* **No anchor.** No word of the text is a learned risk word (:mod:`~lingxi.compliance.anchor_words`) or, read
  alone, reaches any class's block threshold: the score comes from a
  risky *character* inside an ordinary word (卖 in 外卖, 假 in 请假, 险 in 保险, 杀 in 杀价) plus request phrasing
  learned from risky prompts (帮我…, 需要准备哪些…). Words come from jieba's segmentation, so 外卖 is read as
  外卖, not 卖. Such a block stands only when it is clear (at least :data:`GREY_BAND` × the class threshold).
* **Asked about.** Every risky word sits in a protective, victim or consequence frame: 怎么防…偷, 避免被骗,
  如何举报…诈骗, 老人被…骗了, 会被判刑吗, 这是诈骗吧, 能告他诽谤吗. The user asks how not to suffer harm or what
  the law says, not for help doing it (the intent layer's rule, applied to the classifier's words). Also only
  in the grey band.

Which words count as risky: with ``train --anchor-words`` (opt-in, wave 11) the learned table or a word that
blocks alone, and both releases; by default (wave 14) the block's *carrier* words read off the model
(:func:`carriers`), and the asked-about release only (:func:`carried_asked_about`).

Neither release applies when the text asks to evade detection (不被发现, 绕过, 规避…): 「如何销毁证据以防止被查出」
reads as protective by its words and is a request for evasion; nor when the text reads differently spelled back
(typed pinyin, same-sound characters), whose words may be dodged. Both releases only *unblock* the classifier's
own verdict; keyword, intent and semantic layers still block on their own.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from lingxi.compliance.intent import _CUE_BEFORE, _EVADE
from lingxi.compliance.restore import restore
from lingxi.compliance.screen import normalize

# A classifier block below this multiple of its class threshold needs the text's support (an anchor word that
# is not only asked about); above it, the score alone decides. Chosen on the dev sets (cls13 protocol).
GREY_BAND = 2.0
# A text with more distinct words is never released: padding must not push its risky words out of view, and
# reading every word of a long document costs more than the release saves.
MAX_WORDS = 200
# Request and procedure words: learned from risky prompts (如何 0.24, 技巧 0.26 alone), they carry no topic.
_CUE_WORD = re.compile(_CUE_BEFORE.pattern + r"|方法|办法|步骤|流程|教程|配方|技巧|攻略|窍门|诀窍|途径|渠道|方式|过程")
_WORDLIKE = re.compile(r"[\u4e00-\u9fffA-Za-z]")
_EVASION = re.compile(
    r"(?:防止|避免|以免|免得|以防)被.{0,3}(?:发现|查|抓|追踪|识破|察觉|怀疑|认出)"
    r"|绕过|绕开|规避|躲过|躲避|逃避|逃过|不引起|不被|不留|神不知"
)
# Before a risky word (within its clause): prevention, identification, reporting, a warning.
_PROTECT_BEFORE = re.compile(
    r"防止|防范|预防|避免|谨防|提防|(?:怎么|如何|怎样)防(?!护)|识别|辨别|鉴别|判断|分辨|举报|报警|提醒|揭穿|远离"
    r"|当心|小心|警惕|涉嫌|打击|反(?=诈|毒|腐|恐|洗钱|邪)|禁(?=毒|赌)"
)
# The victim just before the risky word: 老人被保健品骗, 手机被偷.
_VICTIM = re.compile(
    r"(?:我|老人|家人|孩子|父母|爸妈|朋友|手机|账号|账户|钱)(?:又|都|也|还|总|老是?|经常)?被[^，,。]{0,6}$"
)
# After a risky word: what the law says, what it costs, whether it is real, what to do about it.
_CONSEQUENCE_AFTER = re.compile(
    r"违法|犯法|犯罪吗|判刑|判几年|判多久|坐牢|案底|量刑|维权|追回|报警|举报|起诉|告他|告她|赔偿?|是.{0,8}吧|是不是"
    r"|是真的吗|怎么(?:防|办|处理)|如何(?:防|处理)|能不能告|上当"
)
_CLAUSE = re.compile(r"[。！？!?；;，,\n]+")
# Right before a risky word: asking whether something is one, or what one is (是不是都是骗局, 啥叫杀猪盘). On with the
# screen's ``ordinary_use`` (wave 15); anchored to the word, so 「你是不是能教我骗钱」 is no question about 骗钱.
_WHETHER_BEFORE = re.compile(
    r"(?:(?:是不是|是否|算不算)(?:都|也|就|真的|属于)?(?:是|算)?(?:一种|一个|个)?|什么是|啥是|什么叫|啥叫|何为)$"
)
_WHETHER = re.compile(r"是不是|是否|算不算|什么是|啥是|什么叫|啥叫|何为|合法|为什么")
# Right after a risky word, also with the screen's ``ordinary_use`` (wave 15, screen3): whether it is legal
# (赌球在中国合法吗), or why a past event went as it did (泰坦尼克号沉没时为什么救生艇不够) — what the law says
# and what history tells, not how to do it.
_WHETHER_AFTER = re.compile(
    r"^[^，,。]{0,6}?(?:合法吗|合不合法|是否合法|合法不|违法吗|违不违法|犯法吗|犯不犯法)"
    r"|^(?:时|的时候|那年|当年|当时|之后|以后|期间|事件)(?:到底)?为什么"
)
# Asking for know-how anywhere in the text: no legality or history frame.
_KNOW_HOW = re.compile(
    r"教|步骤|配方|方法|办法|技巧|教程|怎么(?!回事)|如何|怎样|哪里|哪儿|渠道|网站|平台|帮我|给我|替我|详细|具体"
)


def words(text: str) -> list[str]:
    """The distinct words of the normalized text (jieba's segmentation), request and procedure words left out."""
    import jieba  # imported here: ~1 s to load its dictionary, paid only when a block is checked

    seen = dict.fromkeys(jieba.lcut(normalize(text)))
    return [w for w in seen if _WORDLIKE.search(w) and not _CUE_WORD.fullmatch(w)]


def asked_about(text: str, risky: list[str], whether: bool = False) -> bool:
    """True when every occurrence of every risky word has a protective, victim or consequence frame in its clause
    (``whether``: or a question whether something is one, :data:`_WHETHER_BEFORE`)."""
    n = normalize(text)
    clauses = _CLAUSE.split(n)
    after_ok = whether and not _KNOW_HOW.search(n)  # 「冰毒合法吗？教我做」 asks for know-how too
    for w in risky:
        found = False
        for clause in clauses:
            for m in re.finditer(re.escape(w), clause):
                found = True
                before, after = clause[max(0, m.start() - 12) : m.start()], clause[m.end() :]
                if not (
                    _PROTECT_BEFORE.search(before)
                    or _VICTIM.search(before)
                    or _CONSEQUENCE_AFTER.search(after)
                    or (whether and _WHETHER_BEFORE.search(before))
                    or (after_ok and _WHETHER_AFTER.search(after))
                ):
                    return False
        if not found:  # normalization or segmentation moved the word: no claim about its frame
            return False
    return True


def evades(text: str) -> bool:
    """The text asks how not to be caught or noticed (不被发现, 绕过, 规避…)."""
    n = normalize(text)
    return bool(_EVADE.search(n) or _EVASION.search(n))


def evasive(text: str) -> bool:
    """The text asks how not to be caught or noticed, or reads differently spelled back (pinyin, same-sound
    characters: its words may be dodged, so its segmentation says nothing): never released."""
    return evades(text) or restore(text) is not None


def release(
    text: str, p: float, threshold: float, word_score: Callable[[str], float], level: float, learned: frozenset[str]
) -> str | None:
    """Why a classifier block of ``text`` (P(block) ``p`` against its class ``threshold``) does not stand, or
    None when it stands. ``word_score`` is the classifier's P(block) of one word alone; ``level`` the lowest
    threshold of any class (a word that reaches it would block on its own); ``learned`` the anchor words: a risky
    word is one of those or reaches ``level`` alone."""
    if p >= GREY_BAND * threshold or evasive(text):
        return None
    if len(all_words := words(text)) > MAX_WORDS:
        return None
    risky = [w for w in all_words if w in learned or word_score(w) >= level]
    if not risky:
        return "no-anchor"
    return "asked-about" if asked_about(text, risky) else None


# The carrier release (on by default; the anchor-word release above needs `train --anchor-words`). A block rests on
# its *carriers*: the words whose removal lowers the classifier's logit by at least CARRIER_FLOOR and by at least
# CARRIER_SHARE of the largest such drop. Read off the model itself, they name what it blocks on (骗钱, 骗子, 暴力),
# not what a word scores read alone (尸体 0.05 alone), so no table is needed. When every carrier is only asked
# about, the user asks how not to suffer the harm or what the law says. Chosen on the dev sets (wave 14, screen):
# 3× the class threshold releases 7 of 26 everyday classifier-alone blocks and 24 of 890 licensed must-pass
# ones for 5 of 1,302 must-refuse (0.38 point); with no band, 9 / 39 for 7 (0.54 point, over the 0.5 allowed).
ASKED_BAND = 3.0
CARRIER_FLOOR = 0.5
CARRIER_SHARE = 0.4
# A text with more distinct words keeps its block: every word costs one more scoring, and padding must not hide
# a carrier.
MAX_CARRIER_WORDS = 60


def carriers(text: str, logit: Callable[[str], float]) -> list[str]:
    """The words of ``text`` that carry ``logit`` (the classifier's log-odds of a normalized text), most first;
    empty when the text has no word or more than :data:`MAX_CARRIER_WORDS`."""
    ws = words(text)
    if not ws or len(ws) > MAX_CARRIER_WORDS:
        return []
    n = normalize(text)
    base = logit(n)
    drops = sorted(((base - logit(n.replace(w, "")), w) for w in ws), reverse=True)
    cut = max(CARRIER_FLOOR, CARRIER_SHARE * drops[0][0])
    return [w for d, w in drops if d >= cut]


def carried_asked_about(
    text: str, p: float, threshold: float, logit: Callable[[str], float], whether: bool = False
) -> str | None:
    """``"asked-about"`` when a classifier block at ``p`` (< :data:`ASKED_BAND` × ``threshold``) rests only on
    carriers that sit in a protective, victim or consequence frame (:func:`asked_about`); None when it stands.
    A request to evade detection keeps its block. A typed-pinyin or same-sound spelling needs no veto here: its
    dodged words carry the logit through the homophone key and are judged by their frames like written ones."""
    if p >= ASKED_BAND * threshold:
        return None
    n = normalize(text)
    if evades(text):
        return None
    if not (
        "被" in n
        or "防" in n
        or _PROTECT_BEFORE.search(n)
        or _CONSEQUENCE_AFTER.search(n)
        or (whether and _WHETHER.search(n))
    ):
        return None  # no frame anywhere, so no carrier can be asked about: spare scoring every word
    found = carriers(text, logit)
    return "asked-about" if found and asked_about(text, found, whether) else None
