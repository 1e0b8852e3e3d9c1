"""What the latest message asks of the user: its intent (question where/when/what/whether, invitation, request
for money, congratulation, thanks, greeting, information, a call now, where something was bought, small talk)
and the topics it touches (money, parcel, trip); also sympathy (bad news of the user's) and an offer to help.

Why rules and not a classifier: the replies need the intent to pick which facts to read and which kinds of
answer make sense (no 「好的，收到」 to a question), and the cues are a small closed set of function words
(在哪/几点/吗/恭喜/转我…) that a table covers and a test pins down; a learned model would need labeled chat
data we do not have. Order matters and is written once, in :func:`classify`: a congratulation that ends
with 「吗」 is still a congratulation, a request for rent that says 「什么时候」 is still about money.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from lingxi.features.notify_rank import is_question

__all__ = ["DIRECTED", "FOR_USER", "GROUP_BUY", "Intent", "MessageIntent", "classify"]

Intent = Literal[
    "congrats", "sympathy", "thanks", "money", "offer", "invitation", "where", "when", "what", "whether",
    "greeting", "info", "call", "shop", "chat", "money_in", "arrived", "request",
]  # fmt: skip
Topic = Literal["money", "parcel", "trip"]

_CONGRATS = re.compile(
    r"恭喜|祝贺|贺喜|快乐|祝你|祝您|乔迁|太厉害了|真棒|好样的|大吉|兴隆|替你(开心|高兴)|为你(开心|高兴|骄傲)|"
    r"当(爸爸|妈妈|爹|妈)了|添了?(个|一个)?(丁|宝宝|千金|闺女|儿子)|一把过|一次(就)?过|上岸了|拿到offer|被录取|"
    r"牛啊|太牛|真牛|牛逼|厉害啊|🎉"
)
#: bad news of the user's (illness, a death, a loss): thanks for the concern, never 「收到」 or a joke
_SYMPATHY = re.compile(
    r"节哀|去世|过世|离世|(狗|猫|爷爷|奶奶|外婆|外公|姥姥|姥爷|爸|妈|叔|姨|舅|伯).{0,4}走了|住院|生病|病了|手术|"
    r"(好点|好些|好多)了?(没|吗)|早日康复|保重|别太难过|难过|伤心|你还好吗|没事吧|多喝热水"
)
#: the other person offers to do something for the user (fetch a parcel, sign for it, bring something)
_OFFER = re.compile(
    r"(要不要|需不需要|用不用|要)我|我(帮|替)你|让我帮|我顺路|帮你(拿|收|取|带|签|买|问)|给你(捎|带|送)(点|些|个)?"
)
#: money coming to the user (「刚转你200」「红包收一下」): thanks, never 「我这就转给你」
_MONEY_IN = re.compile(r"(转|还)(回)?(给)?你|给你转|红包|压岁钱")
_ASK_PAY = re.compile(r"(转|给|还|交|发|A)(给)?我|记得|别忘|该交|交一下|多少钱")
#: a small favour asked (「麻烦给个好评」「帮忙填下表」): do it or say when, though it says 「谢谢」
_REQUEST = re.compile(r"好评|麻烦(你|您)?(给|帮|把|填|签|发|转发|投)|帮(我|忙)(填|签|投|转发|点|砍)")
_PAY_ME = re.compile(r"(转|给|还|交|付)(给)?我|多少钱")
_THANKS = re.compile(r"谢谢|感谢|多谢|谢啦|谢了|辛苦你|麻烦你了|多亏(你|了)|幸亏有你|多得你")
#: a courtesy question after thanks (「多亏你了，累坏了吧」) asks nothing that needs an answer beyond the thanks
_COURTESY = re.compile(r"(累坏了|辛苦了|累了|忙坏了)吧[\W_]*$")
_MONEY = re.compile(
    r"钱的事|那笔钱|打给我|房租|租金|水电|物业费|AA|红包|份子|转账|转我|转给我|转一下|打钱|还钱|还我|还一下|借你的|欠我|收款|付款|付钱|交钱|"
    r"钱.{0,8}(转|给|交|付|还)|(转|给|交|付|还).{0,3}钱|多少钱|费用|学费|报销|垫付|补差价|凑份子|饭钱|车费|"
    r"(?<!浪)费(?!劲|力|心|解|时)|(每人|一人|人均|各)\s*\d+|(交|转|付|A)给?我|[差欠]你(没交|没转|的)|随了|"
    r"(一共|总共)\s*\d+|平摊|分摊|均摊|每(家|户|位|份|桌)\s*\d+|借(我|给我|点|些)|周转|你出\s*\d+|(钱|费).{0,4}(分|摊)一下|(钱|费|\d)[^，。！？]{0,8}(发|微信|支付宝)(给)?我(就行|就好|吧)"
)
_PARCEL = re.compile(r"快递|包裹|物流|签收|发货|到货|寄到|下单|订单|网购|买的.{0,8}(到|收)|寄的|取件|驿站")
_TRIP = re.compile(
    r"(几点|多久|什么时候|啥时候|何时).{0,3}(到|进站|出站|出发)|到.{1,8}几点|去接|进站|多远|还要多久|要多久|"
    r"到哪|到了没|到了吗|几点到|多久到|什么时候到|啥时候到|出发|车上|路上|高铁|火车|动车|航班|飞机|打车|接你|接站|站|机场|上车|检票|发车|车开|开车了|"
    r"堵(车|着|不|吗)|下车|(几点|哪趟|哪班)的?(车|高铁|火车|动车|航班|飞机)|车次|"
    r"到(家|公司|单位|学校|酒店|宿舍)了?(没|吗|么)|(车|机|火车|高铁|动车|船|返程|回程)票|回(来|家|去|老家|程)的票|抢票"
)
_INVITE = re.compile(
    r"(带|拉|叫|喊|约)你|陪我|算你一个|有兴趣|走起|一起|一块儿?|也来|来吗|凑个|约(?!定)|要不要|来不来|去不去|聚|请你|有空吗|有空不|有时间吗|有没有空|有没有时间|能来|过来吗|参加|见个面|见面|出来|"
    r"报名|接龙|扣1|扣个1|举手|速来|缺人|三缺一|谁有空|谁去|有人去|组队|团购|拼单|拼团|你要不要?[\W_]*$|"
    r"喜酒|婚礼|请柬|满月酒|升学宴|乔迁宴"
)
_WHERE = re.compile(
    r"多远|在外面|(在|到).{0,12}了.{0,3}你呢|在.{1,6}还是在|在哪|到哪|哪儿|哪里|人呢|什么位置|啥位置|定位|(?<![收寄])到了没|(?<![收寄])到了吗|(?<![收寄])到(家|公司|单位|学校|酒店|宿舍|站|机场|地方)了?(没|吗|么)|在干嘛|在干什么|在家吗|在公司吗"
)
#: "where shall we go" asks for a suggestion, not where the user is
_WHAT_PLACE = re.compile(r"去哪儿?(玩|吃|逛|好|比较)|哪儿?(好玩|好吃|比较好)")
_WHEN = re.compile(r"几点|什么时候|啥时候|多久|哪天|几号|何时|多长时间")
_WHAT = re.compile(r"什么|啥|推荐|哪家|哪个|哪款|哪种|去哪|哪玩|怎么|如何|为什么|咋|吃点|比较好|好不好")
#: asks whether the user can take a call now (「方便接电话吗」): can or cannot, never 「收到」
_CALL = re.compile(r"(接|打|通)(个|一下|一个)?(电话|语音|视频)|语音一下|视频一下")
#: asks where the user bought something or how good it is (「耳机哪买的，好用吗」): not money, not parcels
_SHOP = re.compile(
    r"(哪|哪儿|哪里|哪个店|什么店|啥店)(买|入)的|在哪(买|入)|(什么|啥|哪个)牌子|好用(吗|不|嘛)|好不好用|值得买|满意(吗|不|嘛)"
)
#: small talk about the user's life (「周末干嘛去了」「最近忙啥呢」): a past or open question, not a plan
_CHAT = re.compile(
    r"(干嘛|干啥|做什么|做啥|玩什么|玩啥)(去)?了|最近(忙啥|忙什么|在忙|怎么样|咋样|还好)|好久没.{0,3}消息|"
    r"过得(咋样|怎么样|如何|好吗|还好吗|还行吗)"
)
#: the other person has arrived and waits for the user (a driver at the pick-up point, a friend downstairs)
_ARRIVED = re.compile(
    r"到了?.{0,10}(等你|等您)|在.{0,8}等(你|您)|(你|您)(下来|下楼|出来)(一下|吧)?|"
    r"(已经|已|我)到(了)?(上车点|楼下|门口|小区|你家|你公司|.门)|到(上车点|楼下|门口|.门)了|"
    r"我在(你家|你公司|你们?小区|你)?(楼下|门口|.门)了?"
)
#: a notice of the user's own appointment, addressed to them (「您的体检改到明天上午八点半，请空腹前来」)
FOR_USER = re.compile(r"您的.{0,8}(改到|调到|挪到|安排在|约在|定在)|请您.{0,6}(来|到)|前来|到店|到院")
#: a group buy (团购/拼单) asks whether the user wants a share
GROUP_BUY = re.compile(r"团购|拼单|拼团|截单|还差.{0,2}(一|两|几)?个?人")
#: a call to be there (「明早七点集合，别迟到」「请准时到场」): a plan for the user, though 「迟到」 reads as news
DIRECTED = re.compile(r"别迟到|不要迟到|准时|务必|集合|到场|别忘了来|记得来|请.{0,4}参加")
_GREETING = re.compile(r"^(在吗|在不在|早上好|早安|早|晚安|你好|hi|hello|哈喽|嗨)[\W]*$", re.IGNORECASE)


@dataclass(frozen=True)
class MessageIntent:
    """The intent of one message and the topics it touches (a reply may need facts for each)."""

    intent: Intent
    topics: frozenset[Topic]
    question: bool

    @property
    def label_zh(self) -> str:
        return _LABELS[self.intent]


_LABELS: dict[Intent, str] = {
    "congrats": "祝贺",
    "sympathy": "慰问",
    "offer": "主动帮忙",
    "thanks": "感谢",
    "money": "钱款",
    "invitation": "邀约",
    "where": "问在哪",
    "when": "问时间",
    "what": "问什么/求推荐",
    "whether": "是非问题",
    "greeting": "打招呼",
    "info": "告知",
    "call": "问能否通话",
    "shop": "问买处/好不好用",
    "chat": "闲聊近况",
    "money_in": "给你转钱/发红包",
    "arrived": "对方已到、在等你",
    "request": "请你帮个小忙",
}


def topics_of(text: str) -> frozenset[Topic]:
    found: set[Topic] = set()
    if _MONEY.search(text):
        found.add("money")
    if _PARCEL.search(text):
        found.add("parcel")
    if _TRIP.search(text):
        found.add("trip")
    return frozenset(found)


def classify(text: str) -> MessageIntent:
    """The intent of ``text`` (first matching rule wins, most specific first) and its topics."""
    # 「收到了吧」「到了吧」 ask for a confirmation as much as 「收到了吗」
    topics, asked = topics_of(text), is_question(text) or bool(re.search(r"了吧[\W_]*$", text))
    intent: Intent
    if _SYMPATHY.search(text):
        intent = "sympathy"
    elif _CONGRATS.search(text):
        intent = "congrats"
    elif _REQUEST.search(text) and "money" not in topics:
        intent = "request"
    elif _THANKS.search(text) and (not asked or _COURTESY.search(text)):
        intent = "thanks"
    elif _SHOP.search(text):  # 「这个充电宝在哪买的，多少钱」 asks about the purchase, not for money
        intent = "shop"
    elif _CALL.search(text) and asked:
        intent = "call"
    elif _CHAT.search(text):
        intent = "chat"
    elif _MONEY_IN.search(text) and not _ASK_PAY.search(text):
        intent = "money_in"
    elif "money" in topics and not ("parcel" in topics and not _PAY_ME.search(text)):  # 「超时收费」 asks no pay
        intent = "money"
    elif _ARRIVED.search(text) and not _WHEN.search(text) and not _WHERE.search(text):  # 「你到了没？我在门口」 asks
        intent = "arrived"
    elif _OFFER.search(text):
        intent = "offer"
    elif _INVITE.search(text) and "parcel" not in topics:
        intent = "invitation"
    elif _WHAT_PLACE.search(text):
        intent = "what"
    elif _WHERE.search(text) and "parcel" not in topics:  # 「茶叶到了没」 asks about the parcel, not the user
        intent = "where"
    elif _WHEN.search(text):
        intent = "when"
    elif _GREETING.match(text.strip()):
        intent = "greeting"
    elif _WHAT.search(text):  # question words make a question without a question mark (「晚上吃什么好」)
        intent = "what"
    elif asked:
        intent = "whether"
    else:
        intent = "info"
    return MessageIntent(intent, topics, asked)
