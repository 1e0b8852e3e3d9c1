"""Two grammatical slots that hold a name whatever the name is made of: the vocative and the naming verb.

* **Vocative** (程程，晚饭想吃啥？ / “阿秀，把灯吹了” / 万军，下午的会你能参加吗？): a short noun phrase that opens a
  sentence or a quotation, set off by a comma, and followed by a clause spoken *to* that person — one with 你/您
  in it, or one that opens with an imperative (快, 别, 把, 过来, 帮我…). Who is addressed is a person, so the phrase
  is a name, a kinship term or a title; the last two are excluded (the resource's titles and the seed's roles),
  and so is anything that is no name by its shape (:func:`.names_lists.name_like`: a surname of the model or
  clearly name-like given characters; not a place, time, pronoun, adverb, verb or interjection by the
  dictionary's tag: 其实，你…, 对了，你…, 北京，你好).
* **Naming** (我同桌叫田甜, 新同事叫仉晓光, 俄罗斯小姑娘，叫娜塔莎): 叫 after a noun for a person, and what
  follows closing the clause, is that person's name. Nouns for a person: the resource's titles and kinship
  terms, the seed's roles and :data:`PERSON_NOUNS`; a pet or a dish has a name too (我家狗叫旺财, 这道菜叫…),
  which is why the subject must be a person.

Both only add spans that overlap none already found, and only two to four characters. Opt-in with the other
recall passes (:attr:`.names_model.NameModel.recall_passes`; benchmarks/README.md, wave 13, names16).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from lingxi.privacy import names_seed as seed
from lingxi.privacy.names_acts import _words
from lingxi.privacy.names_index import NOT_GIVEN
from lingxi.privacy.names_lists import GIVEN_ALONE, name_like

if TYPE_CHECKING:
    from lingxi.privacy.names_model import NameModel

# a vocative: two or three characters at a sentence's or a quotation's start, a comma after; and the end of the
# sentence spoken to the person
_VOCATIVE = re.compile("(?:^|[。！？!?\n“「])([\u4e00-\u9fff]{2,3})[，,]")
_SENTENCE_END = re.compile("[。！？!?\n”」]")
_TO_YOU = frozenset("你您")
IMPERATIVES = ("快", "别", "把", "过来", "帮我", "帮忙", "等我", "去", "来", "给我", "记得", "赶紧", "麻烦")
PERSON_NOUNS = frozenset(
    _words(
        "朋友 同学 同事 同桌 室友 邻居 孩子 儿子 女儿 闺女 姑娘 小伙 小伙子 男孩 女孩 男生 女生 老公 老婆 男友 女友"
        " 对象 闺蜜 哥们 发小 网友 学生 员工 新人 客户 表哥 表姐 表弟 表妹 堂哥 堂姐 堂弟 堂妹 师兄 师姐 师弟 师妹"
    )
)
# interjections and modal particles, a closed class: 哇呜，你… 嗯嗯，你… 哎呀，你…
INTERJECTIONS = frozenset("啊哇哦噢嗯恩呀呢吧嘛呜唉哎喂嘿哈呵嘻嗨哟咦喔哼呃诶欸啦咯")
RARE_NAME_WORD = 1.5  # log10 frequency under which a dictionary word tagged as a name is a name first (万军 1.2)
_NAMING = re.compile(r"叫([\u4e00-\u9fff]{2,4})(?=[，。！？；,.!?;\s”」]|$)")
_BETWEEN = frozenset("也就都还名，,")  # what may stand between the person noun and 叫 (我表哥也叫…, 小姑娘，叫…)


def _person_before(text: str, k: int, model: NameModel) -> bool:
    """Whether a noun for a person ends right before position ``k`` (skipping :data:`_BETWEEN`)."""
    while k > 0 and text[k - 1] in _BETWEEN:
        k -= 1
    for n in (3, 2):
        w = text[k - n : k] if k >= n else ""
        if w and (w in PERSON_NOUNS or w in model.titles or w in seed.ROLES):
            return True
    return False


def _free(spans: list[tuple[int, int]], s: int, e: int) -> bool:
    return not any(a < e and s < b for a, b in spans)


def _vocative(item: str, model: NameModel) -> bool:
    """:func:`_addressable`, stricter: no word but a rare one tagged a name (万军 1.2; not 拜托), no rare surname
    (真不错, 别担心: 真 and 别 are surnames of the resource too) unless the given characters are clearly name-like
    (阿秀), no interjection (哇呜，… 哦豁，…), no demonstrative or particle (那好，…) and no 人 last (潮汕人)."""
    if item[-1] == "人" or any(c in INTERJECTIONS or c in NOT_GIVEN for c in item) or not _addressable(item, model):
        return False
    if item in model.words and (item not in model.person_words or model.words[item] >= RARE_NAME_WORD):
        return False
    if item[:1] in model.surnames or item[:2] in model.surnames:
        return True
    return sum(model.given.get(c, -4.0) for c in item) / len(item) >= GIVEN_ALONE


def _addressable(item: str, model: NameModel) -> bool:
    """A name by its shape, no title, role or person noun (妈，… 老师，… 同学，…) and no ordinary word: these slots
    are also where interjections and verdicts stand (谢谢，你… 真好，你… 厉害，…), and a name that is also a word
    (平安，过来…) is left to the score."""
    if item in model.titles or item in seed.ROLES or item in PERSON_NOUNS:
        return False
    if item in model.words and item not in model.person_words:
        return False  # 谢谢，… 厉害，… 完美，… 女生叫母猪: the dictionary's words other than names
    return name_like(item, model)


def address_names(text: str, spans: list[tuple[int, int]], model: NameModel) -> list[tuple[int, int]]:
    """``spans`` plus vocatives and names after a naming 叫 (module doc); sorted."""
    out = list(spans)
    if "，" in text or "," in text:
        for m in _VOCATIVE.finditer(text):
            s, e = m.span(1)
            end = _SENTENCE_END.search(text, e + 1)
            rest = text[e + 1 : end.start() if end is not None else len(text)]
            spoken_to = any(c in _TO_YOU for c in rest) or rest.startswith(IMPERATIVES)
            if spoken_to and _free(out, s, e) and _vocative(text[s:e], model):
                out.append((s, e))
    if "叫" in text:
        for m in _NAMING.finditer(text):
            s, e = m.span(1)
            if _person_before(text, m.start(), model) and _free(out, s, e) and _addressable(m.group(1), model):
                out.append((s, e))
    return sorted(out)
