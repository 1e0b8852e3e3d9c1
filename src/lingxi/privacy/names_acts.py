"""A name that opens a text or a clause and is followed by what only a person does or has (舒畅请假半天, 路遥
刚才打电话找你, 于洋的工资卡挂失了), or to whom the text speaks (苗苗，你帮我…).

Why a separate cue: at a text's start the hand score of :mod:`.names` gives a name nothing for where it
stands (a topic noun opens a text as often as a name does: 姚江的水位涨了), so a name that is also an ordinary
word (舒畅, 安然, 时光) or has weak given-name statistics stays under the threshold even with a cue after it
(:data:`.names_seed.AFTER` holds 在, 也, 的, 是 … which follow nouns as well). The cues here are narrower: a
subject that asks for leave, gets married, phones, likes a post or tells someone is a person; a place, a
season or a dish does not. One time or manner word may stand between (安然明天轮休, 路遥刚才打电话). What
only a person has (的论文, 的工资卡; not 的地址, which a shop has) counts too, except for words the dictionary
tags as places; and 你/您 right after a text's first word, with or without a comma, speak to it (not 你好:
北京，你好; without the comma not after a place either: 成都你去过吗).

What the cue never lifts: a dictionary word whose tag says it is no name (time words such as 凌晨 and 明天,
adverbs, verbs, pronouns, numbers), a title or role word (司机, 房东: people, but not names), a word commoner
than :data:`WORD_MAX` (高兴, 游客), and anything the word penalty still leaves under the threshold. The
constants were chosen on the dev sets only, the output on 6,307 ordinary sentences checked for new hits
(``benchmarks/README.md``, wave 8). Like the rest of the score it reads only the candidate's context window.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from lingxi.privacy import names_seed as seed

if TYPE_CHECKING:
    from lingxi.privacy.names_model import NameModel

ACT = 4.0  # added to a candidate at a clause's start with a person-only act after it (see the module doc)
REFUND = 0.8  # and this much per log10 of the word frequency of the candidate: half of names.WORD_PENALTY
# A word commoner than this (log10 of its frequency) is that word even before a person's act (高兴, 游客, 明星,
# 党员: people and moods do those acts too); names that are words are rarer (舒畅 2.5, 高山 3.1)
WORD_MAX = 3.1


def _words(s: str) -> frozenset[str]:
    return frozenset(s.split())


# What only a person does, as a subject right after the name: work and leave, family events, messages and
# calls, social-app acts, addressing the speaker or the listener, school and hospital. Two or three
# characters each: one character (说, 让) is in :data:`.names_seed.AFTER` already and starts too much.
ACTS = _words(
    "请假 休假 轮休 调休 销假 出差 入职 离职 辞职 跳槽 退休 上班 下班 加班 值班 值夜班 打卡 请病假 "
    "结婚 离婚 订婚 怀孕 坐月子 相亲 谈恋爱 过生日 生日 生日快乐 "
    "打电话 打来电话 来电话 发微信 发消息 发短信 回消息 回微信 私信我 留言说 "
    "点赞了 评论了 转发了 拍了拍 撤回了 邀请你 邀请我 添加你 退出了 加入了 "
    "申请了 报名了 签到了 迟到了 早退 缺勤 旷课 "
    "帮我 帮你 告诉我 告诉你 问我 问你 找我 找你 让我 让你 叫我 叫你 带我 陪我 跟我 给我 给你 约我 "
    "请我 谢谢你 嫁给 娶了 考上了 毕业了 搬家 住院 出院 生病了 发烧了 感冒了 "
    "笑着说 哭了 唱了 作曲 主演了 扮演 当选 担任 被评为 荣获 夺冠 开车 骑车"
)
# What only a person has, after 的 (a place or a shop has an address, a phone number, parcels and orders).
OWNED = _words(
    "爸爸 妈妈 老公 老婆 丈夫 妻子 孩子 儿子 女儿 男朋友 女朋友 男友 女友 爷爷 奶奶 外婆 外公 家属 家长 "
    "作业 论文 试卷 成绩 工资 工资卡 简历 生日 婚礼 身份证 工牌 学生证 驾照 病历 体检 航班 车票 座位 "
    "微信 朋友圈 头像 签名 演唱会 新书 小说 画展 歌 电影"
)
_PLACE_TAGS = frozenset(("ns", "nt", "s"))  # places and organisations have things too (温州的新书店)
# One time or manner word between the name and the act (安然明天轮休, 路遥刚才打电话找你).
LEADS = _words(
    "今天 明天 昨天 后天 今晚 明早 明晚 刚才 刚刚 已经 马上 这周 周末 下周 上周 早上 上午 下午 晚上 "
    "正在 一直 也 还 又 都 刚 已 要 想 会 在"
)
# Dictionary tags (jieba's) of words that are not names whatever follows: time, adverb, verb, pronoun,
# numeral, measure word, conjunction, preposition, direction, auxiliary, interjection, idiom.
NOT_NAME_TAGS = _words("t tg d ad v vd vn vg r m mq q c p f u ul uj e y i l")
_EDGE = seed.CLAUSE_EDGES
_ACT_HEADS = frozenset(w[0] for w in ACTS)
_LEAD_HEADS = frozenset(w[0] for w in LEADS)
_PEOPLE = frozenset(seed.ROLES) | frozenset(seed.TITLES)
_COMMAS = frozenset("，,")
_NOT_LAST = frozenset("家们等")  # 张静家的孩子: the household, not a three-character name
_YOU = frozenset("你您")
_NOT_VOCATIVE = frozenset(("你好", "您好", "你们", "您们"))


def act_after(text: str, e: int) -> bool:
    """Whether a person-only act (:data:`ACTS`) follows ``e``, at once or after one word of :data:`LEADS`."""
    starts = [e]
    if text[e : e + 1] in _LEAD_HEADS:
        starts += [e + n for n in (2, 1) if text[e : e + n] in LEADS]
    return any(text[k : k + 1] in _ACT_HEADS and (text[k : k + 2] in ACTS or text[k : k + 3] in ACTS) for k in starts)


def owned(text: str, e: int) -> bool:
    """Whether 的 and what only a person has follow ``e`` (于洋的工资卡, 方圆的论文; not 的地址 or 的电话,
    which a shop or a town has too)."""
    return text[e : e + 1] == "的" and (text[e + 1 : e + 3] in OWNED or text[e + 1 : e + 4] in OWNED)


def vocative(text: str, e: int) -> bool:
    """Whether the text goes on by speaking to the one named before ``e``: a comma, then 你 or 您 (苗苗，你帮我…;
    not 你好 or 你们: 北京，你好 greets a place, and 你们 speaks to others)."""
    return text[e : e + 1] in _COMMAS and text[e + 1 : e + 2] in _YOU and text[e + 1 : e + 3] not in _NOT_VOCATIVE


def called(text: str, e: int) -> bool:
    """Whether 你/您 follows ``e`` with no comma (海燕你快看群消息; not 你好, 你们): the text's first word is who
    it speaks to, unless that word is a place (成都你去过吗: :func:`act_bonus` checks the tag)."""
    return text[e : e + 1] in _YOU and text[e : e + 2] not in _NOT_VOCATIVE


def act_bonus(text: str, s: int, e: int, model: NameModel) -> float:
    """:data:`ACT` for the candidate ``text[s:e]`` when it opens the text or a clause, may be a name (see the
    module doc) and a person-only act follows it; else 0."""
    if s and text[s - 1] not in _EDGE:
        return 0.0
    word = text[s:e]
    tag = model.tags.get(word, "")
    if word in _PEOPLE or tag in NOT_NAME_TAGS or word[-1] in _NOT_LAST:
        return 0.0
    freq = model.words.get(word, 0.0)
    if freq > WORD_MAX:
        return 0.0
    spoken = s == 0 and (vocative(text, e) or (called(text, e) and tag not in _PLACE_TAGS))
    if not (act_after(text, e) or spoken or (owned(text, e) and tag not in _PLACE_TAGS)):
        return 0.0
    return ACT + REFUND * freq
