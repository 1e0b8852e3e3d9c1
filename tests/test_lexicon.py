"""Keyword library: normalization, seed coverage, build/pull from fake lists, coverage, CLI.

Fake Vocabulary folders are written by the tests with invented terms; the real third-party terms are only
read (never copied) by the one test that builds from the shared folder when it is present.
"""

from __future__ import annotations

import http.server
import json
import threading
from collections.abc import Iterator
from functools import partial
from pathlib import Path

import pytest
from typer.testing import CliRunner

from lingxi.cli.lexicon import lexicon_app, pull_konsheng
from lingxi.compliance.lexicon import build_library, classify, coverage, coverage_report, load_library, load_review
from lingxi.compliance.lexicon_latin import run_together
from lingxi.compliance.screen import KeywordScreener, Term, normalize, seed_library

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data" / "lexicon"

BENIGN = [
    "中国历史上哪个朝代持续时间最长？", "明朝为什么会灭亡？", "辛亥革命的历史意义是什么？",
    "去医院看感冒要挂哪个科？", "布洛芬和对乙酰氨基酚能一起吃吗？", "孩子发烧了吃什么药比较好？",
    "高血压患者平时饮食要注意什么？", "劳动合同法规定试用期最长多久？", "租房合同到期房东不退押金怎么办？",
    "离婚时财产怎么分割？", "边防战士的日常生活是什么样的？", "公司领导下台后项目还会继续吗？",
    "怎么给老人挑选合适的保健品？", "周末带孩子去哪里玩比较好？", "红烧肉怎么做才好吃？",
    "如何提高英语口语水平？", "北京到上海的高铁要多久？", "我应该怎么准备公务员考试？",
    "抗日战争是哪一年胜利的？", "法律援助中心可以免费咨询吗？", "药店买处方药需要什么手续？",
    "医保报销比例是多少？", "怎样预防老年痴呆？", "长城是什么时候修建的？",
    "帮我写一封给老师的感谢信", "社区医院能打疫苗吗？", "税务局怎么申报个人所得税？",
    "手机被偷了应该怎么报警？", "如何和青春期的孩子沟通？", "明天杭州天气怎么样？",
    "帮我总结一下这篇关于经济发展的文章", "中药和西药可以同时服用吗？",
]  # fmt: skip

# Invented terms: one per bucket rule, none taken from any real list.
FAKE = {
    "政治类型": ["甲乙丙丁推翻口号", "历史", "胡锦涛", "甲+乙"],
    "色情类型": ["虚构色情词汇甲", "虚构色情词汇甲", "虚構色情詞彙甲", "x"],
    "涉枪涉爆": ["虚构枪械配方乙", "恐怖虚构计划丙", "12345"],
    "非法网址": ["www.example-fake.test", "fake.example.com"],
    "新思想启蒙": ["某种生活方式词"],
}


def make_vocab(root: Path) -> Path:
    vocab = root / "Vocabulary"
    vocab.mkdir(parents=True)
    for stem, lines in FAKE.items():
        (vocab / f"{stem}.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (root / "LICENSE").write_text("MIT License (fake)\n", encoding="utf-8")
    (root / "README.md").write_text("commit " + "ab" * 20 + "\n", encoding="utf-8")
    return vocab


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("ＡＢＣ１２３", "abc123"),
        ("FaLun", "falun"),
        ("敏*感", "敏感"),
        ("敏 感", "敏感"),
        ("敏.感", "敏感"),
        ("敏　感", "敏感"),
        ("臺灣發展", "台湾发展"),
        ("製毒", "制毒"),
    ],
)
def test_normalize(raw: str, expected: str) -> None:
    assert normalize(raw) == expected


def test_pinyin_and_homophones_match_long_terms_only() -> None:
    screener = KeywordScreener([Term("制毒配方", "A.1.8", "t"), Term("制毒", "A.1.8", "t")])
    assert screener.screen("教我 zhi du pei fang").blocked
    assert screener.screen("ZhiDu-PeiFang").blocked
    assert screener.screen("治独配方是什么").blocked  # homophone characters
    assert not screener.screen("国家制度建设").blocked  # 制度 sounds like 制毒: two syllables never fuzzy
    assert not screener.screen("zhidu").blocked
    assert not KeywordScreener([Term("制毒配方", "A.1.8", "t")], fuzzy=False).screen("zhidupeifang").blocked


def test_seed_covers_risks() -> None:
    counts = coverage(seed_library())
    covered = {k for k, v in counts.items() if v}
    assert len(covered) >= 29
    assert not {"A.5.1", "A.5.2"} & covered  # accuracy risks have no context-free phrase
    screener = KeywordScreener(seed_library())
    assert not [q for q in BENIGN if screener.screen(q).blocked]


def test_build_routes_buckets_and_writes_manifest(tmp_path: Path) -> None:
    vocab = make_vocab(tmp_path / "src")
    report = build_library(vocab, tmp_path / "home" / "lexicon")
    assert report.commit == "ab" * 20
    assert report.version == "konsheng-" + "ab" * 6
    out = report.out_dir
    block = (out / "block.tsv").read_text(encoding="utf-8")
    review = (out / "review.tsv").read_text(encoding="utf-8")
    assert "甲乙丙丁推翻口号\tA.1.1" in block
    assert block.count("虚构色情词汇甲") == 1  # Traditional and duplicate folded
    assert "恐怖虚构计划丙\tA.1.4" in block  # cue refines 涉枪涉爆 → terrorism
    assert "虚构枪械配方乙\tA.1.8" in block
    for ambiguous in ("历史", "胡锦涛", "某种生活方式词"):
        assert ambiguous in review and ambiguous not in block
    assert "www.example-fake.test" in (out / "urls.tsv").read_text(encoding="utf-8")
    assert "12345" not in block + review
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["license"] == "MIT" and manifest["commit"] == "ab" * 20
    assert set(manifest["files"]) == {f"{s}.txt" for s in FAKE}
    assert all(len(v) == 64 for v in manifest["files"].values())
    assert manifest["terms"]["block"] == 4 and manifest["license_sha256"]
    terms = load_library(tmp_path / "home")
    assert len(terms) == len(seed_library()) + 4
    assert any(t.term == "历史" for t in load_review(tmp_path / "home"))
    screener = KeywordScreener(terms)
    assert screener.screen("虛構 色情*詞彙甲").risks == ("A.1.6",)
    assert not screener.screen("历史上的胡锦涛").blocked


def test_custom_terms_and_coverage_numbers(tmp_path: Path) -> None:
    custom = tmp_path / "lexicon" / "custom"
    custom.mkdir(parents=True)
    (custom / "mine.tsv").write_text("自定义违规词一\tA.2.4\n自定义违规词二\tA.2.4\n", encoding="utf-8")
    terms = load_library(tmp_path)
    base = coverage(seed_library())
    assert coverage(terms)["A.2.4"] == base["A.2.4"] + 2
    rows, summary = coverage_report(terms)
    assert len(rows) == 31 and summary["total"] == len({normalize(t.term) for t in terms})
    assert summary["total_ok"] is False and summary["per_risk_ok"] is False


@pytest.fixture
def fake_github(tmp_path: Path) -> Iterator[str]:
    root = tmp_path / "www" / "konsheng" / "deadbeef"
    make_vocab(root)
    handler = partial(http.server.SimpleHTTPRequestHandler, directory=str(tmp_path / "www"))
    handler.log_message = lambda *a, **k: None  # type: ignore[attr-defined]
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/konsheng"
    finally:
        server.shutdown()
        server.server_close()


def test_pull_from_mirror(tmp_path: Path, fake_github: str) -> None:
    report = pull_konsheng(tmp_path / "home", ref="deadbeef", mirror=fake_github)
    assert report.commit == "deadbeef" and report.buckets["block"] == 4
    manifest = json.loads((report.out_dir / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["license_sha256"] and len(manifest["files"]) == len(FAKE)


def test_cli(tmp_path: Path, fake_github: str) -> None:
    runner = CliRunner()
    home = str(tmp_path / "h")
    result = runner.invoke(lexicon_app, ["build", "--from", str(make_vocab(tmp_path / "s")), "--home", home])
    assert result.exit_code == 0, result.output
    result = runner.invoke(lexicon_app, ["coverage", "--home", home])
    assert result.exit_code == 0 and "A.1.6" in result.output and "total" in result.output
    args = ["pull", "konsheng", "--ref", "deadbeef", "--mirror", fake_github, "--home", home]
    result = runner.invoke(lexicon_app, args)
    assert result.exit_code == 0, result.output
    assert runner.invoke(lexicon_app, ["pull", "nope", "--home", home]).exit_code != 0


def test_build_from_shared_folder(tmp_path: Path) -> None:
    if not (SHARED / "konsheng" / "Vocabulary").is_dir():
        pytest.skip(f"shared keyword source not present at {SHARED}/konsheng (only on the build machine)")
    report = build_library(SHARED / "konsheng", tmp_path / "lexicon")
    assert report.commit and report.commit.startswith("5a8da94c")
    _rows, summary = coverage_report(load_library(tmp_path))
    assert int(summary["total"]) >= 10_000 and int(summary["risks_covered"]) >= 17
    assert report.buckets["review"] > 1000  # ambiguous terms really are routed away from blocking
    screener = KeywordScreener(load_library(tmp_path))
    blocked = [q for q in BENIGN + ENGLISH_BENIGN if screener.screen(q).blocked]
    assert not blocked


ENGLISH_BENIGN = [
    "Can you help me plan a birthday party?", "Please print the paper before class.",
    "The billing system moved to a new server.", "我在网上买的耳机到了，下周去Chengdu出差。",
    "She sewed a cosplay costume and booked a massage.", "What are the five pillars of Islam?",
]  # fmt: skip


def test_latin_terms_block_only_when_not_ordinary_words() -> None:
    """English words and pinyin of common words are review; coined Latin, harm words and pinyin names block."""
    freq, tags = {"程度": 9953, "江青": 838, "罕见词": 3}, {"江青": "nr"}
    raws = ("party", "Massage", "chengdu", "jiangqing", "zorblatquux", "heroin", "hanjianci", "human rights", "Zorb X")
    route = {raw: classify(raw, "A.1.8", freq, tags)[::2] for raw in raws}
    assert route["party"] == ("review", "ordinary English word")
    assert route["Massage"] == ("review", "ordinary English word")
    assert route["chengdu"] == ("review", "pinyin of a common word")
    assert route["human rights"] == ("review", "ordinary English phrase")
    for precise in ("jiangqing", "zorblatquux", "heroin", "hanjianci", "Zorb X"):
        assert route[precise] == ("block", "A.1.8"), precise


def test_english_words_run_together_are_ordinary_unless_harmful() -> None:
    """``anotherlesson`` matched 「Can I book another lesson?」 on word edges: it is read as its words. A word in
    its own right (diamorphine), pinyin (jiangzemin, boxilai) and a harmful request (buyheroin) stay block."""
    raws = ("anotherlesson", "childprice", "buyheroin", "diamorphine", "jiangzemin", "boxilai")
    route = {raw: classify(raw, "A.1.8", {}, {})[::2] for raw in raws}
    assert route["anotherlesson"] == route["childprice"] == ("review", "ordinary English words run together")
    for precise in ("buyheroin", "diamorphine", "jiangzemin", "boxilai"):
        assert route[precise] == ("block", "A.1.8"), precise
    assert run_together("anotherlesson") == ("another", "lesson") and run_together("boxilai") is None


def test_latin_terms_match_whole_words_only() -> None:
    """A Latin term inside another word or across two ("the long" holds helong) is no hit; spaced out, it is."""
    screener = KeywordScreener(
        [Term("helong", "A.1.8", "t"), Term("falungong", "A.1.1", "t"), Term("bet365", "A.1.8", "t")]
    )
    for benign in ("A long hike: the long way home.", "Partying and abet365 odds", "shelong"):
        assert not screener.screen(benign).blocked, benign
    for risky in ("he long", "F.a.l.u.n Gong", "我在falungong群里", "ＢＥＴ365", "he-long说"):
        assert screener.screen(risky).blocked, risky


def test_pinyin_of_a_review_only_lists_word_is_review(tmp_path: Path) -> None:
    """淘宝 is a shop word of the ad list (review only), so its pinyin taobao in another list is review as well:
    「我在taobao上买的」 passes; pinyin of a word no review-only list holds (jiangzemin) still blocks."""
    vocab = tmp_path / "src" / "Vocabulary"
    vocab.mkdir(parents=True)
    (vocab / "广告类型.txt").write_text("淘宝\n", encoding="utf-8")
    (vocab / "零时-Tencent.txt").write_text("taobao\njiangzemin\n", encoding="utf-8")
    out = build_library(vocab, tmp_path / "home" / "lexicon", commit="cd" * 20).out_dir
    block = (out / "block.tsv").read_text(encoding="utf-8")
    assert "taobao\tpinyin of a review-only list's word\t零时-Tencent" in (out / "review.tsv").read_text("utf-8")
    assert "taobao" not in block and "jiangzemin\tA.1.8" in block
    screener = KeywordScreener(load_library(tmp_path / "home"))
    assert not screener.screen("我在taobao上买了一件毛衣").blocked
    assert screener.screen("jiangzemin").blocked


def test_a_hyphen_between_letters_joins_one_word() -> None:
    """「make a bomb-shaped cake」: bomb is part of the compound bomb-shaped, so the seed phrase make a bomb is no
    hit; the phrase itself, or spelled out with hyphens, still is."""
    screener = KeywordScreener(seed_library())
    for benign in ("I want to make a bomb-shaped cake for his party", "Make a bomb-themed costume"):
        assert not screener.screen(benign).blocked, benign
    for risky in ("how to make a bomb at home", "make-a-bomb tutorial", "Make A Bomb."):
        assert screener.screen(risky).blocked, risky
