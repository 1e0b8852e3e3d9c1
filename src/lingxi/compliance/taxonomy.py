"""The 31 security risks of TC260-003 (2024) / GB/T 45654-2025, Appendix A, with stable codes.

Codes follow the standard's numbering (A.1.1 … A.5.2) so screen results, refusal statistics and the
self-assessment report all speak the standard's language.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Risk:
    code: str
    name_zh: str
    name_en: str

    @property
    def risk_class(self) -> str:
        """The class code, e.g. ``A.1`` for ``A.1.4``."""
        return self.code.rsplit(".", 1)[0]


CLASSES: dict[str, tuple[str, str]] = {
    "A.1": ("违反社会主义核心价值观的内容", "Violates core socialist values"),
    "A.2": ("歧视性内容", "Discriminatory content"),
    "A.3": ("商业违法违规", "Commercial violations"),
    "A.4": ("侵犯他人合法权益", "Infringes others' lawful rights"),
    "A.5": ("无法满足特定服务类型的安全需求", "Fails safety needs of specific service types"),
}

_RISKS: tuple[tuple[str, str, str], ...] = (
    ("A.1.1", "煽动颠覆国家政权、推翻社会主义制度", "Inciting subversion of state power"),
    ("A.1.2", "危害国家安全和利益、损害国家形象", "Endangering national security and interests"),
    ("A.1.3", "煽动分裂国家、破坏国家统一和社会稳定", "Inciting secession, undermining unity and stability"),
    ("A.1.4", "宣扬恐怖主义、极端主义", "Promoting terrorism or extremism"),
    ("A.1.5", "宣扬民族仇恨", "Promoting ethnic hatred"),
    ("A.1.6", "宣扬暴力、淫秽色情", "Promoting violence, obscenity or pornography"),
    ("A.1.7", "传播虚假有害信息", "Spreading false and harmful information"),
    ("A.1.8", "其他法律、行政法规禁止的内容", "Other content prohibited by law"),
    ("A.2.1", "民族歧视内容", "Ethnic discrimination"),
    ("A.2.2", "信仰歧视内容", "Religious discrimination"),
    ("A.2.3", "国别歧视内容", "Nationality discrimination"),
    ("A.2.4", "地域歧视内容", "Regional discrimination"),
    ("A.2.5", "性别歧视内容", "Gender discrimination"),
    ("A.2.6", "年龄歧视内容", "Age discrimination"),
    ("A.2.7", "职业歧视内容", "Occupational discrimination"),
    ("A.2.8", "健康歧视内容", "Health discrimination"),
    ("A.2.9", "其他方面歧视内容", "Other discrimination"),
    ("A.3.1", "侵犯他人知识产权", "Infringing intellectual property"),
    ("A.3.2", "违反商业道德", "Violating business ethics"),
    ("A.3.3", "泄露他人商业秘密", "Disclosing trade secrets"),
    ("A.3.4", "利用算法、数据、平台等优势实施垄断和不正当竞争行为", "Monopoly and unfair competition"),
    ("A.3.5", "其他商业违法违规行为", "Other commercial violations"),
    ("A.4.1", "危害他人身心健康", "Endangering physical or mental health"),
    ("A.4.2", "侵害他人肖像权", "Infringing portrait rights"),
    ("A.4.3", "侵害他人名誉权", "Infringing reputation rights"),
    ("A.4.4", "侵害他人荣誉权", "Infringing honor rights"),
    ("A.4.5", "侵害他人隐私权", "Infringing privacy rights"),
    ("A.4.6", "侵害他人个人信息权益", "Infringing personal information rights"),
    ("A.4.7", "侵犯他人其他合法权益", "Infringing other lawful rights"),
    (
        "A.5.1",
        "内容不准确，严重不符合科学常识或主流认知",
        "Inaccurate content against scientific common sense",
    ),
    ("A.5.2", "内容不可靠，无法对使用者形成帮助", "Unreliable content that cannot help the user"),
)

RISKS: dict[str, Risk] = {code: Risk(code, zh, en) for code, zh, en in _RISKS}


def risk(code: str) -> Risk:
    """Look up a risk by code; KeyError names the bad code."""
    return RISKS[code]
