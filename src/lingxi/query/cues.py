"""Cue tables of the rule parser (:mod:`lingxi.query.rules`): how a Chinese question says *what it asks*.

Kept as data, apart from the parser's one mechanism, so a new everyday phrasing is a new row, not a new branch:

* :data:`FIELD_CUES` — 「几点」「在哪」「哪天到」「单号」「谁参加」: the attribute of one entity asked for. The cue
  is taken out of the question (it names no filter) and sets :attr:`~lingxi.query.plan.Plan.field`;
* :data:`YES_NO` — a question that ends in 「吗」「没有」「了没」 with no question word asks whether something is
  there (exists), e.g. 「今天打车了吗」「这周吃过麦当劳没有」;
* :data:`COUNTED` — 「几杯」「几趟」「多少回」: any measure word after 几/多少 counts;
* :data:`SEPARABLE` — verb-object words people split (「打了几次车」「坐过车」) are joined back (「打车」) so
  the synonym table finds them;
* :data:`ASKING` — words that only say how a question is asked (「有哪些」「列出」「是不是」「去过」).
"""

from __future__ import annotations

import re

__all__ = [
    "ASKING",
    "COUNTED",
    "DEMONSTRATIVE",
    "FIELD_CUES",
    "LIST_CUES",
    "ORDER_CUES",
    "PENDING",
    "SEPARABLE",
    "WH",
    "YES_NO",
    "join_separable",
]

#: (cue, field): the first cue found decides; longer, more specific cues come first.
FIELD_CUES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"(?:什么时候|啥时候|哪天|哪一天|几号|几时|多久)(?:能|会|可以|才)?(?:到货|送到|送达|到)"), "eta"),
    (re.compile(r"预计.{0,4}(?:到|送达)|预计"), "eta"),
    (re.compile(r"(?:快递|运单|物流)?单号|哪家快递|什么快递|快递公司"), "status"),
    (
        re.compile(
            r"怎么样了|什么情况|到哪(?!些)(?:了|里|儿)?|现在(?:是)?什么状态|什么状态|状态|发货了?|到了(?:吗|没有?)|签收了?|到没到"
        ),
        "status",
    ),
    (re.compile(r"(?:有)?谁(?:参加|参与|出席|来)|有哪些人|和谁一起|跟谁一起|参会的?人"), "attendees"),
    (re.compile(r"还开吗|取消了?(?:吗|没有?)|还(?:去|有)吗|还(?:去|开|办|上)(?=\S{1,6}?吗)"), "status"),
    (re.compile(r"(?:是)?在?哪(?:家|个)(?:店|影院|电影院|超市|餐厅|饭店|商家)|(?:是)?在?哪家|什么店"), "merchant"),
    (
        re.compile(
            r"(?:约|定|开|办|是)?在哪(?!些)(?:里|儿|开|个会议室|个地方)?|什么地方|地点|哪个会议室|几楼|几层|哪层"
        ),
        "location",
    ),
    (
        re.compile(r"(?:改到|挪到|换到|定在|是)?(?:几点|哪天|哪一天|几号|什么时候|啥时候)(?:开始|的|了)?|几点开始"),
        "time",
    ),
    (re.compile(r"买了(?:啥|什么)|买的(?:啥|什么)|买(?:啥|什么)了"), "items"),
)
#: Cues that make the question about an order (delivery words).
ORDER_CUES = re.compile(
    r"下了.{0,4}单|到哪(?!些)|单号|快递|物流|发货|签收|到了(?:吗|没)|到没到|(?:哪天|几号|什么时候|啥时候).{0,2}到"
)
#: Asking for every match (「哪些店」「都有哪些」「列出」): a list, even where a field cue also occurs.
LIST_CUES = re.compile(
    r"(?:在)?哪些(?:店|家|地方|商家|东西|平台|app|APP|应用|渠道)?|列出|列一下|都有哪|都(?:是)?(?:在|去)?哪(?:儿|里)?(?!些)"
)
#: 「那顿饭」「这单」「那笔」: pointing at one thing, naming nothing to match.
DEMONSTRATIVE = re.compile(r"[那这哪](?:个|件|单|笔|顿|次|场|台|双|条|家|趟)")
#: Orders still on their way: 「还没到的快递」「哪些在路上」.
PENDING = re.compile(r"还?没(?:到|收到|送到|签收)|未签收|在路上|还在运")
#: Question words: with one of them, a trailing 「吗」 does not make a yes/no question (「知道他几点到吗」 asks 几点).
WH = re.compile(r"什么|啥|哪|几|多少|谁|怎么")
YES_NO = re.compile(r"(?:吗|么|没有|了没|过没|没)[？?。!！\s]*$")
COUNTED = re.compile(r"(?:几|多少)(?:次|回|遍|趟|笔|单|个|条|场|杯|顿|件|份|张|家|天)|次数|笔数")
#: Verb-object words that people split with 了/过/几次 in between.
SEPARABLE = (
    "打车", "坐车", "吃饭", "看病", "买菜", "交话费", "看电影", "点外卖", "喝奶茶", "喝咖啡", "喝茶", "买药", "理发",
)  # fmt: skip
_SPLIT = [
    (re.compile(re.escape(w[:1]) + r"([了过]?(?:哪?(?:几|多少)(?:次|回|趟|顿|杯)|一次|一回)?)" + re.escape(w[1:])), w)
    for w in SEPARABLE
]
#: Words that say how a question is asked, never what it is about.
ASKING = frozenset(
    (  # noqa: SIM905 (a word list reads better as text)
        "哪些 有哪些 都有 列出 列一下 列举 明细 是不是 是否 去过 吃过 喝过 买过 用过 点过 坐过 打过 来过 有过 "
        "上面 方面 产品 东西 啥 了没 没有 记录 清单 花销 哪家 开销 费用 一共 共计 "
        "交了 打了 喝了 吃了 买了 用了 点了 坐了 看了"
    ).split()
)


def join_separable(q: str) -> str:
    """「打了几次车」→「打车了几次」, 「坐过车」→「坐车过」: the verb-object word joined, the rest kept after it."""
    for pattern, word in _SPLIT:
        q = pattern.sub(word + r"\1", q)
    return q
