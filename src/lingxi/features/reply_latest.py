"""The latest message read in its conversation: an intent the message alone does not show.

Why apart from :mod:`~lingxi.features.reply_intent`: that module reads one message; here the conversation and
the time phrases decide (an invitation made earlier still stands for 「想拉你去打球」; a question, suggestion or
plain plan that names a time ahead — 「明天下午四点打球不」「今晚七点老地方喝一杯」 — asks for the user's time,
so the calendar at that time binds every candidate, see :mod:`~lingxi.features.reply_check`).
"""

from __future__ import annotations

import re
from dataclasses import replace

from lingxi.context.events import MessageEvent
from lingxi.features.reply_facts import time_windows
from lingxi.features.reply_intent import DIRECTED, FOR_USER, MessageIntent, classify

__all__ = ["carried", "in_context", "joins_plan", "proposed"]

_DAY = 86_400_000


def in_context(mi: MessageIntent, incoming: list[MessageEvent], tz: str) -> MessageIntent:
    """``mi`` (the latest of ``incoming``, oldest first) carried over from an earlier invitation, then read for a
    proposed time, here or in a plan named earlier (「明天上午十点大扫除」…「@你 你家谁来？」)."""
    return joins_plan(proposed(carried(mi, incoming), incoming[-1], tz), incoming, tz)


#: the latest line asks the user to join or take a part in something (「这次你来领读吧」「你家谁来？」「你也来哈」)
_ASKS_IN = re.compile(
    r"你(也|就)?(来|去)(吧|吗|不|么|哈|啊|呀|呗|一趟|参加|领|主持|负责)|你(负责|主持|领读|带队)|你也(来|去|参加|一起)|"
    r"谁(来|去|参加|有空|报名)|你家.{0,3}(谁|几个人)|算你|能(来|去|到|参加)|别(迟到|缺席)|准时|务必|上号|集合|"
    r"(来|去|到)(不|吗|么|没)[\W_]*$"
)


def joins_plan(mi: MessageIntent, incoming: list[MessageEvent], tz: str) -> MessageIntent:
    """A line that asks the user to join (「你也来哈」「你家谁来？」) after an incoming line of the last three hours
    named a time ahead for a plan (「明天中午十二点聚餐」「读书会定在后天晚上七点」) is an invitation to that time —
    so the calendar there binds every candidate, although the latest line itself names no time."""
    if mi.intent not in ("info", "whether", "what") or len(incoming) < 2:
        return mi
    latest = incoming[-1]
    if not _ASKS_IN.search(latest.text) or _ASKS_WHAT_THING.search(latest.text):
        return mi
    for m in incoming[-4:-1]:
        if latest.ts - m.ts > 3 * 3_600_000 or _NEWS_ONLY.search(m.text):
            continue
        ahead = [w for w in time_windows(m.text, m.ts, tz) if w[2] > latest.ts and w[2] - w[1] <= 2 * _DAY]
        if ahead:
            return replace(mi, intent="invitation")
    return mi


def carried(mi: MessageIntent, incoming: list[MessageEvent]) -> MessageIntent:
    """An invitation made in the last hour still stands when the latest message only adds to it
    (「明天下午有空不？」…「想拉你去打球」): a plain statement or yes/no question is read as part of it."""
    if mi.intent not in ("info", "whether") or len(incoming) < 2:
        return mi
    latest = incoming[-1]
    for m in incoming[-4:-1]:
        if latest.ts - m.ts <= 3_600_000 and classify(m.text).intent == "invitation":
            return replace(mi, intent="invitation")
    return mi


#: a suggestion or a question at the end of a message (「…来我家吃火锅吧」「…打球不」「…健身房见？」「…行不」)
_SUGGEST = re.compile(
    r"(来|去|一起|过来|见|聚|吃|玩).{0,10}(吧|呗)|(吗|不|行不|好不|咋样|怎么样|如何|见|走起?)[\W_]*$|[？?]|"
    r"(去|来|玩|吃|看|打).{1,8}(不|吗)[，,]"  # 「今晚去看电影不，九点那场」: the question, then details
)


_ASKS_WHAT = re.compile(r"哪|什么|啥|推荐|谁")
_HOW_ABOUT = re.compile(r"(怎么样|咋样|如何|好不好|行不行?|可以吗)[\W_]*$")


#: news and reminders that name a time without asking anything of it (「会议改到三点」「明天降温」「明天聊」)
_NEWS = re.compile(
    r"改到|改成|取消|推迟|延期|提前|通知|记得|别忘|迟到|晚到|请假|放假|停电|停水|降温|下雨|@所有人|再聊|明天聊|"
    r"回头聊|下线|先走|先撤|睡了"
)
#: an earlier line that only reports (weather, a cancellation, a delay) sets up no plan to join
_NEWS_ONLY = re.compile(r"取消|推迟|延期|停电|停水|降温|下雨|放假|再聊|明天聊|回头聊")
#: 「你上次说的那家店叫啥」 asks about a thing, not for the user to come
_ASKS_WHAT_THING = re.compile(r"叫(啥|什么)|什么(牌子|名字)|哪(家|个|款)|多少钱|链接")
_SELF_PLAN = re.compile(r"我.{0,4}(要|得|会|在|去|出差|不在|回|请假|加班)")
_TOWARD_YOU = re.compile(r"找你|你那|你家|接你|见你|陪你|带你|一起")


def _plan_with_you(text: str) -> bool:
    """A plain statement naming a time that is a plan for the two of them (「今晚七点老地方喝一杯」「明晚八点开黑，
    缺一个」「那我三点过去找你」), not news or the sender's own plans (「明天我出差」)."""
    told = DIRECTED.sub("", text)  # 「集合，别迟到」 calls the user there; 「迟到」 alone is news of a delay
    called = told != text
    if FOR_USER.search(text):  # 「您的复诊改到明天上午十点」: a change of the user's own appointment
        return True
    return not _NEWS.search(told) and (called or not _SELF_PLAN.search(text) or bool(_TOWARD_YOU.search(text)))


def proposed(mi: MessageIntent, latest: MessageEvent, tz: str) -> MessageIntent:
    """A question or suggestion that names a time ahead (「明天下午四点打球不」「后天晚上来我家吃火锅吧」) asks for
    the user's time: read it as an invitation, so the calendar at that time binds every candidate."""
    if mi.intent not in ("info", "whether", "what") or mi.topics & {"trip", "parcel"}:
        return mi  # 「后天的车票买好了吗」 asks about a trip, not for the user's time
    if not _SUGGEST.search(latest.text) and not (mi.intent == "info" and _plan_with_you(latest.text)):
        return mi
    if mi.intent == "what" and (_ASKS_WHAT.search(latest.text) or not _HOW_ABOUT.search(latest.text)):
        return mi  # 「周末去哪玩比较好？」 asks for ideas; 「明天下午打球怎么样」 proposes
    ahead = [w for w in time_windows(latest.text, latest.ts, tz) if w[2] > latest.ts and w[2] - w[1] <= 2 * _DAY]
    return replace(mi, intent="invitation") if ahead else mi
