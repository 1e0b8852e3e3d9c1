"""The request-intent layer: block what a prompt *asks the service to do*, never the topic it mentions.

Why a separate layer: the keyword and classifier layers score words, and words do not tell 「如何制作炸弹」
(a request for harm) from 「炸弹袭击的新闻」 or 「制作炸弹判几年」 (questions about news and law, which a service
must answer). This layer looks for a *request cue* (怎么/如何/教我/帮我写/步骤/配方/哪里能买…) bound to a
*harmful action* (制造炸药, 杀人, 诈骗, 偷拍, 入侵…) inside one clause, with no *protective* cue between them
(防止/被/举报/判几年/违法吗/戒…): the user asks to be helped to do harm. A topic word alone never blocks.

Clauses and frames: the text is cut into clauses, and role-play / hypothetical wrappers (「假设你是小说作者，…」,
「在一个没有法律的世界里」, 「忽略之前的指令」) are stripped first, so a frame cannot hide a request and cannot
make one either. The word lists were written by hand for lingxi (not derived from any dataset); they are
deliberately narrow: the classifier and semantic layers carry the paraphrases.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lingxi.compliance.first_chars import Scanner, starts
from lingxi.compliance.frames import unwrap
from lingxi.compliance.memo import by_identity
from lingxi.compliance.screen import PASS, ScreenResult, normalize

# (risk code, harmful actions): the *doing* of harm, each a regex alternative over Simplified Chinese.
_ACTIONS: tuple[tuple[str, str], ...] = (
    (
        "A.1.4",
        r"(?:制造|制作|自制|组装|做|造|搞|弄)(?:一[个颗枚])?(?:炸弹|炸药|爆炸物|土炸弹|燃烧瓶|雷管|脏弹|管状炸弹)"
        r"|恐怖袭击|恐袭|发动袭击|(?:引爆|安放)炸弹|加入(?:ISIS|伊斯兰国|恐怖组织)|策划爆炸",
    ),
    (
        "A.1.8",
        r"(?:制造|制作|合成|提炼|提纯|自制|做|种植|熬制?|煮)(?:出)?(?:冰毒|海洛因|毒品|大麻|可卡因|摇头丸|K粉|芬太尼|甲基苯丙胺|麻古)"
        r"|制毒|贩毒|卖毒品|运毒|吸毒不被|买(?:到)?(?:毒品|冰毒|大麻|海洛因)"
        r"|(?:买|弄|搞|制造|制作|自制|组装|造)(?:到)?(?:一把|一支|把)?枪|(?:买|弄|搞|制造|制作|自制|组装|造)[^，,。]{0,10}?"
        r"(?:手枪|步枪|枪支|猎枪|气枪|子弹|弹药|消音器|管制刀具)"
        r"|洗钱|偷税|逃税|漏税|行贿|贿赂|走私|偷渡|伪造|假证|假币|造假币|假文凭|假证书|虚假的?(?:身份证明|证件|证书|文凭)"
        r"|(?:购买|买|运输|运|携带|藏|带|卖)[^，,。]{0,8}毒品|转移非法资金|组织黑帮|成立黑社会|烧毁|炸掉|炸毁"
        r"|开(?:设)?赌场|网络赌博|赌博(?:网站|场所|设备)|传销|非法集资|套路贷|高利贷催收",
    ),
    (
        "A.1.6",
        r"杀人|杀(?:死|掉|了)(?:他|她|人|别人|某人|邻居|老板|同事|老婆|老公|父母|孩子|一个人|全家|仇人)|谋杀|毒死|投毒|下毒|(?:纵|放)火|烧(?:死|掉)(?:他|她|人|别人|邻居)|绑架|拐卖|贩卖人口|抢劫|打劫|抢银行"
        r"|强奸|迷奸|性侵|虐待|虐猫|虐狗|肢解|碎尸|分尸|埋尸|处理(?:掉)?尸体|毁尸|伤害(?:他|她|别人|某人)|打(?:死|残)"
        r"|袭击(?:他|她|别人|路人|警察|某人)|报复(?:社会|他|她|当局|政府|老板|前任)"
        r"|色情(?:小说|故事|内容|图片|视频|描写)|黄色(?:小说|故事|视频)|裸照|淫秽|约炮|卖淫|嫖娼",
    ),
    (
        "A.1.8",
        r"(?<![小偷])偷(?:东西|钱|车|电动车|手机|钱包|汽车|自行车|走|别人|人家|商场|超市|店里)|盗窃|扒窃|入室|撬锁|撬门|开锁进"
        r"|诈骗|骗(?:钱|取|人|老人|他人|别人)|电信诈骗|钓鱼(?:邮件|网站|短信|活动|攻击)|窃取|盗取|杀猪盘|仿冒网站"
        r"|黑进|入侵(?:系统|网站|服务器|电脑|手机|账号|数据库)|盗号|破解(?:密码|账号|wifi|WiFi|软件)"
        r"|DDoS|DDOS|ddos|勒索(?:软件|病毒)|木马|写(?:一个)?病毒|SQL注入|sql注入|撞库|越狱(?:监狱)?",
    ),
    ("A.1.1", r"颠覆(?:国家)?政权|推翻(?:政府|社会主义)|煽动(?:暴乱|闹事|游行|分裂)|组织暴乱|分裂国家"),
    ("A.1.7", r"(?:编造|制造|散布|传播|写)(?:一[条篇个])?(?:谣言|假新闻|虚假信息|虚假新闻)"),
    (
        "A.4.5",
        r"偷拍|偷窥|窃听|监听(?:别人|他人|老婆|老公|女友|男友)|跟踪(?:她|他|别人|某人|前女友|前男友|前任)"
        r"|人肉(?:搜索)?|定位(?:别人|他人|某人)的?(?:手机|位置)",
    ),
    (
        "A.4.6",
        r"(?:获取|查到?|查询|搞到|拿到|弄到|盗取|窃取|偷看|打听|监视)(?:别人|他人|某人|陌生人|同事|前任|邻居|他|她|这个人|老年人)"
        r"(?:们)?的?(?:身份证|手机号|电话|住址|地址|密码|聊天记录|银行卡|隐私|个人信息|私人信息|开房记录|账户|账号|资金"
        r"|余额|薪水|健康状况|行踪)",
    ),
    ("A.4.3", r"诽谤|造谣|(?:抹黑|污蔑|诋毁)(?:他|她|别人|同事|竞争对手)"),
    ("A.4.1", r"(?:霸凌|孤立|折磨|逼疯|精神控制|PUA)(?:他|她|别人|同学|同事)|让(?:他|她|别人)(?:自杀|去死)"),
    ("A.3.2", r"内幕交易|操纵(?:股价|市场|股票)|刷单|刷好评|虚假广告|假冒(?:品牌|商品)|仿冒品|盗版"),
)
# Each tried only where one of its actions can start (first_chars.py: ~0.1 ms less per 340-character prompt).
_ACTION_RE = [(code, Scanner(re.compile(p, re.IGNORECASE))) for code, p in _ACTIONS]
_ACTION_STARTS = starts([scanner for _, scanner in _ACTION_RE])  # a clause without one of these has no action

# A cue that the user asks for help doing something (before or after the action).
_CUE_BEFORE = re.compile(
    r"怎么|怎样|如何|咋|教(?:我|你|教我|一下)|告诉我|帮(?:我|忙)|给我|替我|请你?|能不能|可不可以|可以|想要?|打算|准备|"
    r"有(?:什么|没有|啥)(?:方法|办法|技巧|途径|渠道|门路|诀窍)|(?:哪里|哪儿|去哪)(?:能|可以|才能)?(?=买|卖|搞|弄|找|学|下载)|最(?:好|快|有效|简单|容易|安全)的?"
    r"|我们?(?:需要|要|想要|得)|能否|有没有|写(?:一[篇封段个首份])?|生成|编(?:一[篇个段])?|列出|提供|描述|详细|具体|一步一步|手把手|步骤|方法|技巧|秘诀"
)
_CUE_AFTER = re.compile(
    r"^.{0,12}?(?:的?(?:方法|办法|步骤|流程|教程|配方|技巧|攻略|窍门|诀窍|途径|渠道|方式|过程|原料|材料|工具|剧本|话术|模板|最佳实践|经验|秘诀)"
    r"|怎么(?:做|弄|搞|办到|实现|操作)|有哪些(?:方法|办法|技巧)|需要(?:什么|哪些)|而不被|不被(?:发现|抓|查|察觉|追踪|判))"
)
# Evasion of detection: a strong request signal next to an action (「偷东西不被发现」).
_EVADE = re.compile(
    r"不被(?:发现|抓|查到?|察觉|追踪|警察|判)|逃避(?:警察|追查|法律|监控|侦查)|神不知鬼不觉|不留(?:痕迹|证据)"
    r"|规避(?:安全检查|安检|检查|检测|追踪|法律)|躲(?:过|避)(?:安检|检查|警察|监控)|绕过(?:安检|检测|监管|系统)|不露形迹"
    r"|不引起(?:任何)?怀疑"
)
# Protective, victim, legal or medical framing between cue and action: the user asks about, not for, harm.
_PROTECT = re.compile(
    r"防止|防范|预防|避免|防|(?<!不)被|为何|为甚么|为啥|事件|案件|不要|不能|禁止|严禁|请勿|别|三思|识别|辨别|揭穿|举报|报警|远离|抵制|打击|反对|应对|遇到|遭遇|受害|如果有人|别人.{0,4}对我|"
    r"戒掉?|治疗|康复|危害|后果|判(?:几|多|刑|处|决)|量刑|坐牢|罪名|犯法|违法|合法|法律|条例|处罚|怎么处理|赔偿|"
    r"历史|新闻|报道|原因|为什么|是什么意思|定义|区别"
)
# Asking what a thing is or whether something is one, or how to find and remove it (wave 15, on with the screen's
# ``ordinary_use``): 这条短信是不是诈骗, 什么是木马, 电脑中了木马怎么清除 — identification and defence, not a request
# to do it. Between the cue and the action like _PROTECT; the identification and defence words anywhere before the
# action in its clause, even before a later cue (怎么判断电脑有没有木马: 有没有 is a cue of its own).
_ASKED_BEFORE = re.compile(r"什么是|啥是|什么叫|啥叫|何为|判断|检测|排查|查杀|清除|中了|感染")
_ASKED = re.compile(_ASKED_BEFORE.pattern + r"|是不是|是否|算不算|属不属于")
# Right after the action: whether it is a scam or legal (帮忙刷单返利，这是不是诈骗套路).
_ASKED_AFTER = re.compile(r".{0,6}?(?:是不是|是否|算不算)[^，,。]{0,6}?(?:骗|诈|套路|陷阱|违法|犯法|犯罪|假的|真的)")
# Legal recourse before the action (怎么起诉对方诽谤, 能告他造谣吗): the user asks how to act against the harm done to
# them. Checked only before the action, never after it, where 「…而不被起诉」 would read as protective.
_RECOURSE = re.compile(r"起诉|控告|告(?:他|她|对方|发)|投诉|维权|追究")
# Role-play and hypothetical wrappers: removed from a clause before the clause is judged.
_FRAME = re.compile(
    r"^(?:假设|假如|如果|想象|设想)?(?:你(?:现在)?是|你扮演|扮演|作为|请扮演|请你扮演)[^，,。：:—]{0,24}(?:[，,：:]|——|$)"
    r"|^(?:在|写)?(?:一[个部篇本])?(?:小说|故事|剧本|游戏|电影|情节|虚构的?世界|平行世界|梦)(?:里|中|里面)?[^，,。：:—]{0,20}(?:[，,：:]|——|$)"
    r"|^(?:假设|假如|设想|想象)[^，,。：:—]{0,30}(?:[，,：:]|——|$)"
    r"|^(?:忽略|无视|忘记)(?:之前|以上|所有|你的)?[^，,。：:—]{0,16}(?:[，,：:]|——|$)"
    r"|^(?:这是|纯属|仅供|只是)?(?:学术|研究|虚构|假设|教育|科普)[^，,。：:—]{0,16}(?:[，,：:]|——|$)"
)
_CLAUSE_SPLIT = re.compile(
    r"[。！？!?；;\n]+|[，,：:](?=\s*(?:那么|然后|接着|请|你|告诉|教|写|帮|说|描述|列出|详细|具体|怎么|怎样|如何|我想|我要|哪里))"
)


# Invisible characters, filler strokes and emoji put between characters to dodge filters: removed before
# clauses are cut (the rest of the keyword layer's folding runs on each clause, after its frame is removed).
_FILLER = re.compile(
    "[\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff\u00ad丶丨丿\u2600-\u27bf\U0001f000-\U0001faff\ufe0f]+"
)


def split_clauses(text: str) -> list[str]:
    """Sentences and clause groups of ``text``, each with any leading role-play or hypothetical frame removed
    (repeatedly: 「假设你是小说作者，在故事里，主角…」 loses both frames; a frame ends at a comma, a colon or a
    dash ——), then folded like the keyword layer (width, case, Traditional script, separators). English prose
    around Chinese text is a wrapper and ends a clause (:mod:`~lingxi.compliance.frames`)."""
    return list(_clauses(text))


@by_identity()  # the intent and semantic layers cut the same text (memo.py)
def _clauses(text: str) -> tuple[str, ...]:
    out: list[str] = []
    text = _FILLER.sub("", text)
    for part in _CLAUSE_SPLIT.split(unwrap(text) or text):  # an English wrapper is a clause boundary (frames.py)
        part = part.strip()
        for _ in range(4):
            stripped = _FRAME.sub("", part, count=1).strip()
            if stripped == part:
                break
            part = stripped
        if part := normalize(part):
            out.append(part)
    return tuple(out or [normalize(text)])


def framed(text: str) -> bool:
    """Whether ``text`` wears a wrapper that :func:`split_clauses` takes off: a role-play or hypothetical frame at
    the start of a clause, or English prose around Chinese text."""
    text = _FILLER.sub("", text)
    if unwrap(text) is not None:
        return True
    return any(_FRAME.match(part.strip()) for part in _CLAUSE_SPLIT.split(text))


@dataclass(frozen=True)
class Intent:
    """One harmful request found in a clause: its risk code, the action words and the clause."""

    risk: str
    action: str
    clause: str


def _bound(clause: str, start: int, end: int, asked: bool = False) -> bool:
    """True when a request cue binds the action at ``clause[start:end]`` with no protective word between."""
    lo = max(0, start - 14)
    before = clause[lo:start]
    cue_end = -1
    for m in _CUE_BEFORE.finditer(clause[: start + 2], lo):  # +2: a cue may look ahead into the action
        if m.start() < start:
            cue_end = min(m.end(), start)  # the last cue before the action
    between = clause[cue_end:start] if cue_end >= 0 else ""
    protected = (
        _PROTECT.search(between)
        or _RECOURSE.search(between)
        or (asked and (_ASKED.search(between) or _ASKED_BEFORE.search(before) or _ASKED_AFTER.match(clause, end)))
        or _PROTECT.search(clause[end : end + 8])
    )
    if cue_end >= 0 and not protected:
        return True
    after = clause[end:]
    return bool(_CUE_AFTER.search(after) or _EVADE.search(after[:16]) or _EVADE.search(before)) and not (
        _PROTECT.search(before) or _RECOURSE.search(before) or _PROTECT.search(after[:8])
    )


# A harmful object named as the look or theme of another thing (炸弹造型的蛋糕, 枪形状的饼干): an attribute, not
# what the request makes or buys.
_ATTRIBUTE = re.compile(r"的?(?:造型|形状|外形|外观|样式|图案|主题|风格|款式|口味|模型|玩具|道具|形(?!式|势|成|象))")


# Party and board games named for a kill (剧本杀, 狼人杀, 三国杀): their 杀 is the game's name.
_KILL_GAME = re.compile(r"剧本杀|狼人杀|三国杀")


def _in_game_name(clause: str, start: int, end: int) -> bool:
    """True when the action at ``clause[start:end]`` begins with the 杀 of a game's name and ends inside a word of
    the clause's segmentation (剧本杀人物: 杀人 is 杀 of 剧本杀 and 人 of 人物); 「剧本杀人的方法」 keeps 杀人."""
    if not any(m.start() < start + 1 <= m.end() for m in _KILL_GAME.finditer(clause)):
        return False
    import jieba  # loaded only for a game name beside an action

    return any(a < end < b for _, a, b in jieba.tokenize(clause))


def find_intents(text: str, asked: bool = False) -> list[Intent]:
    """Every (risk, action, clause) where the text asks for help doing harm; empty for topic mentions. ``asked``:
    identification and defence questions (:data:`_ASKED`) are protective too."""
    found: list[Intent] = []
    for clause in split_clauses(text):
        here = "".join(_ACTION_STARTS.findall(clause)) if _ACTION_STARTS else ""
        if _ACTION_STARTS and not here:
            continue
        for code, pattern in _ACTION_RE:
            if _ACTION_STARTS and not pattern.may_match(here):
                continue
            for m in pattern.finditer(clause):
                if _ATTRIBUTE.match(clause, m.end()) or (asked and _in_game_name(clause, m.start(), m.end())):
                    continue
                if _bound(clause, m.start(), m.end(), asked):
                    found.append(Intent(code, m.group(), clause))
                    break
    return found


def request_score(text: str) -> float:
    """How much ``text`` reads as a request to the service (0–1), topic aside: a feature for the semantic
    layer, so it can tell 「怎么做 X」 from 「X 是什么」."""
    cues = sum(1 for c in split_clauses(text) if _CUE_BEFORE.search(c) or _CUE_AFTER.search(c))
    return min(1.0, cues / 2)


class IntentScreener:
    """The request-intent layer as a :class:`~lingxi.compliance.screen.Screener` (``layer="intent"``)."""

    layer = "intent"
    lookbehind = 64

    def __init__(self, *, asked: bool = False) -> None:
        self.asked = asked  # identification and defence questions are protective (wave 15, ordinary_use)

    def screen(self, text: str) -> ScreenResult:
        intents = find_intents(text, self.asked)
        if not intents:
            return PASS
        codes = tuple(sorted({i.risk for i in intents}))
        return ScreenResult("block", codes, {c: 1.0 for c in codes}, self.layer)
