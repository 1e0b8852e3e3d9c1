"""Which characters may have been typed for which: the confusion set behind context proofreading.

Chinese input methods type by sound, so most real typos are a character pronounced like the right one (在/再,
以/已, 象/像). Three sources, each optional but the first:

* :data:`SEED`: pairs written by hand for this project (common homophone mix-ups), always present.
* same-sound characters from pypinyin (toneless syllable), limited to characters common enough to be a jieba
  dictionary word on their own — a wide net, so the scorer demands a larger margin for these.
* pairs learned at build time from a licensed spelling-correction corpus (``lingxi features proofread build``),
  read from ``<home>/proofread/current/`` if built; counts say how often each wrong→right pair was seen.

Never proposed: 他/她/它 (which one is right depends on who is meant, not on the text) and 的/地/得 (the
syntactic rules of :mod:`lingxi.features.dedide` decide those).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from lingxi.text_script import to_simplified

#: Hand-written homophone mix-ups (each direction is a candidate): the built-in seed.
SEED_GROUPS: tuple[str, ...] = (
    "在再",
    "做作",
    "以已",
    "即既",
    "象像",
    "那哪",
    "到道",
    "座坐",
    "带戴",
    "须需",
    "副付",
    "订定",
    "权全",
    "历厉",
    "练炼",
    "辩辨",
    "竟竞",
    "反返",
    "园圆",
    "窍巧",
    "暴爆",
    "份分",
    "型形",
    "致至",
    "侯候",
    "籍藉",
    "幅副",
    "意义",
    "常长",
    "经径",
)
#: Never proposed (see the module docstring).
EXCLUDED = frozenset("他她它的地得")
#: A character must be at least this frequent as a jieba single-character word to be a same-sound candidate.
MIN_CHAR_FREQ = 2000


@dataclass(frozen=True)
class Confusions:
    """Candidates per character: ``trusted`` (seed and corpus-learned) and ``sound`` (same pinyin only)."""

    trusted: dict[str, frozenset[str]]
    sound: dict[str, frozenset[str]]
    learned: dict[tuple[str, str], int] = field(default_factory=dict)

    def candidates(self, ch: str) -> list[tuple[str, bool]]:
        """``(replacement, trusted)`` for ``ch``; trusted pairs first."""
        if ch in EXCLUDED:
            return []
        trusted = self.trusted.get(ch, frozenset())
        out = [(c, True) for c in sorted(trusted)]
        return out + [(c, False) for c in sorted(self.sound.get(ch, frozenset()) - trusted) if c not in EXCLUDED]


def _seed_pairs() -> dict[str, set[str]]:
    pairs: dict[str, set[str]] = {}
    for group in SEED_GROUPS:
        for a in group:
            pairs.setdefault(a, set()).update(b for b in group if b != a)
    return pairs


@lru_cache(maxsize=1)
def sound_alikes() -> dict[str, frozenset[str]]:
    """Common characters grouped by toneless pinyin (pypinyin), each mapped to the others in its group."""
    from pypinyin import Style, lazy_pinyin

    from lingxi.features.charlm import word_freq

    freq = word_freq()
    common = [w for w, f in freq.items() if len(w) == 1 and f >= MIN_CHAR_FREQ and "\u4e00" <= w <= "\u9fff"]
    groups: dict[str, set[str]] = {}
    for ch in common:
        groups.setdefault(lazy_pinyin(ch, style=Style.NORMAL)[0], set()).add(ch)
    return {ch: frozenset(g - {ch}) for g in groups.values() for ch in g if len(g) > 1}


#: Characters learners write for one another because they look alike (形近字), written by hand for this project
#: from common teaching lists of look-alike characters; every member of a group is a candidate for every other.
SHAPE_GROUPS: tuple[str, ...] = (
    "己已巳",
    "问间闷门们闪",
    "末未",
    "今令",
    "人入八",
    "土士",
    "日曰目",
    "找我",
    "拨拔",
    "侯候",
    "住往注柱驻",
    "清请情晴睛精静",
    "汽气",
    "很跟根恨狠",
    "买卖",
    "鸟乌岛",
    "大太犬",
    "干千于",
    "午牛",
    "天夫",
    "贝见",
    "辩辨辫瓣",
    "即既",
    "体休",
    "析折拆",
    "检捡验险剑",
    "待侍持特等",
    "洒酒",
    "困因",
    "泡跑抱饱包炮袍",
    "较校饺郊交胶效",
    "辛幸",
    "织识职积",
    "浅钱线践残",
    "纷份粉",
    "暖缓援",
    "钟种",
    "宇字",
    "孩该刻",
    "话活",
    "说悦脱",
    "拾给拿",
    "漂飘票",
    "谜迷",
    "坐座",
    "蓝篮",
    "帐账",
    "历厉",
    "园圆",
    "哪那",
    "象像",
    "偷愉输",
    "苟狗够",
    "昏婚",
    "措错借",
    "到倒",
    "复服",
    "练炼拣",
    "惯贯",
    "观现",
    "视礼",
    "往住",
    "冷令领",
    "请情",
    "历立",
    "题提",
    "座坐",
    "场汤扬杨",
    "慢漫",
    "晚挽",
    "饭板版反",
    "想相箱",
    "话括",
    "衣农",
    "未味妹",
    "己记纪",
    "做作昨",
    "己已",
)


def _groups(groups: tuple[str, ...]) -> dict[str, frozenset[str]]:
    pairs: dict[str, set[str]] = {}
    for group in groups:
        for a in group:
            pairs.setdefault(a, set()).update(b for b in group if b != a)
    return {ch: frozenset(v) for ch, v in pairs.items()}


def shape_alikes() -> dict[str, frozenset[str]]:
    """Look-alike characters from :data:`SHAPE_GROUPS`."""
    return _groups(SHAPE_GROUPS)


#: Syllable parts learners (and southern speakers) merge: a near-sound candidate differs from the written
#: character's toneless pinyin by one of these swaps.
_FUZZY_INITIALS = {
    "zh": "z",
    "z": "zh",
    "ch": "c",
    "c": "ch",
    "sh": "s",
    "s": "sh",
    "n": "l",
    "l": "n",
    "f": "h",
    "h": "f",
}
_FUZZY_FINALS = (("ing", "in"), ("eng", "en"), ("ang", "an"))


def _fuzzy(syllable: str) -> set[str]:
    """Toneless syllables one fuzzy swap (an initial or a final) away from ``syllable``."""
    initial = next((i for i in ("zh", "ch", "sh") if syllable.startswith(i)), syllable[:1])
    initial = "" if initial in ("a", "e", "o") else initial
    rest = syllable[len(initial) :]
    out = {_FUZZY_INITIALS[initial] + rest} if initial in _FUZZY_INITIALS and rest else set()
    for a, b in _FUZZY_FINALS:
        for x, y in ((a, b), (b, a)):
            if rest.endswith(x):
                out.add(initial + rest[: -len(x)] + y)
    return out - {syllable}


@lru_cache(maxsize=1)
def near_sounds() -> dict[str, frozenset[str]]:
    """Common characters whose toneless pinyin is one fuzzy swap (zh/z, n/l, ing/in …) from each other's."""
    from pypinyin import Style, lazy_pinyin

    from lingxi.features.charlm import word_freq

    freq = word_freq()
    common = [w for w, f in freq.items() if len(w) == 1 and f >= MIN_CHAR_FREQ and "\u4e00" <= w <= "\u9fff"]
    by_sound: dict[str, set[str]] = {}
    for ch in common:
        by_sound.setdefault(lazy_pinyin(ch, style=Style.NORMAL)[0], set()).add(ch)
    out: dict[str, frozenset[str]] = {}
    for syllable, chars in by_sound.items():
        near = set().union(*(by_sound.get(f, set()) for f in _fuzzy(syllable)))
        if near:
            out.update({ch: frozenset(near) for ch in chars})
    return out


#: The wider same-sound net of the language-model check: any reading of the character, rarer characters too.
WIDE_MIN_CHAR_FREQ = 50


@lru_cache(maxsize=4096)
def _toned(ch: str) -> frozenset[str]:
    from pypinyin import Style, pinyin

    return frozenset(pinyin(ch, style=Style.TONE3, heteronym=True)[0])


def same_syllable(a: str, b: str) -> bool:
    """Whether the characters share a reading, tone included (在/再 zai4, 练/炼 lian4, 做/作 zuo4; 买 mai3 and 卖
    mai4 do not): the exact homophones an input method lists side by side and a learner hears as one syllable.
    Any of a character's readings counts (pypinyin heteronyms)."""
    return bool(_toned(a) & _toned(b))


@lru_cache(maxsize=1)
def sound_alikes_wide() -> dict[str, frozenset[str]]:
    """Characters sharing any toneless reading (heteronyms too: 觉 jue/jiao, 还 hai/huan), down to rare ones.

    For the language-model check (:mod:`lingxi.features.lmcheck`), whose margins are chosen for this wider net.
    Traditional and variant forms in jieba's dictionary (洩 for 泄, 裡 for 里) are left out: the text is read in
    Simplified, and no writer of it is to be told to write one (排得水泄不通 was "fixed" to 洩).
    """
    from pypinyin import Style, pinyin

    from lingxi.features.charlm import word_freq

    freq = word_freq()
    common = [
        w
        for w, f in freq.items()
        if len(w) == 1 and f >= WIDE_MIN_CHAR_FREQ and "\u4e00" <= w <= "\u9fff" and w == to_simplified(w)
    ]
    groups: dict[str, set[str]] = {}
    readings: dict[str, list[str]] = {}
    for ch in common:
        readings[ch] = sorted(set(pinyin(ch, style=Style.NORMAL, heteronym=True)[0]))
        for r in readings[ch]:
            groups.setdefault(r, set()).add(ch)
    out = {ch: frozenset(set().union(*(groups[r] for r in rs)) - {ch}) for ch, rs in readings.items()}
    return {ch: v for ch, v in out.items() if v}


def learned_path(home: Path) -> Path:
    return home / "proofread" / "current" / "confusions.json"


def load(home: Path | None = None) -> Confusions:
    """The seed, plus same-sound characters, plus pairs learned into ``home`` by the build (if any)."""
    trusted = _seed_pairs()
    learned: dict[tuple[str, str], int] = {}
    if home is not None and learned_path(home).is_file():
        data = json.loads(learned_path(home).read_text(encoding="utf-8"))
        for wrong, right, count in data["pairs"]:
            learned[(wrong, right)] = int(count)
            trusted.setdefault(wrong, set()).add(right)
    frozen = {ch: frozenset(v) for ch, v in trusted.items()}
    return Confusions(trusted=frozen, sound=sound_alikes(), learned=learned)
