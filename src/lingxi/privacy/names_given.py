"""Given names with no surname: the addressee at a text's start (婷婷，…; 小芳，…; 志强你…), the subject of
what a person does there (阿强说…, 晓燕的作业…, 梓轩妈妈…), or a name right after a role or a person-taking
word (客服晓雯，…; 我和佳琪在…).

Why a separate pass: :mod:`.names` anchors every candidate on a surname, but family and friends' chats name
people by their given name alone, by a reduplicated one (丽丽, 欣欣) or by 小/阿 + one given character (小芳,
阿强). Without a surname nothing in the text marks such a name as a name but *where* it stands and *what* its
characters are, so a candidate is proposed only where both speak for it:

* it starts the text (a message or a line: 婷婷，…), or follows a family member called first (妈，小军…) or
  an interjection (哎小敏你…), or a role or person-taking word (客服, 导游, 我和, 谢谢; the roles of
  :mod:`.names_seed`) — after a comma or a full stop alone it is not looked for, which keeps the scan cheap
  enough for redaction's hot path — and
* what follows speaks for a person, by strength: a vocative mark (a comma, colon or 你/您: being spoken to)
  or speech and the commonest acts (说, 让, 请假, 的作业); a kinship term or title (奶奶, 他爸); any other
  word that follows a person's name (:data:`.names_seed.AFTER`, a time word such as 昨晚) — weak, as firms
  take them too (东芝在…), so only strong characters pass; or, weakest, a verb of the dictionary (欣怡拿走…,
  not a noun: 莎莉公司, 萌新黑人), which only two strong given-name characters clear;
* its characters are likely in given names (:attr:`.NameModel.given`, or the seed's modern given-name
  characters), and the span is not an ordinary word (今天，…; 其实你…; 刚刚说 — the word penalty of
  :mod:`.names`), nor a word with the character after it.

Kept conservative on purpose: text-initial words are the commonest thing in that position, so the
threshold is high and ordinary words lose (建国你… is missed: 建国 is a frequent word). The constants were
chosen on the decision split of the dev sets only (see ``benchmarks/README.md``, wave 6; the weaker cues in
wave 9b, checked on ordinary text as well).

Opt-in (:attr:`.NameModel.slots`, ``names build --person-slots``): the same scorer at person slots mid-text —
a clause's start, or right after a verb that takes a person (让, 告诉, 碰见) — where only a cue a person gives
counts, never a comma; and familiar shapes (a doubled given-name character, or one + 子) even of a surname's
character. Not the default: on the wave-12 side-by-side runs it lifted 2 of 4 dev sets (one name each), under
the adoption rule's majority (``benchmarks/README.md``, wave 12, names14).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from lingxi.privacy import names_seed as seed
from lingxi.privacy.names_acts import LEADS

if TYPE_CHECKING:
    from lingxi.privacy.names_model import NameModel

GIVEN_THRESHOLD = 3.0  # the score below which a given-name-only candidate is never accepted
CHAR_MIN = 1.2  # each character's given-name score (log-likelihood ratio) must reach this
MODERN = 1.5  # a character of the seed's modern given-name list counts at least this much
OTHER_MAX = 1.5  # and any other at most this: the historical statistics over-rate rare characters (胃炎, 贤惠)
PREFIX = 1.0  # 小/阿 + a given character: the prefix itself says "a person's familiar name"
VOCATIVE = 2.0  # a comma, colon or exclamation mark, or 你/您, right after: being spoken to
DOES = 1.5  # something a person does or has right after (说, 请假, 的作业)
START = 0.5  # at the text's start: a message that opens with a name mostly speaks to that person
WORD = 1.6  # per log10 of the frequency of an ordinary word the span is (as names.WORD_PENALTY)
EDGE = 0.9  # per log10 of a word the span's last character forms with the next one
KIN_AFTER = 1.5  # a kinship term or title right after (梓轩妈妈, 秀英奶奶, 志强他爸): the person's relative or role
ACT = -1.0  # any other word that follows a person (names_seed.AFTER: 在, 今天, 回来): also follows a firm or
# place (东芝在…, 义盛和…), so it lowers the bar for strong given-name characters only
NO_CUE = 3.0  # nothing after that speaks for a person: only two strong given-name characters clear the bar
WORD_AFTER = 1.5  # ... and only before an ordinary word this frequent (log10), where the span visibly ends
_VOCATIVE = frozenset("，,：:！!~～")
_CALL = frozenset("啊呀")  # a calling particle after a name, then a break: 阿勇啊，…; 大伟呀！
# Familiar names of family and village life (小名): 大/二 + a character (大伟, 大壮, 二丫: birth order), 阿 + a
# character (阿勇, 阿木), 小 + a character. Their characters are often not given-name characters at all — the
# statistics of registered names rate 壮, 丫, 宝, 狗, 蛋, 柱, 木 low — so the commonest pet-name characters count
# as given characters after such a prefix (狗蛋, 铁柱, 二丫, 阿牛 are the textbook examples of 小名)
_PET_PREFIXES = frozenset("小阿大二")
_BIRTH_ORDER = frozenset("大二")
_PET_CHARS = frozenset("壮丫宝狗蛋柱妞娃毛胖虎牛木土水福根珠")
PET_CHAR = 1.5  # what a pet-name character counts after a prefix
_ADDRESS = frozenset("你您")
NOT_GIVEN_CHARS = frozenset(
    "的了是在和与跟及说讲要想去来到吗呢吧啊呀哦嘛哈您你我他她们这那就也都还很请让给对把被已会能先今昨女总"
    "一二三四五六七八九十百千万个位点号年月日天时分"
)
# what a person does right after the name: speech and a few of the commonest acts (the strong cues)
_DOES = frozenset(seed.SPEECH | set("也还已刚回到给把") | {"已经", "刚才", "今天", "明天", "请假", "请你"})
_KIN = "妈|爸|妈妈|爸爸|哥|姐|老婆|老公|奶奶|爷爷|姥姥|姥爷|外婆|外公|宝贝|亲爱的"
# Speed: one anchored match of two CJK characters at the text's start; the characters and the cue after them
# are then checked (the first character's set lookup turns most texts away before it)
_PAIR = "[ \\t　]*([\\u4e00-\\u9fff]{2})"
# a family member called first (妈，小军回来没) or a laugh or interjection (哈哈哈大壮你…; 哎小敏你…): the name
# then opens what follows
# A time word or an apology before the name does the same (刚才晓峰打电话…; 对不起嘉怡，…): it sets the scene or
# turns to the person, and the name is still the subject or the addressee
_SCENE = "刚才|刚刚|今天|昨天|明天|昨晚|今晚|今早|上周|下周|周末|这周末|对不起|抱歉"
_LEAD = f"(?:(?:{_KIN})[，,] ?|哈{{2,}}[，,！!～~ ]?|(?:哎呀|哎|嗨|喂|诶|嘿|哟)[，,！!～~ ]?|(?:{_SCENE})[，,]?)?"
_AT_START = re.compile(f"{_LEAD}{_PAIR}")
# what such a text can start with: one set lookup turns most texts away before the match (redaction's hot path)
_FIRST = frozenset(
    seed.MODERN_GIVEN_CHARS
    | _PET_PREFIXES
    | set("哈哎嗨喂诶嘿哟")
    | {k[0] for k in _KIN.split("|")}
    | {k[0] for k in _SCENE.split("|")}
)
# (one-character titles only where they are kin: 王工, 王总 take a surname, 瑞芳工业区 is a place)
KIN_CHARS = frozenset("爸妈哥姐弟妹爷奶叔姨舅姑婶嫂伯")
_KIN_AFTER = frozenset({t for t in seed.TITLES if len(t) > 1 or t in KIN_CHARS} | {"妹妹", "弟弟", "哥哥", "姐姐"})
# a role, or a word that takes a person, right before: the name opens what is said of that person (客服晓雯，…;
# 导游阿旺会…; 我和佳琪在…; 谢谢萱萱妈妈). Roles that are labels (姓名, 收件人) take full names: names.py has them.
_BEFORE = frozenset(
    {r for r in seed.ROLES if len(r) > 1}
    | {"客服", "导游", "主播", "店主", "我和", "我跟", "你和", "你跟", "他和", "她和", "和我", "跟我", "谢谢", "感谢"}
    | {"我妈说", "我爸说", "听说", "问问", "告诉"}
)
_BEFORE_LENS = sorted({len(w) for w in _BEFORE})
# Speed: one character-class search for a cue word's last character with a possible name start after it (an
# alternation of ~180 words costs ~1 µs a text in CPython's `re`, this ~0.2); the word is then looked up
_FORM_FIRST = "".join(sorted(seed.MODERN_GIVEN_CHARS | _PET_PREFIXES))
_CUE_TAIL = re.compile(f"[{''.join(sorted({w[-1] for w in _BEFORE}))}](?=[{_FORM_FIRST}])")
_AFTER_ANY = frozenset(seed.AFTER)
_TIME = "t"  # the dictionary's tag of time words (下午, 上个月)
_LEADS = frozenset(w for w in LEADS if len(w) == 2)  # the time and manner words names_acts reads (这周, 刚才)
# a person's words after the name (names_seed.AFTER) and time words (晓东昨晚加班, 木子今年上学); one-character ones
# only where a firm or place does not take them too (东芝在…, 义盛和…, 睿士家居)
_ACTS = frozenset(w for w in seed.AFTER if len(w) > 1 or w in "要想会能刚又再才没未写画做拍买卖借送拿") | frozenset(
    ["昨晚", "今晚", "今早", "今年", "去年", "明年", "前天", "最近", "现在", "一直", "小时候", "平时", "每天"]
)


# Person slots mid-text (wave 12): a clause's start after a sentence mark or a comma (…，思远说他…), or right
# after a verb whose object or partner is a person (让, 告诉, 碰见 + 志强…). Ordinary words stand there far more
# often than at a message's start, so only a strong cue after counts there (what a person says or does, a
# kinship term or title, being spoken to with 你/您/在吗), never a comma or a merely possible word after
_CLAUSE_MARKS = "，,。！!？?；;\n"
_TAKES_PERSON = frozenset(
    {"让", "叫", "给", "跟", "和", "找", "问", "陪", "帮", "替", "等", "告诉", "通知", "提醒", "转给", "交给", "还给"}
    | {"碰见", "遇到", "遇见", "见到", "看见", "联系", "麻烦", "拜托"}
)
_TAKES_LENS = sorted({len(w) for w in _TAKES_PERSON})
# Speed: one character class for a clause mark or a verb's last character, with a possible name start after it
# (a common given character or a prefix, or a familiar shape); the verb is then looked up
_SLOT = re.compile(
    f"([{_CLAUSE_MARKS}]|[{''.join(sorted({w[-1] for w in _TAKES_PERSON}))}])[ \t　]*"
    f"(?=[{_FORM_FIRST}]|([\u4e00-\u9fff])\\2|[\u4e00-\u9fff]子)"
)
_STRONG = frozenset({VOCATIVE, DOES, KIN_AFTER, ACT})  # ACT: lowers the bar, so strong characters only
# Familiar shapes: a doubled given-name character (林林, 周周: 叠字小名) or one + 子 (强子). A surname is not
# written doubled or with 子 in a full name, so here a character that is also a surname may start the name.
# Only given-name characters: verbs and adverbs double too (求求你, 哄哄他, 不不: grammatical reduplication)
_PET_SUFFIX = "子"
# interjections and laughter are doubled too (哈哈, 嗯嗯, 呜呜): never a name
_INTERJECTIONS = frozenset("哈哎嗨喂诶嘿哟嗯恩呵嘻哦噢喔啦呜嘤咦唉嘛哇呃")  # 恩恩: a common spelling of 嗯嗯
_NOT_FAMILIAR = NOT_GIVEN_CHARS | KIN_CHARS | _INTERJECTIONS | _PET_PREFIXES  # 妈妈, 哈哈, 小子 are no names


def given_char(ch: str, model: NameModel) -> float | None:
    """How much ``ch`` reads as a given-name character; None when it cannot be one."""
    if ch in NOT_GIVEN_CHARS or not "\u4e00" <= ch <= "\u9fff":
        return None
    g = model.given.get(ch, -4.0)
    g = max(g, MODERN) if ch in seed.MODERN_GIVEN_CHARS else min(g, OTHER_MAX)
    return g if g >= CHAR_MIN else None


def given_pair(pair: str, model: NameModel) -> bool:
    """Whether two characters read as a given name with no surname (桂芳 after 上周, :mod:`.names_context`):
    each a given-name character, the first a common one, and the pair no ordinary word."""
    return (
        len(pair) == 2
        and pair[0] in seed.MODERN_GIVEN_CHARS
        and given_char(pair[0], model) is not None
        and given_char(pair[1], model) is not None
        and model.words.get(pair, 0.0) < WORD_AFTER
    )


def _right(text: str, e: int, model: NameModel, cued: bool = False) -> float:
    """Evidence after the span ending at ``e``: a vocative mark, or what a person does or has. ``cued``: a role
    or person-taking word stands before the span, so any of a person's words after it counts (我和佳琪在…)."""
    nxt = text[e : e + 1]
    if nxt in _VOCATIVE or (nxt in _CALL and text[e + 1 : e + 2] in _VOCATIVE):
        return VOCATIVE
    if (nxt in _ADDRESS and text[e + 1 : e + 2] != "们") or (model.slots and text[e : e + 2] == "在吗"):
        return VOCATIVE
    if nxt == "的":
        two, one = text[e + 1 : e + 3], text[e + 1 : e + 2]
        return DOES if two in seed.POSSESSED or one in seed.POSSESSED else 0.0
    if text[e : e + 2] in _DOES or nxt in _DOES:
        return DOES
    two = text[e : e + 2]
    if two in _KIN_AFTER or text[e : e + 3] in _KIN_AFTER or nxt in _KIN_AFTER:
        return KIN_AFTER
    if nxt in "他她" and text[e + 1 : e + 2] in KIN_CHARS:
        return KIN_AFTER  # 志强他爸: the person's own relative
    if two in _ACTS or nxt in _ACTS or text[e : e + 3] in _ACTS or (cued and nxt in _AFTER_ANY):
        return ACT
    if two in _LEADS or model.tags.get(two) == _TIME or model.tags.get(text[e : e + 3]) == _TIME:
        return ACT  # any time word, as those of _ACTS (志刚这周调休, 晓雯下个月…): the name is the subject
    return -NO_CUE if _word_after(text, e, model) else 0.0


def _word_after(text: str, e: int, model: NameModel) -> bool:
    """Whether a verb of the dictionary (跳舞, 拿走) starts right after the span: the span is then the subject,
    and ends there. Not a noun (萌新黑人, 莎莉公司: a trade name or a modifier reads like a given name in the
    same place) and not a verbal noun (澜湄合作), nor a place's last character (鹤庆县)."""
    two = text[e : e + 2]
    tag = model.tags.get(two, "")
    return (
        tag[:1] == "v"
        and tag != "vn"
        and model.words.get(two, 0.0) >= WORD_AFTER
        and text[e : e + 1] not in seed.PLACE_ENDS
    )


def _forms(text: str, i: int, model: NameModel) -> list[tuple[float, int]]:
    """(score of the characters, end) for the forms starting at ``i``: 小X/阿X, XX, XY; a familiar shape
    (doubled, X子) of a given-name character even when that character is also a surname."""
    forms = _plain_forms(text, i, model)
    first, second = text[i : i + 1], text[i + 1 : i + 2]
    if model.slots and second in (first, _PET_SUFFIX) and first not in _NOT_FAMILIAR:
        g = given_char(first, model)
        if g is not None:  # a given-name character (a surname's too): 林林, 周周, 强子; not 求求, 哄哄 (verbs)
            pet = g + (g if second == first else PET_CHAR)
            return [(max(pet, forms[0][0]) if forms else pet, i + 2)]
    return forms


def _plain_forms(text: str, i: int, model: NameModel) -> list[tuple[float, int]]:
    """:func:`_forms` by the characters' given-name scores alone."""
    first, second = text[i : i + 1], text[i + 1 : i + 2]
    g2 = given_char(second, model) if second else None
    if first in _PET_PREFIXES and second in _PET_CHARS:
        g2 = max(g2 or PET_CHAR, PET_CHAR)
    if g2 is None or (first in _BIRTH_ORDER and second not in _PET_CHARS and second not in seed.MODERN_GIVEN_CHARS):
        return []  # 大/二 open words and exclamations too (大赞，, 大鼎): only a common name character after them
    if first in _PET_PREFIXES:
        # 小王 is a surname with 小 (names.py labels the surname); only a given character here
        return [] if first == "小" and second in model.surnames else [(PREFIX + g2, i + 2)]
    g1 = given_char(first, model)
    if g1 is None or first in model.surnames or first not in seed.MODERN_GIVEN_CHARS:
        return []  # a surname first: the surname-anchored scan proposes it; and a name starts with a common character
    if first == second and first not in seed.MODERN_GIVEN_CHARS:
        return []  # pet names double a common given character (婷婷); 恩恩, 哦哦 are interjections
    return [(g1 + g2, i + 2)]


def given_only(text: str, model: NameModel, threshold: float = GIVEN_THRESHOLD) -> list[tuple[float, int, int]]:
    """Given-name-only candidates at the text's start, or right after a role or a person-taking word
    (客服晓雯，…; 我和佳琪在…), at or over :data:`GIVEN_THRESHOLD`, their scores shifted so that it maps onto
    ``threshold`` (that of :mod:`.names`: they compete with surname candidates)."""
    out: list[tuple[float, int, int]] = []
    first = text[:1] in _FIRST or (model.slots and text[1:2] in (text[:1], _PET_SUFFIX))  # 程程，…: opt-in
    m = _AT_START.match(text) if first else None
    if m is not None:
        _score_at(text, m.start(1), model, threshold, out, False)
    hit = _CUE_TAIL.search(text)  # search, not finditer: most texts have none
    while hit is not None:
        k = hit.end()
        for n in _BEFORE_LENS:
            if k >= n and text[k - n : k] in _BEFORE:
                _score_at(text, k, model, threshold, out, True)
                break
        hit = _CUE_TAIL.search(text, k)
    for slot in _SLOT.finditer(text) if model.slots else ():
        k, j = slot.end(), slot.end(1)
        if m is not None and k == m.start(1):
            continue
        if slot.group(1) in _CLAUSE_MARKS or any(text[j - n : j] in _TAKES_PERSON for n in _TAKES_LENS):
            _score_at(text, k, model, threshold, out, False, strong=True)
    return out


def _score_at(
    text: str,
    i: int,
    model: NameModel,
    threshold: float,
    out: list[tuple[float, int, int]],
    cued: bool,
    strong: bool = False,
) -> None:
    """Score the forms starting at ``i`` (where the text starts, or a cue ends: ``cued``) into ``out``.
    ``strong``: a person slot mid-text (:data:`_SLOT`), where only a strong cue after counts and the text's
    start is not there to help."""
    words = model.words
    for chars, e in _forms(text, i, model):
        right = _right(text, e, model, cued)
        if not right or (strong and (right not in _STRONG or text[e : e + 1] in _VOCATIVE or text[e : e + 1] in _CALL)):
            continue  # the text ends or breaks off right after (a bare 婷婷 or 婷婷.): nothing to read it by
        score = (
            chars
            + right
            + (0.0 if strong else START)
            - WORD * words.get(text[i:e], 0.0)
            - EDGE * words.get(text[e - 1 : e + 1], 0.0)
        )
        score -= WORD * max(words.get(text[i : e + 1], 0.0), words.get(text[i : e + 2], 0.0))
        if score >= GIVEN_THRESHOLD:
            out.append((score - GIVEN_THRESHOLD + threshold, i, e))
