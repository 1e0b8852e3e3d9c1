"""Is this notification worth interrupting the user for? Decided from what it says and who sent it.

A real notification listener gives title, body, app and (for chats) the sender: no trustworthy category. So
urgency is read from the text and from the user's own data: a fresh verification code, account security
(new-device login, password changed, anti-fraud warnings), a large or unusual money movement, a parcel or a
meal arriving today or waiting for pickup, a meeting on the user's calendar about to start, a message from
family or a frequent contact, or a sender/app the user marked. Marketing is recognised as such even when it
imitates urgency (countdowns, 限时, 直播开始, coupons about to expire, 退订回T), and routine notices (small
debits, renewals, parcels already signed for) are not urgent.

Each rule that fires yields a :class:`Signal` with a reason code, the phrase that triggered it and a Chinese
reason, so every decision can be explained. The score is the strongest signal's points; a notification is
urgent when the score reaches the user's threshold, which their reactions tune (:func:`tuned_threshold`).
People are not marketers: promotion words in a message from a known contact do not demote it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from lingxi.context.events import NotificationEvent

_MINUTE = 60_000
DEFAULT_THRESHOLD = 50
MIN_THRESHOLD, MAX_THRESHOLD = 30, 95  # codes, security and marks (100) stay urgent whatever the reactions
THRESHOLD_STEP = 10
LARGE_FEN = 100_000  # ¥1,000: an outgoing movement at least this large is worth a look
MEETING_SOON_MIN = 30

_FAMILY = re.compile(
    r"妈|爸|爷爷|奶奶|外婆|外公|姥姥|姥爷|老公|老婆|媳妇|丈夫|妻子|配偶|父亲|母亲|儿子|女儿|孩子|哥|姐姐|弟弟|妹妹"
    r"|小姨|舅|姑姑|叔叔|家人"
)
_GROUP_SENDER = re.compile(r"^(?:\[\d+条\]\s*)?([^：:\s]{1,12})[：:]")
_NUMBER_SENDER = re.compile(r"^\+?\d[\d\s-]{3,}$")


@dataclass(frozen=True)
class Signal:
    """One rule that fired: ``code`` (stable, English), the triggering ``phrase`` and a Chinese reason."""

    code: str
    phrase: str
    points: int
    reason_zh: str


@dataclass(frozen=True)
class Decision:
    urgent: bool
    score: int
    threshold: int
    signals: tuple[Signal, ...]

    @property
    def reasons(self) -> list[str]:
        """Chinese reasons of the signals that count (positive ones when urgent, else the demoting ones)."""
        keep = [s for s in self.signals if (s.points > 0) == self.urgent]
        return list(dict.fromkeys(s.reason_zh for s in keep))


@dataclass(frozen=True)
class Meeting:
    title: str
    start_ms: int


@dataclass
class UrgencyContext:
    """What the user's own data says: calendar, contacts' relations, frequent contacts, marks, threshold."""

    meetings: list[Meeting] = field(default_factory=list)
    relations: dict[str, str] = field(default_factory=dict)  # contact name → relation (妈妈, 同事…)
    frequent: dict[str, int] = field(default_factory=dict)  # contact name → messages exchanged
    marked: frozenset[str] = frozenset()  # senders and apps the user marked important
    threshold: int = DEFAULT_THRESHOLD


# -- text rules -------------------------------------------------------------------------------------------
_OTP = re.compile(
    r"(?:验证|校验|动态|确认|安全|交易|短信|随机|一次性|登录确认)(?:码|密码|口令|信息)|verification code|\bcode\b",
    re.I,
)
_OTP_DIGITS = re.compile(r"(?<![\d*])\d{4,8}(?![\d*])")
_SECURITY = re.compile(
    r"(?:新|陌生)[^，。,]{0,8}?(?:设备|手机|电脑|Mac|iPhone|iPad)[^，。,]{0,12}?(?:登录|开通)|异地\S{0,6}登录|异常(?:登录|操作)"
    r"|尝试登录|(?:密码|口令)\S{0,4}(?:已被|被)?(?:修改|重置|变更|更改)|(?:修改|重置|变更|更改)\S{0,3}(?:登录|支付)?密码"
    r"|补办\S{0,3}(?:SIM|手机)卡|解绑\S{0,6}设备|冻结|挂失|限制\S{0,4}(?:交易|功能)|反诈|诈骗|涉诈|96110|限额调整",
    re.I,
)
_AMOUNT = re.compile(
    r"(?:(?:人民币|RMB|CNY|¥|￥)\s*(?P<a>[\d,]+(?:\.\d{1,2})?))|(?P<b>[\d,]+(?:\.\d{1,2})?)\s*元"
    r"|(?P<fx>USD|EUR|HKD|JPY|THB|GBP)\s*(?P<c>[\d,]+(?:\.\d{1,2})?)"
)
_BALANCE = re.compile(r"余额|额度|累计")
_OUTGOING = re.compile(r"支出|消费|转出|转账|付款|支付|扣款|扣费|扣划|取现|交易|支取|划扣|还款")
_INCOMING = re.compile(r"入账|存入|收到|转入|工资|退款|退回|收益|到账|给你|向你")
_UNUSUAL = re.compile(
    r"境外|陌生商户|连续\S{0,3}(?:次|笔)\S{0,4}(?:失败|交易)|支付失败|扣款\S{0,4}失败|可能失败|余额不足|已逾期|逾期将"
    r"|大额支出|(?:今天|今日)\S{0,4}(?:最后还款|还款日)|待你确认|等待你确认|请确认是否"
)
_ROUTINE_MONEY = re.compile(r"自动(?:续费|续订|续期|还款|扣缴|扣款|支付)|账单|共支出|续费成功|已续(?:订|费|期)|续订")
_DONE = re.compile(
    r"已签收|签收人|已完成|已被取走|祝你用餐愉快|祝您用餐愉快|已揽收|已发货|已发出|运输中|已出库|中转|转运中心|打包"
    r"|预计\S{0,6}(?:后天|天后|\d+月\d+日)"
)
_PICKUP = re.compile(
    r"取件码|提货码|自提码|待取|凭\s*[\dA-Z][\d\-A-Z]{3,}|已(?:到|存入|放至|放置|放入|抵达)\S{0,16}?(?:驿站|自提点|快递柜"
    r"|丰巢|代收点|超市|智能柜|柜)|代收|请\S{0,4}(?:取件|取货|领取|取回|取餐|下楼)"
)
_ARRIVING = re.compile(
    r"派送|派件|投递|正在配送|配送员|快递员\S{0,8}(?:附近|楼下|已到)|快递小哥|正在路上|马上就到|距你\s*\d+\s*米|骑手|骑士"
    r"|闪送员|预计\s*\d+\s*分钟\S{0,3}送达|送达门口|今天\S{0,3}(?:送达|到|派送)|今日\S{0,3}(?:送达|派送)|准备签收"
)
_FOOD = re.compile(r"骑手|骑士|外卖|取餐|商家已出餐")
_MEETING_TEXT = re.compile(
    r"即将开始|马上开始|会议已开始|(?:还有|在)\s*(\d+)\s*分钟(?:后)?开始|(\d+)\s*分钟后开始|starts? in (\d+) min", re.I
)
_PROMO = re.compile(
    r"退订|回\s*T\b|回\s*TD|回\s*N\b|拒收请回复|回复\s*(?:R|TD|0000)|优惠|红包|立减|满\s*\d+\s*减|\d+(?:\.\d)?\s*折|秒杀|抢购|手慢无"
    r"|先到先得|名额|限时|限量|特价|特惠|福利|补贴|直播|开播|福袋|抽奖|会员日|积分|降价|补货|开售|开抢|上新|新品|免单|砍"
    r"|返现|提现|奖励|津贴|早鸟|低至|立享|享\s*\d+\s*折|办卡|额度可提升|借款额度|免息|加息|恭喜|速领|待领|领券"
    r"|猜你喜欢|为你推荐|为你精选|可能喜欢|感兴趣|推荐|爆款|团购|倒计时|最后\s*\d+\s*(?:小时|分钟|天|份|件)|最后一天"
    r"|仅剩|还剩\s*\d+\s*(?:小时|分钟|件|天)|库存告急|余票紧张|(?:券|卡)\S{0,8}(?:到期|过期|失效)|续费\S{0,4}(?:享|领)"
    r"|试用|免费|活动|抵扣|观影券|消费券|支付券|打车券|神券|盲盒|集五福|双\s*1[12]|\d+\.\d+\s*元\s*(?:打车|购)|1\s*分购"
)


def _first(pattern: re.Pattern[str], text: str) -> str:
    m = pattern.search(text)
    return m.group(0) if m else ""


def _amount_fen(text: str) -> int:
    """The largest amount named in the text, in fen (foreign currencies counted 1:1: a rough floor)."""
    best = 0
    for m in _AMOUNT.finditer(text):
        if _BALANCE.search(text[max(m.start() - 6, 0) : m.start()]):
            continue  # what is left on the account is not what moved
        raw = m.group("a") or m.group("b") or m.group("c") or "0"
        try:
            best = max(best, round(float(raw.replace(",", "")) * 100))
        except ValueError:
            continue
    return best


def senders_of(n: NotificationEvent) -> list[str]:
    """Who it is from: the declared sender, the title (chat apps title a notification with the sender) and the
    speaker of a group message (``姐姐：…``); phone numbers are not names."""
    names = [n.sender, n.title.strip()]
    if m := _GROUP_SENDER.match(n.body.strip()):
        names.append(m.group(1))
    return [s for s in dict.fromkeys(names) if s and not _NUMBER_SENDER.match(s)]


def _bigram_overlap(title: str, text: str) -> float:
    grams = {title[i : i + 2] for i in range(len(title) - 1)} - {"会议", "日程"}
    return sum(g in text for g in grams) / len(grams) if grams else 0.0


def _people(n: NotificationEvent, ctx: UrgencyContext) -> list[Signal]:
    out: list[Signal] = []
    for name in senders_of(n):
        relation = (n.relation if name in (n.sender, n.title.strip()) else "") or ctx.relations.get(name, "")
        if name in ctx.marked or n.source_app in ctx.marked:
            out.append(Signal("user_marked", name if name in ctx.marked else n.source_app, 100, "你标记为重要"))
        if (relation and _FAMILY.search(relation)) or _FAMILY.search(name):
            out.append(Signal("family", name, 80, f"家人（{relation or name}）"))
        if count := ctx.frequent.get(name):
            out.append(Signal("frequent_contact", name, 60, f"常联系的人（近期往来 {count} 条消息）"))
    return out


def _meeting(text: str, age_min: float, ts: int, ctx: UrgencyContext) -> Signal | None:
    for m in ctx.meetings:
        lead = (m.start_ms - ts) / _MINUTE  # minutes from the notification to the start
        named = m.title in text or _bigram_overlap(m.title, text) >= 0.5
        if named and -10 <= lead <= MEETING_SOON_MIN and lead - age_min >= -15:  # and still relevant now
            return Signal("meeting_soon", m.title, 90, f"日程「{m.title}」即将开始")
    if (hit := _MEETING_TEXT.search(text)) and age_min <= MEETING_SOON_MIN:
        minutes = next((int(g) for g in hit.groups() if g), 0)
        if minutes <= MEETING_SOON_MIN and minutes - age_min >= -15:
            return Signal("meeting_soon", hit.group(0), 90, "会议即将开始")
    return None


def signals(n: NotificationEvent, now_ms: int, ctx: UrgencyContext | None = None) -> list[Signal]:
    """Every rule this notification triggers at ``now_ms`` (negative points: promotion, routine, stale)."""
    ctx = ctx or UrgencyContext()
    text = f"{n.title} {n.body}"
    age_min = (now_ms - n.ts) / _MINUTE
    if age_min < 0:
        return [Signal("future", "", -100, "时间晚于当前（时钟偏差）")]
    people = _people(n, ctx) if age_min <= 6 * 60 else []
    out = list(people)
    if not any(s.code in ("family", "frequent_contact", "user_marked") for s in people) and (
        promo := _first(_PROMO, text)
    ):
        return [Signal("promotion", promo, -200, "营销推广")]
    if (otp := _first(_OTP, text)) and _OTP_DIGITS.search(text):
        out.append(
            Signal("verification_code", otp, 100, "验证码（仍在有效期内）")
            if age_min <= 10
            else Signal("stale", otp, 0, "验证码已过期")
        )
    if (sec := _first(_SECURITY, text)) and age_min <= 24 * 60:
        out.append(Signal("account_security", sec, 100, "账户安全提醒"))
    routine = _first(_ROUTINE_MONEY, text)
    if (move := _first(_OUTGOING, text)) and age_min <= 24 * 60:
        unusual = _first(_UNUSUAL, text)
        amount = _amount_fen(text)
        incoming = _first(_INCOMING, text)
        if unusual:
            out.append(Signal("money_unusual", unusual, 90, "异常资金变动"))
        elif routine:
            out.append(Signal("routine", routine, 0, "例行扣费或账单"))
        elif amount >= LARGE_FEN and not incoming:
            out.append(Signal("money_large", f"{move} {amount / 100:,.2f} 元", 90, "大额资金变动"))
        else:
            out.append(Signal("routine", move, 0, "小额或例行的资金变动"))
    elif (unusual := _first(_UNUSUAL, text)) and age_min <= 24 * 60:
        out.append(Signal("money_unusual", unusual, 90, "异常资金变动"))
    pickup, arriving = _first(_PICKUP, text), _first(_ARRIVING, text)
    if pickup or arriving:
        food = bool(_FOOD.search(text))
        fresh = age_min <= (60 if food else 12 * 60 if arriving and not pickup else 24 * 60)
        if (done := _first(_DONE, text)) and not pickup:
            out.append(Signal("routine", done, 0, "已送达或尚未派送"))
        elif fresh:
            what = "外卖即将送达" if food else "快递待取件" if pickup else "快递今天送达"
            out.append(Signal("delivery_food" if food else "delivery", pickup or arriving, 70, what))
    if meeting := _meeting(text, age_min, n.ts, ctx):
        out.append(meeting)
    if not out and (done := routine or _first(_DONE, text)):
        out.append(Signal("routine", done, 0, "例行通知"))
    return out


def decide(n: NotificationEvent, now_ms: int, ctx: UrgencyContext | None = None) -> Decision:
    """Urgent when the strongest signal reaches the user's threshold; any promotion or future time wins."""
    ctx = ctx or UrgencyContext()
    sig = signals(n, now_ms, ctx)
    negative = [s for s in sig if s.points < 0]
    score = 0 if negative else max((s.points for s in sig), default=0)
    return Decision(score >= ctx.threshold and score > 0, score, ctx.threshold, tuple(sig))


def tuned_threshold(reactions: Iterable[tuple[int, bool]], start: int = DEFAULT_THRESHOLD) -> int:
    """Replay the user's reactions, oldest first, as ``(score, opened)``: dismissing a notification that was
    urgent raises the bar a step; opening one that scored something but stayed below it lowers the bar to it."""
    t = start
    for score, opened in reactions:
        if not opened and score >= t:
            t = min(t + THRESHOLD_STEP, MAX_THRESHOLD)
        elif opened and 0 < score < t:
            t = max(min(t - THRESHOLD_STEP, score), MIN_THRESHOLD)
    return t
