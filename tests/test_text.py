"""Chinese sentence splitting, segmentation and word counting."""

from __future__ import annotations

import subprocess
import sys
import threading

import pytest

from lingxi.text import STOPWORDS, count_tokens, join_sentences, split_sentences, tokenize


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("今天下雨了。明天放晴！后天呢？", ["今天下雨了。", "明天放晴！", "后天呢？"]),
        ("先买菜；再做饭;最后洗碗", ["先买菜；", "再做饭;", "最后洗碗"]),
        ("真的吗？！太好了!!", ["真的吗？！", "太好了!!"]),
        ("他说：“明天见。”然后走了。", ["他说：“明天见。”", "然后走了。"]),
        ("「好的。」（已读）", ["「好的。」", "（已读）"]),
        ("书名是『三体』。(完)", ["书名是『三体』。", "(完)"]),
        ("第一行\n第二行\r\n\n  第三行。  ", ["第一行", "第二行", "第三行。"]),
        ("价格是3.5元，12:35开始。", ["价格是3.5元，12:35开始。"]),
        ("升级到 v2.0 了。", ["升级到 v2.0 了。"]),
        ("1. 买菜\n2. 做饭", ["1. 买菜", "2. 做饭"]),
        ("OK. See you at 3.30 then.", ["OK.", "See you at 3.30 then."]),
        ("我想想……好吧。", ["我想想……", "好吧。"]),
        ("", []),
        ("   \n\n 。 ", ["。"]),
    ],
)
def test_split_sentences(text: str, expected: list[str]) -> None:
    assert split_sentences(text) == expected


def test_split_sentences_keeps_every_character_but_whitespace() -> None:
    text = "周末一起爬山吗？天气预报说周六有雨；周日是晴天。“那就周日吧！”好。"
    assert "".join(split_sentences(text)) == text


def test_join_sentences_spaces_only_where_words_would_fuse() -> None:
    assert join_sentences(["今天下雨了。", "明天放晴！"]) == "今天下雨了。明天放晴！"
    assert join_sentences(["第一行", "第二行"]) == "第一行 第二行"
    assert join_sentences(["OK.", "See you."]) == "OK. See you."
    assert join_sentences([]) == ""


def test_tokenize_drops_stopwords_punctuation_and_whitespace() -> None:
    words = tokenize("我们的周六聚餐，就在 公司 附近的火锅店吧！")
    assert "周六" in words
    assert "聚餐" in words
    for dropped in ("我们", "的", "就", "在", "吧", "，", "！", " "):
        assert dropped not in words
    assert all(w.strip() == w and w for w in words)


def test_tokenize_lowercases_latin_and_keeps_numbers() -> None:
    words = tokenize("明天 OK 吗？Python 3.5 版本")
    assert "ok" in words
    assert "python" in words
    assert "OK" not in words
    assert "3.5" in words


def test_tokenize_keeps_repeats_in_order() -> None:
    assert tokenize("聚餐，聚餐，还是聚餐。") == ["聚餐", "聚餐", "聚餐"]


def test_tokenize_of_only_function_words_is_empty() -> None:
    assert tokenize("我们就在这呢吧。") == []


PROMISED_STOPWORDS = "的 了 是 在 和 也 就 都 而 及 与 着 或 一个 我们 你们 他们 这 那 吗 呢 吧 啊 呀 哦 嗯"


def test_stopwords_are_the_promised_function_words() -> None:
    assert set(PROMISED_STOPWORDS.split()) <= STOPWORDS
    assert "聚餐" not in STOPWORDS


def test_count_tokens_counts_jieba_words_including_stopwords() -> None:
    # 我们 / 的 / 周六 / 聚餐 / 。  — whitespace is not a word, punctuation and stopwords are.
    assert count_tokens("我们的 周六聚餐。") == 5
    assert count_tokens("") == 0
    assert count_tokens("   \n") == 0
    assert count_tokens("好的，谢谢！") > len(tokenize("好的，谢谢！"))


def test_jieba_initialises_once_across_threads() -> None:
    results: list[list[str]] = []

    def work() -> None:
        results.append(tokenize("周六晚上一起聚餐"))

    threads = [threading.Thread(target=work) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(results) == 8
    assert all(r == results[0] for r in results)


def test_first_use_loads_jieba_quietly() -> None:
    # A fresh interpreter, so that jieba really loads its dictionary here.
    code = "from lingxi.text import tokenize; print(tokenize('初始化不应该打印任何东西'))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True)
    assert done.stderr == ""
    assert "初始化" in done.stdout
