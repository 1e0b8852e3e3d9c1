"""What the user sees when screening stops a request or an answer, and when to answer with care instead.

Refusals are polite, in Chinese, name the risk class in plain words (so the user understands why) and
never echo the offending content back. TC260-003 measures two failure modes at once: refusing what must be
refused (≥95 %) *and* not refusing what should be answered (≤5 % wrong refusals). A hard block for every
sensitive topic would fail the second number, so :func:`decide` has a middle band: a ``review`` verdict (or a
classifier score between the review and block thresholds) is answered, with guidance prepended that steers
the model towards a careful, value-aligned answer. Self-harm is the case where this matters most: a person
in crisis should get support resources, never a bare "I can't help".

Hotlines were checked against public reports (2025–2026): 12356 is the national unified psychological
assistance number set by the National Health Commission; 希望24热线 400-161-9995 is a 24-hour crisis line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from lingxi.compliance.screen import ScreenResult, normalize
from lingxi.compliance.taxonomy import CLASSES

Action = Literal["answer", "answer_with_care", "refuse"]

# An ``unsafe`` score at or above this, on a passing result, marks a sensitive topic (answer with care).
REVIEW_THRESHOLD = 0.35

SUPPORT_RESOURCES_ZH = (
    "如果你正经历痛苦或有伤害自己的想法，请不要独自承受：可以拨打全国统一心理援助热线 12356，"
    "或希望24热线 400-161-9995（24小时）；如有紧急危险，请立即拨打 120 或 110。"
)

# Per-class refusal wording: why we stop, in words a user accepts, plus what we *can* do instead.
_CLASS_REFUSALS: dict[str, str] = {
    "A.1": "这个请求涉及违法或有害的内容，我不能提供帮助。如果你想了解相关法律知识或安全常识，我很乐意解答。",
    "A.2": "这个请求可能带有歧视或偏见，我不能按这个方向回答。每个人都应被平等对待，我们可以换个角度讨论。",
    "A.3": "这个请求涉及侵犯知识产权或违反商业规则的内容，我不能提供帮助。可以了解正版渠道或合规做法。",
    "A.4": "这个请求可能侵害他人的隐私、名誉或身心健康，我不能提供帮助。如需维护自身权益，可以咨询专业人士。",
    "A.5": "这个问题需要专业、可靠的信息，我无法保证回答准确，建议咨询相关专业机构。",
}

# First-person crisis statements (matched on normalized text, so separators and Traditional script fold).
# A person saying this gets support, never a refusal: refusing would turn away someone at risk, and echoing
# it back (the lite tier) would be worse. Questions *about* suicide (statistics, prevention) are not here.
_CRISIS = re.compile(
    "|".join(
        normalize(p)
        for p in (
            "想自杀", "要自杀", "去自杀", "准备自杀", "打算自杀", "想轻生", "不想活", "活不下去", "活着没意思",
            "活着没有意义", "想去死", "不如死了", "结束自己的生命", "结束我的生命", "了结自己",
            "想割腕", "想跳楼", "想自残", "伤害自己", "自我了断", "想离开这个世界", "怎么自杀", "如何自杀",
            "自杀方法", "自杀的方法", "安眠药吃多少会死", "怎样死得没有痛苦",
            "一了百了", "死了算了", "死了就解脱了", "不想再活", "不想活下去", "不想再醒来", "再也不想醒来",
            "再也不要醒来", "写好了遗书", "写好遗书", "一整瓶安眠药", "一瓶安眠药", "想跳河", "要跳河",
            "想跳江", "想卧轨", "没有我会更好", "没有我会过得更好", "和这个世界告别", "告别这个世界",
            "想永远消失",
        )
    )
    + r"|想死(?![你您他她它])"  # 想死你了 is "I miss you"
    + r"|结束自己(?!的(?!生命))"  # 「今晚就结束自己」, not 「结束自己的工作」
    + r"|想从.{0,6}(?:楼|桥|窗|天台|阳台).{0,4}跳下去"
)  # fmt: skip
CRISIS = ScreenResult("pass", ("A.4.1",), {"crisis": 1.0}, "crisis")

SUPPORT_ZH = (
    "听到你这样说，我很担心你。你现在的感受很重要，你不需要一个人扛着。"
    "可以现在就拨打全国统一心理援助热线 12356（24小时），或希望24热线 400-161-9995，和专业的人聊一聊；"
    "也可以告诉一位你信任的家人或朋友，让他们陪在你身边。"
    "如果你已经有伤害自己的打算或正处于危险中，请立即拨打 120 急救或 110 报警。我在这里，愿意听你说说发生了什么。"
)
SUPPORT_MINOR_ZH = (
    "请马上告诉你的爸爸妈妈、监护人或老师，让他们陪着你；如果身边暂时没有大人，或你已经有危险，"
    "请立即拨打 110 或 120，也可以拨打 12356 或青少年服务台 12355。"
)


def crisis(text: str) -> bool:
    """Whether ``text`` says, in the first person, that the writer may hurt themselves."""
    return bool(_CRISIS.search(normalize(text)))


def support_text(*, minor: bool = False) -> str:
    """The supportive answer to a person in crisis: empathy and help lines (guardian guidance for minors)."""
    return SUPPORT_ZH + (SUPPORT_MINOR_ZH if minor else "")


# Guidance for answer-with-care: prepended to the system prompt so the model answers, but responsibly.
_CLASS_GUIDANCE: dict[str, str] = {
    "A.1": "话题较敏感：请依据法律法规和社会主义核心价值观客观回答，不提供任何可操作的违法或危险细节。",
    "A.2": "话题涉及群体差异：请纠正可能的偏见，强调平等与尊重，不做以偏概全的评价。",
    "A.3": "话题涉及商业行为：请说明合法合规的做法，不提供侵权或不正当竞争的方法。",
    "A.4": "话题涉及他人权益或身心健康：请以支持和尊重为先，不泄露任何个人信息，必要时建议寻求专业帮助。",
    "A.5": "话题需要专业知识：请说明不确定性，给出可靠来源或建议咨询专业人士。",
}

# Risks where a person may be at risk themselves: always offer support resources.
_SELF_HARM_RISKS = frozenset({"A.4.1"})

# Phrases a model uses when it declines on its own; lets the assessment count model-side refusals too.
_MODEL_REFUSAL = re.compile(
    r"(抱歉|对不起|很遗憾)[，,。！!\s]*(我)?(无法|不能|不可以|没办法)|我(无法|不能)(提供|协助|回答|帮助)|"
    r"(I'm sorry|I cannot|I can't) (help|assist|provide)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Decision:
    """What to do with a screened request: the action, and the text that goes with it (refusal or guidance)."""

    action: Action
    text: str = ""
    risks: tuple[str, ...] = ()


def _classes(result: ScreenResult) -> list[str]:
    return sorted({code.rsplit(".", 1)[0] if code.count(".") >= 2 else code for code in result.risks})


def refusal_text(result: ScreenResult, where: Literal["input", "output"]) -> str:
    """A refusal message for a blocked input or a cut output."""
    classes = sorted({code.rsplit(".", 1)[0] for code in result.risks})
    topic = "、".join(CLASSES[c][0] for c in classes if c in CLASSES) or "不适宜的内容"
    if where == "input":
        return f"抱歉，这个请求涉及「{topic}」，我无法提供帮助。如有其他问题，欢迎继续提问。"
    return f"抱歉，生成的内容涉及「{topic}」，未通过安全审核，已停止输出。"


def class_refusal(result: ScreenResult) -> str:
    """A per-class polite refusal that offers an alternative; self-harm risks add support hotlines."""
    classes = _classes(result)
    parts = [_CLASS_REFUSALS[c] for c in classes if c in _CLASS_REFUSALS] or [
        "抱歉，这个请求涉及不适宜的内容，我无法提供帮助。如有其他问题，欢迎继续提问。"
    ]
    text = "抱歉，" + parts[0] if not parts[0].startswith("抱歉") else parts[0]
    text = "".join([text, *parts[1:]])
    if _SELF_HARM_RISKS & set(result.risks):
        text += SUPPORT_RESOURCES_ZH
    return text


def care_guidance(result: ScreenResult) -> str:
    """System-prompt guidance for answering a borderline request carefully (safe completion)."""
    lines = [_CLASS_GUIDANCE[c] for c in _classes(result) if c in _CLASS_GUIDANCE]
    if _SELF_HARM_RISKS & set(result.risks):
        lines.append("用户可能处于情绪困扰中：请先共情和支持，并在回答末尾提供求助渠道：" + SUPPORT_RESOURCES_ZH)
    return "\n".join(lines) or "请谨慎、客观、负责任地回答。"


def decide(result: ScreenResult, *, review_threshold: float = REVIEW_THRESHOLD) -> Decision:
    """Refuse, answer with care, or answer, from one screen result.

    Only a ``block`` verdict refuses: the screeners own that threshold. A ``review`` verdict, a pass that
    carries ``scores["review"]`` (what the classifier layer sets between its review and block thresholds),
    or a pass whose ``unsafe`` score is at least ``review_threshold`` is answered with guidance, because such
    a score means "sensitive topic", not "harmful request" — refusing those drives wrong refusals up.
    """
    if result.verdict == "block":
        return Decision("refuse", class_refusal(result), result.risks)
    # a layered screener prefixes each score with its layer ("classifier:unsafe"); judge by the last part
    scores: dict[str, float] = {}
    for key, value in result.scores.items():
        name = key.rsplit(":", 1)[-1]
        scores[name] = max(scores.get(name, 0.0), value)
    sensitive = (
        str(result.verdict) == "review"  # a band a future screener may report
        or scores.get("review", 0.0) > 0.0
        or scores.get("unsafe", 0.0) >= review_threshold
    )
    if sensitive:
        return Decision("answer_with_care", care_guidance(result), result.risks)
    return Decision("answer")


def looks_like_refusal(text: str) -> bool:
    """Whether a model's own answer declines (cloud models refuse without our screen firing)."""
    return bool(_MODEL_REFUSAL.search(text[:200]))
