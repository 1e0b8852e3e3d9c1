"""When a risk word is used in an ordinary way: cut out of a longer word, in a game or household frame, or asked about.

Why (issue 14, wave 15): the screen still blocks everyday messages on a risk word that is not meant as one. The
shapes read on the everyday dev sets, each a general rule here rather than a list of sentences:

* **A keyword match across a word boundary.** Normalization drops punctuation, so 「自驾去新疆，独库公路」 holds the
  term 新疆独 (新疆 + the 独 of 独库). A match that starts or ends *inside* a word of the text's segmentation
  (jieba's dictionary and its HMM for new words) straddles two words: it is not the term the list meant. A term
  written as one word, or padded with separators (「制 造 冰 毒」: one-character tokens), keeps its match.
* **Weapon and kill words at play.** 狙击枪 in 「和平精英里哪把狙击枪适合新手」, 杀怪 in a game, 杀掉进程 on a computer,
  秒杀油污 on a cleaner, 杀死蚜虫 in a garden: a frame in the text and no person next to the word. A weapon is at
  play only in a game, and never when the text says it is real or made (「新手怎么买到真枪」, 「仿真手枪改装成
  真枪」); a kill word also in a software, pest, cleaning or shopping frame. The intent layer still judges the request.
* **Asked about.** 「刷单返利是不是骗局」: a keyword hit whose every term sits in a protective, victim or consequence
  frame (:func:`lingxi.compliance.release.asked_about`, the classifier's rule), unless the text asks to evade
  detection or a term is political or terrorist (A.1.1–A.1.5: framing terror as fought against does not make a
  request for it ordinary).

A grey-band classifier block whose carriers are the frame's own words (linux, 进程; 怪 and 刷 of 刷怪) is released
when the text's own violence words (杀掉, 杀怪) are all at play (wave 15, screen3).

Each rule only *unblocks* its own layer's verdict; the other layers still judge the text. Typed-pinyin and
same-sound matches are never released here (a dodged spelling has no ordinary reading).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from lingxi.compliance.release import ASKED_BAND, asked_about, carriers, evades
from lingxi.compliance.screen import KeywordScreener, ScreenResult, is_han, latin_edges, normalize

# Characters of weapon and kill words: a keyword term or a classifier carrier holding one is a *violence word*.
VIOLENCE_CHARS = frozenset("杀枪狙弹炮弩刀剑死")
# Frames whose violence words are not about people. Games and e-sports hold weapons and kills alike; software,
# pests and weeds, cleaning and germs, shopping hold only kill words (杀掉进程, 杀死蚜虫, 秒杀) — a weapon beside a
# phone, a model or a price is no toy. Written for lingxi (not taken from any dataset); deliberately specific nouns.
_GAME = re.compile(
    r"游戏|手游|网游|端游|页游|电竞|玩家|关卡|副本|段位|排位|打怪|刷怪|吃鸡|和平精英|绝地求生|王者荣耀|原神|我的世界"
    r"|使命召唤|穿越火线|怪物|皮肤|射击(?:比赛|运动|项目)|水枪|玩具枪"
    # named games whose names jieba cuts apart (只/狼), and party and board games (剧本杀 is a game, not a kill)
    r"|只狼|艾尔登法环|黑神话|塞尔达|宝可梦|剧本杀|狼人杀|三国杀|桌游"
    # Latin names only as whole words (cs in physics, mac in machete are none)
    r"|(?<![a-z])(?:boss|cf|cs|csgo|pubg|npc|mc)(?![a-z])",
    re.IGNORECASE,
)
_THINGS = re.compile(
    r"进程|端口|程序|软件|后台|命令|终端|任务管理器|病毒库|内存|服务器|(?<![a-z])(?:linux|windows|mac|app)(?![a-z])"
    r"|害虫|虫子?|蚜虫|蟑螂|蚊子|苍蝇|螨虫|跳蚤|白蚁|杂草|细菌|病菌|病毒|真菌|霉菌|油污|污渍|水垢|霉斑|异味|甲醛"
    # compounds whose 杀 is no killing, each its own frame: licensed benign text is too thin to learn them from
    # (秒杀 in 9 of ~60k licensed benign texts and in 3 risky ones; 杀毒, 杀怪 in fewer than 5): written here
    r"|秒杀|杀价|杀毒|杀菌|杀虫|杀青|杀怪|杀进程|查杀",
    re.IGNORECASE,
)
# Kill words (the rest of VIOLENCE_CHARS are weapons).
_KILL_CHARS = frozenset("杀死")
# A weapon said to be real, made or made stronger: no frame makes it play.
_REAL = re.compile(r"真枪|真的枪|实弹|自制|自己做|土制|土枪|改装|改造|杀伤|威力|打死|致命|火药|管制")
# A person right after a violence word, or the word itself naming one: the frame does not make it ordinary.
_PERSON_AFTER = re.compile(
    r"^.{0,6}?(?:人|他|她|你|我|自己|别人|某人|对方|同学|同事|老师|老板|邻居|老婆|老公|妻子|丈夫|父母|爸|妈|孩子|小孩"
    r"|女友|男友|前任|仇人|家人|全家|警察|路人|玩家(?!们?的(?:装备|皮肤)))"
)
# A person the violence word is done to, named before it (把他杀了, 让她去死).
_PERSON_BEFORE = re.compile(
    r"(?:把|将|让|叫|要|逼)(?:人|他|她|你|自己|别人|某人|对方|[^，,。]{0,4}(?:的人|同学|同事|家人))[^，,。]{0,3}$"
)
# Subversion, national security, terrorism, ethnic hatred (A.1.1–A.1.5): a term of these is never released as only
# asked about — 「反恐行动中…恐怖分子被炸得血肉模糊」 frames terror as fought against and still asks for it.
_NEVER_ASKED = frozenset({"A.1.1", "A.1.2", "A.1.3", "A.1.4", "A.1.5"})
_LATIN = re.compile(r"[a-z]")


_CLAUSE_MARK = re.compile(r"[，。！？；：、,!?;:\n]")


def straddles(text: str, normalized: str, start: int, end: int) -> bool:
    """True when the match ``normalized[start:end]`` runs across a clause mark of ``text`` (normalization drops
    punctuation) and begins or ends inside a word of ``text``'s segmentation (jieba, with its HMM for words its
    dictionary lacks): 新疆，独库 holds 新疆独, whose 独 is the start of 独库. A term split by a mark into whole
    words (台湾，独立) or by separators (「冰 毒」) keeps its match."""
    import jieba  # loaded only when a keyword hit is checked

    raw: list[int] = []  # the raw offset of each normalized character
    for i, ch in enumerate(text):
        raw.extend([i] * len(normalize(ch)))
    if len(raw) != len(normalized) or end > len(raw):
        return False  # a fold across characters (NFKC): no claim
    lo, hi = raw[start], raw[end - 1] + 1
    if not _CLAUSE_MARK.search(text, lo, hi):
        return False
    return any(a < lo < b or a < hi < b for _, a, b in jieba.tokenize(text) if b - a >= 2)


def game_frame(n: str) -> bool:
    """A game, e-sport or party game named in the normalized text ``n``."""
    return _GAME.search(n) is not None


def framed(n: str) -> bool:
    """A game frame, or a software, pest, cleaning or shop frame, and no weapon said to be real (normalized ``n``)."""
    return (_GAME.search(n) is not None or _THINGS.search(n) is not None) and _REAL.search(n) is None


def at_play(text: str, found: list[str]) -> bool:
    """True when every word in ``found`` that holds a violence character sits in a text with a game, software,
    pest, cleaning or sport frame and names no person right after it; False when none holds one, or the text
    asks to evade detection."""
    n = normalize(text)
    violent = [w for w in found if VIOLENCE_CHARS.intersection(w)]
    if not violent or evades(text) or not framed(n):
        return False
    game = _GAME.search(n) is not None
    for w in violent:
        if "人" in w or not (game or set(w) & VIOLENCE_CHARS <= _KILL_CHARS):
            return False  # a weapon needs a game; a kill word a game, software, pest, cleaning or shop frame
        for m in re.finditer(re.escape(w), n):
            if _PERSON_AFTER.search(n[m.end() :]) or _PERSON_BEFORE.search(n[max(0, m.start() - 12) : m.start()]):
                return False
    return True


class OrdinaryKeywordScreener(KeywordScreener):
    """The keyword layer with its exact matches read in context: a match that straddles two words, a violence
    term at play, or terms only asked about do not block (see the module doc). Typed-pinyin and homophone keys
    are judged as before, also when every exact match was ordinary."""

    def screen(self, text: str) -> ScreenResult:
        if not self.size:
            return super().screen(text)
        n = normalize(text)
        latin = _LATIN.search(n) is not None
        spans = self._exact.spans(n, latin_edges(text) if latin else None)
        if not spans:
            return super().screen(text)
        grave = any(r in _NEVER_ASKED for *_, risks in spans for r in risks)
        if not grave and not evades(text) and asked_about(text, sorted({key for key, *_ in spans}), whether=True):
            return self._verdict(self._rest(n, spans))
        ordinary = [
            (start, end)
            for key, start, end, _ in spans
            if (is_han(key[0]) and straddles(text, n, start, end)) or at_play(text, [key])
        ]
        kept = {r for _, start, end, risks in spans if (start, end) not in ordinary for r in risks}
        return self._verdict(kept or self._rest(n, spans))

    def _rest(self, n: str, spans: list[tuple[str, int, int, tuple[str, ...]]]) -> set[str]:
        """The typed-pinyin and homophone keys' risks in the text around the ordinary matches (whose own homophone
        key would find the term again)."""
        cut = [0] * (len(n) + 1)
        for _, start, end, _ in spans:
            cut[start] += 1
            cut[end] -= 1
        pieces: list[str] = []
        piece: list[str] = []
        depth = 0
        for i, ch in enumerate(n):
            depth += cut[i]
            if depth:
                pieces.append("".join(piece))
                piece = []
            else:
                piece.append(ch)
        pieces.append("".join(piece))
        return {r for x in pieces if len(x) >= 2 for r in self._fuzzy(x, x, bool(_LATIN.search(x)))}


def played_block(text: str, p: float, threshold: float, logit: Callable[[str], float]) -> str | None:
    """``"at-play"`` when a classifier block at ``p`` (< :data:`~lingxi.compliance.release.ASKED_BAND` × its
    class ``threshold``) rests on carrier words (:func:`~lingxi.compliance.release.carriers`) whose violence words
    are all at play (:func:`at_play`): 杀怪 in a game, 杀掉进程 on a computer. None when the block stands. The
    frame test is an exact prefilter, so ordinary text without a violence character pays nothing."""
    if p >= ASKED_BAND * threshold:
        return None
    n = normalize(text)
    if not VIOLENCE_CHARS.intersection(n) or not framed(n) or evades(text):
        return None
    found = carriers(text, logit)
    if not found:
        return None
    if VIOLENCE_CHARS.intersection(found[0]):
        return "at-play" if at_play(text, found) else None
    # The block rests on the frame's own words (linux, 进程; 怪 and 刷 of 刷怪): it stands unless every carrier lies
    # inside a frame word of the text and the text's own violence words are all at play.
    frame = [m.span() for rx in (_GAME, _THINGS) for m in rx.finditer(n)]
    inside = all(any(n.find(w, a, b) >= 0 for a, b in frame) for w in found)
    violent = [w for w in _words(text) if VIOLENCE_CHARS.intersection(w)]
    return "at-play" if inside and violent and at_play(text, violent) else None


def _words(text: str) -> list[str]:
    """The words of the normalized text (jieba's segmentation)."""
    import jieba  # loaded only when a block is checked

    return list(dict.fromkeys(jieba.lcut(normalize(text))))
