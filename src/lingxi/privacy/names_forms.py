"""Name shapes the surname scan of :mod:`.names` cannot see, and one labeling convention it got wrong.

Applied to the spans :func:`.names.find_names` accepted, on every text (each pass first checks for the one
character it needs, so most texts cost a few ``in`` tests):

* **Court pseudonyms** (被告鲍某, 第三人麦某某): 某 stands for the withheld given name, so the span is the
  surname alone, like 王总 or 小李 (the scan read 某 as a given character, or found nothing); not before 某天,
  某些, 某公司 ("some …").
* **Names with an interpunct** (买买提·艾力, 阿依古丽·买买提, 约翰·史密斯): Uyghur, Kazakh and foreign names are
  written as transliterated parts joined by a middle dot. Each side is the run of transliteration characters
  touching the dot (the characters the Xinhua transliteration tables use), at least two on each side, so a
  heading such as 中国·杭州 or 西湖·断桥 (ordinary characters on one side) is left alone.
* **Minority names without a dot** (扎西顿珠, 阿依古丽, 巴特尔, 其其格): a run of those characters that holds
  one of the commonest Tibetan, Uyghur and Mongolian name parts (:data:`PARTS`), stopped before a common word
  (卓玛明天 → 卓玛) and not itself an ordinary dictionary word.
* **Doubled given names** (乐乐, 朵朵, 晨晨, 诺诺): children and friends are called by one given character
  twice, with no surname. A pair is taken only where a name stands — at a clause's edge, or after a word that
  takes a person (和, 给, 让, 还有) — with a person's context after it (a punctuation mark, 的, 妈妈, 说, 今天…);
  never inside a longer doubling (马马虎虎, 哈哈哈), never when the pair is an ordinary word (刚刚, 常常, 宝宝,
  星星: the dictionary's frequency and part of speech), a kinship term (哥哥) or baby talk for a thing (狗狗).
  When the scan read a person-taking character as a surname in front of the pair (和欢欢), the pair replaces it.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from lingxi.privacy import names_seed as seed

if TYPE_CHECKING:
    from lingxi.privacy.names_model import NameModel

# Characters of the Xinhua transliteration tables (foreign names) and of the standard Uyghur, Kazakh, Tibetan and
# Mongolian name transcriptions: the characters such names are made of, not a list of names.
TRANSLIT = frozenset(
    "阿埃艾爱安昂奥巴拜班邦保鲍贝本比彼毕别宾波伯博布查察昌彻陈达代戴丹当道德登迪蒂丁东杜敦顿多厄恩尔"
    "法凡方菲费芬丰冯弗福富盖甘冈高戈哥格根古瓜哈海汉豪赫亨洪胡华怀霍基吉加贾简杰金京久卡凯坎康考柯科克"
    "肯孔库夸奎拉莱赖兰朗劳勒雷蕾里理力利莉丽连琳林铃卢鲁伦罗洛玛马迈麦曼芒梅美蒙孟米密缅明莫姆穆纳娜奈"
    "南瑙内妮尼宁努诺欧帕潘庞佩彭皮平珀普齐奇恰乔切钦琼丘屈让热茹瑞若萨塞桑瑟森沙莎珊善尚绍舍申圣施什史"
    "舒斯松苏索塔泰坦汤唐特提汀通图托瓦万旺威韦维温沃乌伍西希锡夏辛休修雅亚扬耶叶伊依因英尤约扎泽詹"
    "兹佐买吐逊都合曼罕江木拉姆卓宗次仁央措旺堆珠桑吉嘎其乃日敏娅琪黛蒂妲蕾娃赛迦伽不卜翰孜汗呷布朗洛白玛索强巴朝图仓"
)
_DOTS = "·•・‧"
_DOT_SET = frozenset(_DOTS)
_DOT_CHAR = re.compile(f"[{_DOTS}]")
DOT_EDGE_WORD = 3.5  # 知道 4.6 takes its 道 back from 马特·达蒙; 和约 2.9 leaves 约翰·史密斯 whole
# Characters of the same tables that are also common in ordinary text (列夫, 彼得, 艾则孜, 巴音, 马克思, 居里): taken
# only in an interpunct name, whose dot is the evidence, and only with the opt-in recall passes (names16)
DOT_ONLY = frozenset("列夫得则音思居")


def _dot_run(chars: frozenset[str]) -> re.Pattern[str]:
    part = f"[{''.join(sorted(chars))}]{{2,8}}"
    return re.compile(f"{part}(?:[{_DOTS}]{part})+")


_DOT_RUN, _DOT_RUN_WIDE = _dot_run(TRANSLIT), _dot_run(TRANSLIT | DOT_ONLY)

# Parts that mark a name in those transcriptions (古丽 "flower", 卓玛, 巴特尔 "hero"): a run of transliteration
# characters holding one is a name, unless the dictionary knows the run as something else (扎西德勒, a greeting)
_PARTS_TEXT = (
    "古丽 阿依 买买提 艾力 阿不都 阿卜杜 吐尔逊 艾买提 热依 迪丽 努尔 阿迪力 艾尼 艾山 依明 吾斯曼 帕提 阿力木 "
    "玛依拉 "
    "哈力克 赛力克 扎西 卓玛 次仁 央宗 顿珠 格桑 达瓦 旺堆 拉姆 多吉 平措 措姆 央金 德吉 白玛 索朗 洛桑 "
    "强巴 次旦 旺姆 曲珍 边巴 普布 巴桑 益西 丹增 巴特尔 其其格 乌日娜 诺敏 斯琴 娜仁 图雅 巴图 朝鲁 格日勒 "
    "额尔敦 阿拉坦 满都拉 其木格 萨仁 高娃"
)
PARTS = tuple(_PARTS_TEXT.split())
_PART = re.compile("|".join(sorted(PARTS, key=len, reverse=True)))
PART_WORD = 2.0  # a run the dictionary counts this often (log10) is a word, whatever its tag (扎西 1.2 is a name)
_NOT_NAMES = frozenset({"扎西德勒"})  # the Tibetan greeting
PART_MAX = 8  # a run longer than this is text in transliteration, not one name

_PSEUDONYM = "某"
# characters that end places and shops, never a Chinese given name (钟表店, 李庄村, 马家巷): a three-character
# span ending in one is no name, whatever the re-ranker made of it
_NEVER_LAST = frozenset("店路街巷弄村镇乡区县市省厂站港馆寺庙坊屯寨")
_MARKS = re.compile(f"[{_PSEUDONYM}{_DOTS}{''.join(sorted(_NEVER_LAST))}]")

_PAIR = re.compile(r"([\u4e00-\u9fff])\1")
PAIR_WORD_MAX = 2.0  # log10 dictionary frequency at which a doubling is an ordinary word (刚刚 3.7, 乐乐 1.2)
PAIR_PERSON_MAX = 2.4  # … for one the dictionary tags as a person's name (冉冉 2.3, 宝宝 2.5, 谢谢 3.0)
PAIR_CHAR_MIN = 0.0  # the character's given-name score: 晨 3.7, 苗 0.2 double into names; 对 -3.0, 弱 -0.1 do not
_PAIR_TAGS = ("d", "v", "z", "t", "m", "u", "r", "o", "e", "y", "c", "p", "f", "b", "ad")
# characters whose doubling is no name: pronouns, places, function words, interjections and sounds (恩恩, 吼吼),
# numbers; 扣扣 is QQ, 云云 "and so on"
_NOT_PAIR = frozenset(
    "恩吼云扣我你他她它您上下中左右前后里外东南西北内的了是在和与跟及说讲要想去来到吗呢吧啊呀哦嘛哈嘻嘿呵嗯哼呜喵汪滴嘀咚叮啪咔么个一二三四五六七八九十"
)
# baby talk for things and animals the dictionary does not list (狗狗, 饭饭)
_THINGS = frozenset("狗猫鸡鸭鱼虫鸟兔猪牛羊马车饭水觉抱拜亲年夜日月岁手脚衣鞋帽袜包纸瓶")
# what takes a person right before a pair (还有乐乐的, 送给苗苗), besides a clause's edge
_BEFORE_ONE = frozenset("和跟与及同给让叫帮找问带陪喊等接送见是")
_BEFORE_TWO = frozenset({"还有", "回复", "客服", "送给", "今天", "昨天", "明天", "我家", "你家", "他家", "她家"})
# a person's context right after it
_AFTER_ONE = frozenset("说讲让叫问和跟与、也又都还已刚要想去来到回把被在考你您第哭笑跑")
_AFTER_TWO = frozenset(
    {
        "妈妈",
        "爸爸",
        "奶奶",
        "爷爷",
        "姥姥",
        "外婆",
        "同学",
        "小朋",
        "今天",
        "明天",
        "昨天",
        "已经",
        "刚才",
        "现在",
        "一起",
    }
)
_FUNCTION = frozenset("和跟与及同给让叫")


def _pair_ok(text: str, s: int, model: NameModel) -> bool:
    """Whether the doubling at ``s`` (two characters) reads as a given name there: see the module doc."""
    ch, e = text[s], s + 2
    if (
        ch in _NOT_PAIR
        or ch in _THINGS
        or model.given.get(ch, -4.0) < PAIR_CHAR_MIN
        or text[e : e + 1] == ch
        or text[s - 1 : s] == ch
    ):
        return False  # 哈哈哈
    if len(text) > e + 1 and text[e] == text[e + 1] and text[e : e + 2] not in _AFTER_TWO:
        return False  # 马马虎虎, 高高兴兴 (but 乐乐妈妈)
    if s >= 2 and text[s - 2] == text[s - 1]:
        return False
    pair = text[s:e]
    weight = model.words.get(pair, 0.0)
    if weight >= (PAIR_PERSON_MAX if model.tags.get(pair, "") == "nr" else PAIR_WORD_MAX):
        return False
    if model.tags.get(pair, "") in _PAIR_TAGS or pair in model.titles:
        return False
    prev = text[s - 1 : s]
    if not (s == 0 or prev in seed.CLAUSE_EDGES or prev in _BEFORE_ONE or text[s - 2 : s] in _BEFORE_TWO):
        return False
    nxt = text[e : e + 1]
    if nxt == "的":  # 乐乐的作业, not 妥妥的 or 萌萌的男孩 (a doubled adjective)
        after = text[e + 1 : e + 2]
        return (
            not after or after in seed.CLAUSE_EDGES or text[e + 1 : e + 3] in seed.POSSESSED or after in seed.POSSESSED
        )
    return not nxt or nxt in seed.CLAUSE_EDGES or nxt in _AFTER_ONE or text[e : e + 2] in _AFTER_TWO


def _dotted(text: str, model: NameModel) -> list[tuple[int, int]]:
    """Interpunct names; a first character that ends a common word with the one before it is left out
    (知道马特·达蒙)."""
    out = []
    for m in (_DOT_RUN_WIDE if model.recall_passes else _DOT_RUN).finditer(text):
        s, e = m.span()
        while s < e and s > 0 and model.words.get(text[s - 1 : s + 1], 0.0) >= DOT_EDGE_WORD:
            s += 1
        if text[s] not in _DOT_SET:
            out.append((s, e))
    return out


def _parts(text: str, model: NameModel) -> list[tuple[int, int]]:
    """Runs of transliteration characters holding a name part (module doc)."""
    out: list[tuple[int, int]] = []
    for m in _PART.finditer(text):
        s, e = m.span()
        while s > 0 and text[s - 1] in TRANSLIT and e - s < PART_MAX and model.words.get(text[s - 2 : s], 0) < 3:
            s -= 1  # but not into a word before it
        while e < len(text) and text[e] in TRANSLIT and e - s < PART_MAX and model.words.get(text[e : e + 2], 0) < 3:
            e += 1  # nor into one after it (卓玛明天)
        run = text[s:e]
        if (
            (s, e) in out
            or run in _NOT_NAMES
            or (model.words.get(run, 0.0) >= PART_WORD and run not in model.person_words)
        ):
            continue
        if (s > 0 and text[s - 1] in _DOT_SET) or text[e : e + 1] in _DOT_SET:
            continue  # part of an interpunct name: that pass takes it whole
        out.append((s, e))
    return out


def _doubled(text: str, first: int, model: NameModel) -> list[tuple[int, int]]:
    """The doubled given names from ``first`` (where the first pair of equal characters starts) on."""
    return [(m.start(), m.end()) for m in _PAIR.finditer(text, first) if _pair_ok(text, m.start(), model)]


def _merge(spans: list[tuple[int, int]], extra: list[tuple[int, int]], text: str) -> list[tuple[int, int]]:
    """``spans`` with ``extra`` added: an extra span replaces those it overlaps when it contains them, or when
    one is the extra span with a person-taking character read as a surname before it (和欢欢 → 欢欢)."""
    out = list(spans)
    for s, e in extra:
        hit = [(a, b) for a, b in out if a < e and s < b]
        if all((s <= a and b <= e) or (a == s - 1 and b == e and text[a] in _FUNCTION) for a, b in hit):
            out = [c for c in out if c not in hit] + [(s, e)]
    return sorted(out)


def refine(text: str, spans: list[tuple[int, int]], model: NameModel) -> list[tuple[int, int]]:
    """``spans`` with pseudonyms cut to the surname and interpunct and doubled names added (module doc)."""
    extra: list[tuple[int, int]] = []
    if _MARKS.search(text) is not None:  # one character class for three passes: most texts have none of them
        if _PSEUDONYM in text:
            spans = [(s, _bare(text, s, e)) for s, e in spans]
            extra.extend(_pseudonyms(text, model))
        if _DOT_CHAR.search(text) is not None:  # a frozenset's isdisjoint hashes every character: 5× slower
            extra.extend(_dotted(text, model))
        if spans:
            spans = [(s, e) for s, e in spans if not (e - s == 3 and text[e - 1] in _NEVER_LAST)]
    if _PART.search(text) is not None:  # one regular expression of literals: cheaper than a character test
        extra.extend(_parts(text, model))
    pair = _PAIR.search(text)
    if pair is not None:
        extra.extend(_doubled(text, pair.start(), model))
        spans = [sp for sp in spans if not _in_doubling(text, *sp)]  # a doubling needs a pair
    return _merge(spans, extra, text) if extra else spans


def _in_doubling(text: str, s: int, e: int) -> bool:
    """A span starting in the middle of an AABB doubling (马马虎虎 read as 马虎虎)."""
    return s > 0 and e - s >= 3 and text[s - 1] == text[s] and text[s + 1] == text[s + 2]


# 某 + these is "some …" (某天, 某些, 某公司), not a withheld given name
_SOME = frozenset("些个种天人位地处年月日时次项方件类家段部样单公医学")
_SURNAME_SOME = re.compile("((?:(?!某)[\u4e00-\u9fff]){1,2})某某?")


def _pseudonyms(text: str, model: NameModel) -> list[tuple[int, int]]:
    """Surnames before 某/某某 that no scored span covered (原告贺某诉称): the surname alone."""
    out = []
    for m in _SURNAME_SOME.finditer(text):
        e = m.end(1)
        s = e - 2 if text[e - 2 : e] in model.surnames and len(m.group(1)) == 2 else e - 1
        if text[s:e] not in model.surnames or text[m.end() : m.end() + 1] in _SOME:
            continue
        if s > 0 and model.words.get(text[s - 1 : s + 1], 0.0) >= PART_WORD:
            continue  # the character ends a word (公司某)
        out.append((s, e))
    return out


def _bare(text: str, s: int, e: int) -> int:
    """The end of the span ``s``–``e`` without a trailing 某 or 某某 (鲍某 → 鲍)."""
    while e - s > 1 and text[e - 1] == _PSEUDONYM:
        e -= 1
    return e
