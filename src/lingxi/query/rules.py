"""The lite tier's parser: a Chinese question → a :class:`~lingxi.query.plan.Plan`, by rules (no model).

Four independent readings, each a small table, instead of one cue word choosing a whole answer:

* **subject** — money words (花/消费/多少钱/收到) → payments; delivery and order words → orders; 有空/日程/
  开会 → calendar; 说/聊/消息/提到 → messages; 浏览/看过 → browsing; anything else is a message search;
* **operation** — 几/多少 + a measure word → count, 平均 → average, 最贵/最便宜 → max/min, 上一次 → last,
  第一次/最早 → first, 有没有/是不是 → exists, a field cue (几点/在哪/哪天到, :mod:`lingxi.query.cues`) → field,
  a yes/no ending (…了吗/…没有) → exists, 花了多少 → sum; else list (or free/busy for 有空);
* **filters** — words of the synonym table (:mod:`lingxi.query.synonyms`) → categories, merchants or the app;
  「跟X聊」(the conversation)「X说了」「X给我发」(what X said)「我跟X说」(what the user said) → the counterpart;
  the other content words (jieba), without the cue words that only say how it is asked → what to match as said;
* **exclusion** — 「不含X」「除了X」「X除外」 move X's words to ``exclude`` instead of reading X as the filter;
* **time** — :func:`lingxi.query.windows.parse_window`.

What it cannot do (said in the report and the docs): nested or compared questions (「比上个月多花了多少」),
several subjects at once, arithmetic over results (「平均每天」 is the average per payment, not per day).
"""

from __future__ import annotations

import re

from lingxi.query.cues import (
    ASKING,
    COUNTED,
    DEMONSTRATIVE,
    FIELD_CUES,
    LIST_CUES,
    ORDER_CUES,
    PENDING,
    WH,
    YES_NO,
    join_separable,
)
from lingxi.query.plan import Filters, GroupBy, Operation, Plan, Subject
from lingxi.query.shapes import COMPARE, COMPARE_WORDS, amount_bounds, group_by
from lingxi.query.synonyms import APPS, PAY_CHANNELS, Synonyms
from lingxi.query.windows import parse_window
from lingxi.text import tokenize

__all__ = ["parse"]

_MONEY = re.compile(
    r"最贵|最便宜|一笔|几笔|多少笔|花了|花费|花多少|花钱|花的钱|消费|支出|开销|多少钱|花过|付了|付过|付款|转给|给我转|转过钱|转钱|支付|转账|收入|收到(?=.{0,4}钱)|账单|一共花|总共花|到账|养老金|退休金|工资"
)
_INCOME = re.compile(
    r"收入|收到.{0,4}(?:钱|转账|红包)|进账|到账|养老金|退休金|工资|给我(?:转|打)|转给我|给了?我.{0,4}钱"
)
_ORDER = re.compile(
    ORDER_CUES.pattern
    + r"|买东西|买(?:啥|什么)"
    + r"|到哪(?!些)|什么时候到|到了吗|物流|快递|发货|送达|到货|订单|下单|网购|包裹|买了|买过|买的|几单|单号"
)
_CALENDAR = re.compile(
    r"有空|空闲|有时间|忙不忙|忙吗|有会|个会|场会|开会|会议|(?:有|个|啥|什么|哪些|的)安排|日程|行程|约(?:了|在|的|好)|的会(?![员计])|有(?:什么|啥)事"
)
_MESSAGE = re.compile(r"说|聊|讲|提到|提起|消息|发了|问我|告诉|通知|群里|回复|布置|交代|嘱咐|叮嘱")
_SAID = re.compile(r"谁|有人|说过|说了|提到|提起|聊|[让叫]我|消息|短信|布置|交代|嘱咐|叮嘱")
_BROWSE = re.compile(r"浏览|看过|逛过|逛了")
_MEETING = re.compile(r"个会|场会|开会|有会|会议|的会(?![员计])")  # a meeting, not any calendar entry
_FREE = re.compile(r"有空|空闲|有时间|忙不忙|忙吗")
_OPS: tuple[tuple[re.Pattern[str], Operation], ...] = (
    (re.compile(r"第一次|第一笔|第一单|第一条|最早"), "first"),
    (
        re.compile(
            r"上一次|上次|最后一条|最近一条|最后一次|最后一笔|最近一次|最近一笔|最近的一笔|最后一单|最近一单|最新"
        ),
        "last",
    ),
    (COUNTED, "count"),
    (re.compile(r"平均|均价"), "average"),
    (re.compile(r"最贵|最大的一笔|最大一笔|最多的一笔|金额最高|最高的一笔"), "max"),
    (re.compile(r"最便宜|最小的一笔|最小一笔|最少的一笔|金额最低|最低的一笔"), "min"),
    (re.compile(r"有没有人?|是不是|有无|是否"), "exists"),
)
_EXCLUDE = re.compile(
    r"[（(]?(?:不含|不包含|不包括|不算|不计|除了|除去|除开|扣除|排除|去掉|刨除|除(?=[^，,。？?]{1,8}?(?:以外|之外|外)))"
    r"(.+?)(?:以外|之外|外)?(?:[）)]|[，,。？?]|的|$)"
)
_EXCLUDE_AFTER = re.compile(r"[（(]?([^，,。？?（()）\s]{1,8}?)(?:除外|不算|以外|之外)[）)]?")
_TO_ME = re.compile(
    r"([^\s，,。？?我谁]{1,6}?)\s*(?:都|又|还|也)?(?:(?:给|跟|对|和|向)我(?:说|讲|发|聊|回)|找(?:过|了)?我|[让叫]我)"
)
#: 「谁给我发过消息」「有没有人找我」: only what others sent (the words taken out: they name no one)
_WHO_TO_ME = re.compile(r"(?:谁|有没有人|有人)(?:给|跟|对|向|找)(?:过|了)?我(?:发|说|讲)?(?:过|了)?")
_NOBODY = ("有人", "大家", "别人", "他们", "有谁", "有没有人", "人")
_GROUP = re.compile(r"([^\s，,。？?在]{1,6}群)(?:里|中|上)?")
_TO = re.compile(
    r"我.{0,3}?(?:给|跟|对|和|向)(\S{1,6}?)(?:说|讲|发|聊|回)"
    r"|我\s*(?:回复|答复|回)(?:了|过)?\s*([^\s，,。？?]{1,6}?)(?:什么|啥|了吗|吗|没有|了没|没|$)"
)
_WITH = re.compile(r"(?:跟|和|与|同)(\S{1,6}?)(?:的)?(?:聊|说|讲|对话|消息|聊天)")
_FROM = re.compile(
    r"([^\s，,。？?我谁]{1,6}?)\s*(?:都|又|还|有没有|是不是|最近|上次|最后|第一次)?\s*(?:的|发的)?(?:消息|微信|短信)?\s*"
    r"(?:说|提到|提起|发|问|告诉|回复|的消息|的微信|布置|通知|交代|嘱咐|叮嘱|要求)(?:了|过)?"
)
_WHO_SAID = re.compile(r"谁(?:说|提到|提起|发|问)(?:了|过)?(.{1,12}?)(?:[？?。，,]|$)")
_APP_AT = re.compile(r"(?:在|用)?(" + "|".join(APPS) + r")(?:上|里|群里|中)")
_FOLLOW = re.compile(r"^(?:那|那么)?(?:它|那个|这个|那笔|这笔|那单)")
#: Words that say how a question is asked, not what it is about (never filters).
_STOP = (
    frozenset(
        (  # noqa: SIM905 (a word list reads better as text)
            "我 我的 的 了 吗 呢 啊 吧 在 是 有 都 共 一共 总共 总计 合计 多少 多少钱 钱 "
            "花 花了 花费 消费 支出 开销 买 买的 买了 什么 时候 什么时候 到 哪 哪里 哪儿 "
            "哪个 哪家 谁 最近 说 说了 给 跟 和 现在 帮 帮我 查 查一下 一下 那 它 这个 "
            "那个 次 几次 几 笔 单 条 个 上 上次 一次 上一次 最后 第一次 平均 最贵 最便宜 "
            "有没有 是否 东西 情况 记录 能 "
            "过 去 用 又 还 不 没 请问 看看 看 告诉 知道 呀 嘛 里 其中 期间 "
            "发消息 给我 有人 消息 几条 发了 提到 聊天 群 "
            "说过 问 回复 安排 日程 有空 每次 每笔 每单 每天 一笔 一单 多 少 大概 金额 支付 付款 付了 转账 "
            "账单 收入 收到 进账 一 网购 下单 次数 笔数 为止 以来 单笔 出门 转给 转了 转过 给了 "
            "几块钱 几块 多少块 块钱 还有 接下来 "
        ).split()
    )
    | ASKING
)
#: Words of a delivery question that name no item (「快递到哪了」 is about every order); only stopped there.
_LOGISTICS = frozenset(
    "订单 快递 包裹 快件 物流 到哪 到了 发货 送达 到货 单号 派送 派 送到 运单 寄 件 送 签收 状态 预计".split()  # noqa: SIM905
)


def _subject(q: str, table: Synonyms) -> Subject:
    if _MONEY.search(q):
        return "payment"
    if _CALENDAR.search(q):
        return "calendar"
    if _SAID.search(q):  # 「有人说过包裹放哪了吗」: about messages, though it names a parcel
        return "message"
    if _ORDER.search(q):
        return "order"
    if _BROWSE.search(q):
        return "browse"
    found = table.find(q)
    spent = [w for _, w in found if w in table.categories or (w in table.merchants and w not in APPS)]
    for w in spent:  # 「昨天去理发了吗」: 发了 inside 理发 says no message
        q = q.replace(w, " ")
    if spent and not _MESSAGE.search(q):
        return "payment"  # 「上周打车几次」「吃过麦当劳没有」: a kind of spending or a shop
    return "message"


def _operation(q: str, subject: Subject, field: str = "") -> Operation:
    for pattern, op in _OPS:
        if pattern.search(q):
            return op
    if subject == "calendar" and _FREE.search(q):
        return "free_busy"
    if field:  # an order's status or ETA: every matching order (「快递到哪了」 asks about all of them)
        return "list" if subject == "order" else "field"
    if YES_NO.search(q) and not WH.search(q):
        return "exists"  # 「今天打车了吗」「这周吃过麦当劳没有」
    if subject == "payment" and not re.search(r"哪些|哪几笔|明细|列出|列一下", q):
        return "sum"
    return "list"


def _cue(q: str) -> tuple[str, str]:
    """The field a question asks for (:data:`~lingxi.query.cues.FIELD_CUES`) and the words that said so."""
    for pattern, name in FIELD_CUES:
        if m := pattern.search(q):
            return name, m[0]
    return "", ""


def _field(q: str, subject: Subject, op: Operation) -> str:
    name, _ = _cue(q)
    if subject == "payment" and name not in ("merchant", "time", "items"):
        name = "amount" if op in ("first", "last", "field") else ""
    if subject == "order" and name in ("time", "location"):
        name = "eta" if name == "time" else "status"
    return name


def _words(text: str, table: Synonyms, subject: Subject, topic: re.Pattern[str] | None = None) -> Filters:
    """The filter words of ``text``: synonym-table words by kind, the rest (without ``topic`` cue words) as said."""
    found = table.find(text)
    f = Filters()
    for _, w in found:
        if (
            w in table.merchants
            and w in APPS
            and (subject == "message" or (subject == "payment" and w in PAY_CHANNELS))
        ):
            f.app = f.app or w
        elif w in table.merchants:
            f.merchants.append(w)
        else:
            f.categories.append(w)
    for _, w in found:
        text = text.replace(w, " ")
    text = topic.sub(" ", text) if topic else text  # 「充电宝花了」: not 「宝花」; 「支付宝」 was taken above
    stop = _STOP | _LOGISTICS if subject == "order" else _STOP
    words = (w for w in tokenize(text) if len(w) > 1 and w not in stop and not re.fullmatch(r"[\d\W_]+", w))
    leftover = list(dict.fromkeys(words))
    f.text = leftover  # words outside the table: each must match, as said
    return f


def _exclusions(q: str, table: Synonyms, subject: Subject) -> tuple[str, Filters]:
    """``q`` without its 「不含X」 parts, and the filters X names."""
    out = Filters()
    for pattern in (_EXCLUDE, _EXCLUDE_AFTER):
        for m in list(pattern.finditer(q)):
            said = _words(m[1], table, "payment" if subject == "message" else subject)
            out.categories += said.categories
            out.merchants += said.merchants
            out.app = out.app or said.app
            q = q.replace(m[0], " ", 1)
    return q, out


def _counterpart(q: str) -> tuple[str, str, str]:
    """Who the messages are with; which way (``out``: the user's own, 「我跟妈妈说了什么」; ``in``: what they
    said; ``both``: the conversation, 「跟赵磊聊了什么」); and the words that said so."""
    if (m := _TO_ME.search(q)) and m[1] not in _NOBODY:
        return m[1], "in", m[0]  # 「赵磊给我发了几条」: what they sent the user
    if m := _TO.search(q):
        who = m[1] or m[2]  # 「我跟赵磊说」「我回了老伴什么」
        return who, "out", who
    if m := _WITH.search(q):
        return m[1], "both", m[1]
    if "谁" not in q and (m := _FROM.search(q)) and m[1] not in _NOBODY:
        who = m[1].removesuffix("都").removesuffix("有没有")
        return who, "in", who
    return "", "both", ""


def parse(question: str, now_ms: int, tz: str, table: Synonyms, previous: Plan | None = None) -> Plan:
    """The plan for ``question`` (rules); ``previous`` resolves 「它」-style follow-ups.

    Raises :class:`~lingxi.query.windows.WindowError` when the question names a time that cannot be resolved.
    """
    question = join_separable(question)
    window = parse_window(question, now_ms, tz)
    rest = question.replace(window.phrase, " ") if window and window.phrase else question
    versus = parse_window(rest, now_ms, tz) if window and COMPARE.search(rest) else None
    if versus is not None and versus.phrase:  # 「这个月比上个月多花了多少」: the second period, compared by code
        rest = COMPARE_WORDS.sub(" ", rest.replace(versus.phrase, " ", 1))
    min_fen, max_fen, bounds = amount_bounds(rest)
    for said_amount in bounds:  # 「超过200块」 bounds the amount; it names nothing to match
        rest = rest.replace(said_amount, " ", 1)
    if previous is not None and _FOLLOW.search(question.strip()):
        subject = "order" if _ORDER.search(question) else previous.subject
        op = _operation(rest, subject) if subject != previous.subject else previous.operation
        return previous.model_copy(
            update={
                "subject": subject,
                "operation": op if op != "sum" or subject == "payment" else "list",
                "field": _field(question, subject, op) or previous.field,
                "window": window or previous.window,
                "time": window.phrase if window else previous.time,
            }
        )
    subject = _subject(rest, table)
    cue_field, cue = _cue(rest)
    listed = LIST_CUES.search(rest) if cue_field != "attendees" else None
    if listed:
        cue_field, cue = "", listed[0]  # 「在哪些店喝过奶茶」: every match, not one field
    op = _operation(rest, subject, cue_field)
    group: GroupBy = ""
    if versus is not None and versus.phrase:
        subject, op = "payment", "count" if COUNTED.search(rest) else "sum"
    elif subject == "payment" and op in ("sum", "count", "list"):
        group, said_group = group_by(rest)
        for word in said_group:
            rest = rest.replace(word, " ", 1)
        op = "sum" if group else op
    rest = rest.replace(cue, " ", 1) if cue else rest  # 「几点」「在哪」 ask; they name nothing to match
    rest, exclude = _exclusions(rest, table, subject)
    rest = DEMONSTRATIVE.sub(" ", rest)
    pending = subject == "order" and bool(PENDING.search(rest))
    rest = PENDING.sub(" ", rest) if pending else rest
    to_me = subject == "message" and bool(who_to_me := _WHO_TO_ME.search(rest))
    rest = rest.replace(who_to_me[0], " ", 1) if to_me and who_to_me else rest
    for pattern, _ in _OPS:  # 「几单」「最贵的一笔」 say the operation, not what to match
        rest = pattern.sub(" ", rest)
    rest = re.sub(r"谁(?:给|跟|对|和|找)?我?", " ", rest) if "谁" in rest and not _WHO_SAID.search(rest) else rest
    sent_by_me = False
    counterpart = ""
    app = ""
    # 「微信和支付宝各付了多少」: every channel named is a group, not one filter
    channels = [w for _, w in table.find(rest) if w in PAY_CHANNELS] if group == "each" else []
    if subject in ("message", "calendar") and (m := _APP_AT.search(rest)):
        app, rest = m[1], rest.replace(m[0], " ", 1)
    if subject == "calendar":
        rest = _CALENDAR.sub(" ", rest)
    if subject == "message" and (m := _GROUP.search(rest)):
        counterpart, rest = m[1], rest.replace(m[0], " ", 1)  # 「产品群里都聊了什么」: the group's messages
        sent_by_me = bool(re.match(r"\s*我(?!们)", rest))  # 「我在钓友群说了什么」: the user's own there
    if subject == "message" and not counterpart:
        rest = re.sub(r"在?群(?:里|中|聊里?)", " ", rest)  # 「在群里说」: some group, named by no one
        counterpart, way, said = _counterpart(rest)
        sent_by_me, to_me = way == "out", to_me or way == "in"
        if counterpart:
            rest = rest.replace(said, " ", 1)
        if m := _WHO_SAID.search(rest):
            rest = m[1]
        else:
            rest = re.sub(r"说了什么|说过什么|聊了什么|说什么|讲了什么|发了什么|提到了什么", " ", rest)
    shop = ""
    if subject == "payment" and (m := re.search(r"在(\S{2,12}?)(?:花|消费|买|付)", rest)) and not table.find(m[1]):
        shop, rest = m[1], rest.replace(m[1], " ")  # an unknown shop, kept as one word
    topic = {"payment": _MONEY, "order": _ORDER, "message": _MESSAGE, "browse": _BROWSE}.get(subject)
    include = _words(rest, table, subject, topic)
    if shop:
        include.merchants.insert(0, shop)
    if counterpart:
        include.counterpart = counterpart
    if group == "each" and len(channels) > 1:
        include.app, include.merchants = "", [*include.merchants, *channels]
    if app:
        include.app = app
    if subject == "calendar":
        include.text, include.categories, include.merchants = (
            include.categories + include.merchants + include.text,
            ["会议"] if _MEETING.search(question) and "会议" in table.categories else [],
            [],
        )
    what = "、".join(include.categories + include.merchants + include.text) or include.app
    what += f"（{'，'.join(bounds)}）" if bounds else ""  # 「外卖（超过100元）」: the bound is part of what was asked
    return Plan(
        operation=op,
        subject=subject,
        field="" if listed and subject != "order" else _field(question, subject, op),  # type: ignore[arg-type]
        include=_clip(include),
        exclude=_clip(exclude),
        direction="in" if subject == "payment" and _INCOME.search(question) else "out",
        sent_by_me=sent_by_me,
        to_me=to_me,
        pending=pending,
        time=window.phrase[:24] if window else "",
        window=window,
        what=what[:24],
        group_by=group,
        versus=versus.phrase[:24] if versus else "",
        versus_window=versus if versus and versus.phrase else None,
        min_fen=min_fen,
        max_fen=max_fen,
    )


def _clip(f: Filters) -> Filters:
    """Filters within the plan's bounds (a word of at most 16 characters, at most 6 words per kind)."""
    return Filters(
        categories=[w[:16] for w in f.categories[:6]],
        merchants=[w[:16] for w in f.merchants[:6]],
        counterpart=f.counterpart[:16],
        app=f.app[:16],
        text=[w[:16] for w in f.text[:6]],
    )
