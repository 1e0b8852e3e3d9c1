"""Every structured type in the forms input methods and copy-paste produce: full-width, separated, zero-width.

A matrix, not a sample: one well-formed value per type (several formats for passports, several phrasings for
QQ), each rendered plain, in full-width digits and letters, with its digit groups separated by a space, a
dash or a middle dot (·), with zero-width characters inside, and full-width plus zero-width. A hit is the
exact rendered value with the right type. Run this file as a script to print the table.
"""

from __future__ import annotations

import sys
from collections.abc import Callable

import pytest

from lingxi.privacy.names_model import seed_model
from lingxi.privacy.pii import find_pii

FW = str.maketrans(
    "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz@._+",
    "０１２３４５６７８９ＡＢＣＤＥＦＧＨＩＪＫＬＭＮＯＰＱＲＳＴＵＶＷＸＹＺａｂｃｄｅｆｇｈｉｊｋｌｍｎｏｐｑｒｓｔｕｖｗｘｙｚ＠．＿＋",
)
ZW = ("\u200b", "\u200c", "\u200d", "\u2060", "\ufeff")

# (type, template, groups of the value): groups are joined by the separator under test; None = not grouped
CASES: list[tuple[str, str, list[str]]] = [
    ("身份证号", "身份证号码是{v}，请核对", ["330106", "19900307", "1235"]),
    ("手机号", "有事打我手机{v}", ["139", "1234", "5678"]),
    ("手机号", "联系电话：{v}", ["+86", "186", "0571", "2468"]),
    ("座机", "办公室座机{v}，工作日在", ["0571", "8888", "6666"]),
    ("座机", "北京的号码是{v}", ["010", "6552", "9988"]),
    ("400电话", "售后热线{v}全天有人", ["400", "820", "8820"]),
    ("400电话", "免费电话：{v}", ["800", "810", "5888"]),
    ("银行卡号", "工资卡号{v}，开户行招商", ["6225", "8801", "2345", "6783"]),
    ("邮箱", "简历发到{v}就行", ["zhang.wei88@example.com"]),
    ("车牌", "我的车是{v}，停在B2", ["浙A", "12345"]),
    ("车牌", "新能源车牌{v}", ["粤B", "D12345"]),
    ("护照号", "护照号{v}，下月到期", ["E12345678"]),
    ("护照号", "新版护照号码是{v}", ["EA1234567"]),
    ("护照号", "旧护照{v}已作废", ["G12345678"]),
    ("护照号", "外交护照号{v}", ["DE1234567"]),
    ("护照号", "公务护照号码：{v}", ["SE1234567"]),
    ("护照号", "因公普通护照{v}", ["PE1234567"]),
    ("QQ号", "我QQ号{v}，加一下", ["2837465"]),
    ("QQ号", "扣扣{v}", ["918273645"]),
    ("QQ号", "有事Q我，{v}", ["1029384756"]),
    ("QQ号", "企鹅号是{v}", ["56473829"]),
    ("QQ号", "qq：{v}", ["773355991"]),
    ("支付宝账号", "支付宝账号{v}，实名张伟", ["138", "0013", "8000"]),
    ("支付宝账号", "转我支付宝：{v}", ["pay.lin2024@example.com"]),
    ("微信号", "微信号：{v}，备注来意", ["wxid_k8s2m9"]),
    ("微信号", "加我vx {v}", ["linxiaoyu_88"]),
]
_GB = ["7", "9", "10", "5", "8", "4", "2", "1", "6", "3", "7", "9", "10", "5", "8", "4", "2"]


def _id_check(first17: str) -> str:
    total = sum(int(d) * int(w) for d, w in zip(first17, _GB, strict=True))
    return "10X98765432"[total % 11]


CASES[0] = (CASES[0][0], CASES[0][1], ["330106", "19900307", "123" + _id_check("33010619900307123")])


def _zero_width(v: str) -> str:
    """A zero-width character after every third character (never at either end)."""
    out = [ch + (ZW[i % len(ZW)] if i % 3 == 2 and i < len(v) - 1 else "") for i, ch in enumerate(v)]
    return "".join(out)


RENDERINGS: dict[str, Callable[[list[str]], str | None]] = {
    "plain": lambda g: "".join(g),
    "full-width": lambda g: "".join(g).translate(FW),
    "space": lambda g: " ".join(g) if len(g) > 1 else None,
    "dash": lambda g: "-".join(g) if len(g) > 1 else None,
    "middle dot": lambda g: "·".join(g) if len(g) > 1 else None,
    "zero-width": lambda g: _zero_width("".join(g)),
    "full-width + zero-width": lambda g: _zero_width("".join(g).translate(FW)),
    "full-width + space": lambda g: " ".join(g).translate(FW) if len(g) > 1 else None,
}
MODEL = seed_model()


def found(typ: str, template: str, value: str) -> bool:
    text = template.format(v=value)
    s = text.index(value)
    return any((sp.start, sp.end, sp.type) == (s, s + len(value), typ) for sp in find_pii(text, names=MODEL))


MATRIX = [
    (typ, template, name, value)
    for typ, template, groups in CASES
    for name, render in RENDERINGS.items()
    if (value := render(groups)) is not None
]


@pytest.mark.parametrize(("typ", "template", "rendering", "value"), MATRIX)
def test_every_structured_type_in_every_rendering(typ: str, template: str, rendering: str, value: str) -> None:
    assert found(typ, template, value), template.format(v=value)


if __name__ == "__main__":
    cols = list(RENDERINGS)
    print("| type | example | " + " | ".join(cols) + " |")
    print("|---" * (len(cols) + 2) + "|")
    for typ, template, groups in CASES:
        cells = []
        for name in cols:
            value = RENDERINGS[name](groups)
            cells.append("n/a" if value is None else ("✓" if found(typ, template, value) else "✗"))
        print(f"| {typ} | {''.join(groups)} | " + " | ".join(cells) + " |")
    sys.exit(0)
