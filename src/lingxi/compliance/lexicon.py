"""The keyword library: build it from licensed raw lists, load it, and count its coverage of the standard.

Why it is built rather than shipped: raw third-party lists (konsheng/Sensitive-lexicon, MIT) are never
committed; a deployer builds them on their own machine into ``<home>/lexicon/<version>/`` with a manifest
recording source, commit, licence and sha256s. Raw lists used blindly block a third of benign questions
(names of historical figures, 下台, 边防…), so the build routes terms into buckets:

- ``block.tsv``: context-free phrases, mapped to a TC260-003 risk code; a hit blocks.
- ``review.tsv``: ambiguous terms (common words by jieba's dictionary frequency, person/place/organization
  names, co-occurrence rules written ``a+b``, short ASCII): never block, offered to the classifier as features.
- a term with no harm cue that is a dictionary word or is made only of common dictionary words (联系方式,
  工资待遇, 中国和平) goes to review too: catch-all words never block alone.
- a block term whose pinyin or homophone key equals an everyday word's (孔布煮意 ~ 恐怖主义, 中国正腐 ~
  中国政府) gets ``exact`` in its fourth column: it is matched as written only.
- a Latin term that is an ordinary English word or the pinyin of a common word (party, massage, chengdu) goes to
  review too (:mod:`lingxi.compliance.lexicon_latin`); harm words the English layer names stay block. So does the
  pinyin of a review-only list's word (``taobao`` of the ad list's 淘宝): a shop word typed in pinyin is one still.
- ``urls.tsv``: domains, kept apart because a stripped domain (``9899cn``) matches inside ordinary text.
Junk (one character, pure digits, empty after normalization) is dropped and counted.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import re
import shutil
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from lingxi.__about__ import __version__
from lingxi.compliance.lexicon_latin import PinyinIndex, ordinary_latin
from lingxi.compliance.screen import Term, homophone_key, normalize, pinyin_key, read_library, seed_library
from lingxi.compliance.taxonomy import RISKS
from lingxi.errors import InvalidInput, NotFound
from lingxi.installs import install, source_commit, staging_dir

KONSHENG_REPO = "konsheng/Sensitive-lexicon"
KONSHENG_LICENSE = "MIT"
_URL = re.compile(r"^(https?://)?([a-z0-9-]+\.)+[a-z]{2,}(/\S*)?$", re.IGNORECASE)
COMMON_FREQ = 100  # jieba dictionary frequency at or above which a term is an everyday word
_MIXED_DEFAULT = ("A.1.8",)  # lists whose default is a catch-all: their dictionary words are likely benign
_MIXED_FREQ = 5
_NAME_TAGS = ("nr", "ns", "nt", "nrt", "nrfg", "nz")

# Source file (stem) → default risk code, or None for "everything goes to review".
# 政治/反动: subversion (A.1.1); 暴恐: terrorism (A.1.4); 涉枪涉爆: illegal weapons and explosives (A.1.8,
# "other prohibited by law"); 色情: obscenity (A.1.6); 贪腐: slurs against the state and its officials
# (A.1.2, national image); 广告: ad and shop words, review only (commerce is legal); COVID-19: rumours
# (A.1.7); 新思想启蒙: lifestyle slang with no stable harmful reading (review only). The mixed lists default
# to A.1.8 and are refined by cues.
FILE_RISKS: dict[str, str | None] = {
    "政治类型": "A.1.1",
    "反动词库": "A.1.1",
    "暴恐词库": "A.1.4",
    "涉枪涉爆": "A.1.8",
    "色情类型": "A.1.6",
    "色情词库": "A.1.6",
    "贪腐词库": "A.1.2",
    "广告类型": None,  # shop and ad words (网购, 到货, 代购, 本店): context decides
    "COVID-19词库": "A.1.7",
    "新思想启蒙": None,
    "民生词库": "A.1.8",
    "GFW补充词库": "A.1.8",
    "网易前端过滤敏感词库": "A.1.8",
    "零时-Tencent": "A.1.8",
    "补充词库": "A.1.8",
    "其他词库": "A.1.8",
    "非法网址": "A.1.8",
}
# Cues that refine a term's risk inside any list, checked in order (first match wins).
CUES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("A.1.3", ("台独", "藏独", "疆独", "港独", "独立建国", "独立运动", "分裂国家", "东突")),
    ("A.1.4", ("恐怖", "圣战", "袭击", "人体炸弹", "自杀式", "爆炸案")),
    ("A.1.5", ("灭族", "民族仇恨", "屠杀")),
    ("A.1.6", ("色情", "淫", "做爱", "性交", "裸聊", "强奸", "乱伦", "援交", "卖淫", "嫖", "砍杀", "血腥")),
    ("A.4.6", ("身份证号", "个人信息", "开房记录", "户籍信息")),
    ("A.1.1", ("颠覆", "推翻", "共产党", "中共", "共匪", "暴政")),
    (
        "A.1.8",
        ("枪", "炸药", "爆炸物", "雷管", "毒品", "冰毒", "海洛因", "赌", "假币", "假证", "窃听", "银行卡", "代开"),
    ),
)


@dataclass
class LibraryReport:
    """What a build produced: where, how many per bucket and per risk, and from which source."""

    out_dir: Path
    version: str
    source: str
    commit: str | None
    buckets: dict[str, int] = field(default_factory=dict)
    risks: dict[str, int] = field(default_factory=dict)
    files: dict[str, str] = field(default_factory=dict)


def vocabulary_dir(src_dir: Path) -> Path:
    """Accept the repository root, its ``Vocabulary/`` folder, or a parent holding ``konsheng/``."""
    for cand in (src_dir / "Vocabulary", src_dir / "konsheng" / "Vocabulary", src_dir):
        if cand.is_dir() and any(cand.glob("*.txt")):
            return cand
    raise NotFound(
        f"{src_dir}: no Vocabulary/*.txt files",
        message_zh=f"目录中没有词库文件：{src_dir}",
        hint="point --from at a copy of konsheng/Sensitive-lexicon (or its Vocabulary folder)",
    )


@functools.cache  # read-only tables of the installed jieba dictionary: one copy per process
def _common_words() -> tuple[dict[str, int], dict[str, str]]:
    import jieba
    import jieba.posseg

    jieba.setLogLevel(60)
    jieba.initialize()
    return dict(jieba.dt.FREQ), dict(jieba.posseg.dt.word_tag_tab)


def classify(
    raw: str, file_risk: str | None, freq: dict[str, int], tags: dict[str, str], pinyin: PinyinIndex | None = None
) -> tuple[str, str, str]:
    """(bucket, normalized term, risk or reason) for one raw line; bucket is block, review, url or junk.

    ``pinyin`` is the dictionary's pinyin index (:class:`PinyinIndex`), built once per build; built here if absent.
    """
    line = raw.strip().lstrip("\ufeff")
    if _URL.match(line) and "." in line:
        return "url", line.lower(), "url"
    if "+" in line:
        return "review", normalize(line.replace("+", " ")), "co-occurrence rule"
    term = normalize(line)
    if len(term) <= 1 or term.isdigit():
        return "junk", term, "too short or digits"
    if term.isascii() and len(term) <= 4:
        return "review", term, "short latin"
    if term.isascii() and (why := ordinary_latin(line, term, pinyin or _pinyin_index(freq, tags))) is not None:
        return "review", term, why
    if freq.get(term, 0) >= COMMON_FREQ:
        return "review", term, "common word"
    if tags.get(term, "").startswith(_NAME_TAGS):
        return "review", term, "name"
    if file_risk is None:
        return "review", term, "no stable harmful reading"
    risk = next((code for code, cues in CUES if any(c in term for c in cues)), None)
    if risk is None and file_risk in _MIXED_DEFAULT and freq.get(term, 0) >= _MIXED_FREQ:
        return "review", term, "dictionary word in a mixed list"
    if risk is None and file_risk in _MIXED_DEFAULT and len(term) <= 3:
        return "review", term, "short term in a mixed list (要不要, 你爸: everyday speech)"
    if risk is None and _fragment(term, freq):
        return "review", term, "fragment of a common word"
    if risk is None and _everyday(term, freq):
        return "review", term, "dictionary word or made of common words (catch-all)"
    return "block", term, risk or file_risk


# keyed by the dictionary object itself (held here, so its id cannot be reused by another dict)
_PINYIN_CACHE: list[tuple[dict[str, int], PinyinIndex]] = []


def _pinyin_index(freq: dict[str, int], tags: dict[str, str]) -> PinyinIndex:
    """One index per dictionary object, kept for the next build in this process: it is the pinyin of every
    common dictionary word (a minute of pypinyin on a slow core, whatever the keyword source's size)."""
    if not _PINYIN_CACHE or _PINYIN_CACHE[0][0] is not freq:
        _PINYIN_CACHE[:] = [(freq, PinyinIndex.build(freq, tags, COMMON_FREQ))]
    return _PINYIN_CACHE[0][1]


def _everyday(term: str, freq: dict[str, int]) -> bool:
    """A dictionary word, or a phrase jieba splits into common multi-character words only (联系方式, 两岸关系)."""
    import jieba

    if term in freq:
        return True
    words = jieba.lcut(term, HMM=False)
    return len(words) >= 2 and all(len(w) >= 2 and freq.get(w, 0) >= COMMON_FREQ for w in words)


@functools.cache  # it depends on the installed dictionary only: once per process (a rebuild, the tests)
def _fuzzy_collisions() -> frozenset[str]:
    """Pinyin and homophone keys of dictionary words: a block term with one of these keys is matched exactly."""
    keys: set[str] = set()
    for word in _common_words()[0]:
        key = normalize(word)
        if len(key) >= 3:
            keys.add(homophone_key(key))
            if (pinyin := pinyin_key(key)) is not None:
                keys.add(pinyin)
    return frozenset(keys)


def _fuzzy_safe(term: str, collisions: frozenset[str]) -> bool:
    return homophone_key(term) not in collisions and pinyin_key(term) not in collisions


def _fragment(term: str, freq: dict[str, int]) -> bool:
    """``务员考试``: a cut-off word (no dictionary prefix) glued to a common word; matches benign text."""
    for cut in (1, 2):
        head, tail = term[:cut], term[cut:]
        if len(tail) >= 2 and freq.get(tail, 0) >= COMMON_FREQ and not freq.get(head) and not freq.get(term[: cut + 1]):
            return True
    return False


def _review_pinyin_of_review_lists(buckets: dict[str, dict[str, tuple[str, str]]], review_only: set[str]) -> None:
    """A Latin block term that is the pinyin of a review-only list's word (``taobao`` of 淘宝, a shop word of the ad
    list) goes to review with that word: a word is as ambiguous typed in pinyin as written in characters (「我在
    taobao上买的」 blocked as A.1.8), and typed pinyin is spelled back for every other layer (restored.py) anyway."""
    from pypinyin import lazy_pinyin

    spelled = {"".join(lazy_pinyin(w)) for w in review_only}
    for term in [t for t in buckets["block"] if t.isascii() and t in spelled]:
        _, src = buckets["block"].pop(term)
        buckets["review"].setdefault(term, ("pinyin of a review-only list's word", src))


def build_library(src_dir: Path, out_dir: Path, *, commit: str | None = None) -> LibraryReport:
    """Build block/review/url lists from a konsheng ``Vocabulary`` folder into ``out_dir/<version>/``.

    ``out_dir`` is ``<home>/lexicon``; the new version becomes current only once fully written.
    """
    vocab = vocabulary_dir(src_dir)
    commit = commit or source_commit(vocab)
    freq, tags = _common_words()
    pinyin = _pinyin_index(freq, tags)
    files: dict[str, str] = {}
    buckets: dict[str, dict[str, tuple[str, str]]] = {"block": {}, "review": {}, "url": {}}
    counts: Counter[str] = Counter()
    review_only: set[str] = set()  # Han terms of the review-only lists (shop and ad words)
    for path in sorted(vocab.glob("*.txt")):
        data = path.read_bytes()
        files[path.name] = hashlib.sha256(data).hexdigest()
        file_risk = FILE_RISKS.get(path.stem, "A.1.8")
        for raw in data.decode("utf-8", errors="replace").splitlines():
            if not raw.strip():
                continue
            bucket, term, why = classify(raw, file_risk, freq, tags, pinyin)
            counts[bucket] += 1
            if file_risk is None and path.stem in FILE_RISKS and term and not term.isascii():
                review_only.add(term)
            if bucket == "junk" or not term:
                continue
            if bucket == "url" and path.stem != "非法网址":
                why = "url"
            if bucket == "block" and term in buckets["review"]:
                continue  # a term ambiguous anywhere stays ambiguous
            if bucket == "review":
                buckets["block"].pop(term, None)
            buckets[bucket].setdefault(term, (why, path.stem))
    _review_pinyin_of_review_lists(buckets, review_only)
    version = f"konsheng-{(commit or hashlib.sha256(json.dumps(files).encode()).hexdigest())[:12]}"
    final, tmp = out_dir / version, staging_dir(out_dir, version)
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    header = f"# built by lingxi {__version__} from {KONSHENG_REPO} ({KONSHENG_LICENSE}); do not commit\n"
    collisions = _fuzzy_collisions()
    for name, rows in buckets.items():
        body = "".join(
            f"{t}\t{risk}\t{src}" + ("" if name != "block" or _fuzzy_safe(t, collisions) else "\texact") + "\n"
            for t, (risk, src) in sorted(rows.items())
        )
        (tmp / ("urls.tsv" if name == "url" else f"{name}.tsv")).write_text(header + body, encoding="utf-8")
    risks = Counter(risk for risk, _ in buckets["block"].values())
    license_file = next((p for p in (vocab.parent / "LICENSE", vocab / "LICENSE") if p.is_file()), None)
    manifest = {
        "version": version,
        "source": f"https://github.com/{KONSHENG_REPO}",
        "commit": commit,
        "license": KONSHENG_LICENSE,
        "license_sha256": hashlib.sha256(license_file.read_bytes()).hexdigest() if license_file else None,
        "files": files,
        "lines": dict(counts),
        "terms": {k: len(v) for k, v in buckets.items()},
        "block_risks": dict(sorted(risks.items())),
        "built_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "built_at_ms": int(time.time() * 1000),
        "lingxi_version": __version__,
    }
    install(out_dir, version, manifest)
    return LibraryReport(
        final,
        version,
        f"https://github.com/{KONSHENG_REPO}",
        commit,
        {k: len(v) for k, v in buckets.items()},
        dict(risks),
        dict(files),
    )


def current_dir(home: Path) -> Path | None:
    """The built version that is current under ``<home>/lexicon``, if any."""
    pointer = home / "lexicon" / "CURRENT"
    if not pointer.is_file():
        return None
    folder = home / "lexicon" / pointer.read_text(encoding="utf-8").strip()
    return folder if (folder / "block.tsv").is_file() else None


def _read_block(path: Path) -> list[Term]:
    terms: list[Term] = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line or line.startswith("#"):
            continue
        parts = line.split("\t")
        if len(parts) < 2 or parts[1] not in RISKS:
            raise InvalidInput(f"{path}:{n}: bad line", message_zh=f"词库 {path.name} 第 {n} 行格式错误")
        fuzzy = len(parts) < 4 or parts[3] != "exact"
        terms.append(Term(parts[0], parts[1], f"{path.parent.name}/{path.name}", fuzzy))
    return terms


def load_library(home: Path) -> list[Term]:
    """Seed terms + the current built ``block.tsv`` + any deployer ``<home>/lexicon/custom/*.tsv``."""
    terms = seed_library()
    built = current_dir(home)
    if built is not None:
        terms += _read_block(built / "block.tsv")
    custom = home / "lexicon" / "custom"
    if custom.is_dir():
        for path in sorted(custom.glob("*.tsv")):
            terms += read_library(path)
    return terms


def load_review(home: Path) -> list[Term]:
    """Ambiguous terms of the current build, for the classifier layer as features (never to block)."""
    built = current_dir(home)
    if built is None:
        return []
    terms = []
    for line in (built / "review.tsv").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            term, why, src = [*line.split("\t"), "", ""][:3]
            terms.append(Term(term, why, src))
    return terms


def coverage(terms: list[Term]) -> dict[str, int]:
    """Distinct normalized terms per risk code (all 31 listed, zero where none)."""
    seen: dict[str, set[str]] = {code: set() for code in RISKS}
    for t in terms:
        seen[t.risk].add(normalize(t.term))
    return {code: len(v) for code, v in seen.items()}


MINIMUMS = {"A.1": 200, "A.2": 100}
MIN_TOTAL = 10_000
MIN_RISKS = 17


@dataclass(frozen=True)
class CoverageRow:
    code: str
    name_zh: str
    count: int
    minimum: int

    @property
    def ok(self) -> bool:
        return self.count >= self.minimum


def coverage_report(terms: list[Term]) -> tuple[list[CoverageRow], dict[str, int | bool]]:
    """Per-risk rows against the standard's minimums, and totals; only block terms should be passed in."""
    counts = coverage(terms)
    rows = [CoverageRow(c, RISKS[c].name_zh, n, MINIMUMS.get(RISKS[c].risk_class, 0)) for c, n in counts.items()]
    total = len({normalize(t.term) for t in terms})
    covered = sum(1 for n in counts.values() if n)
    summary: dict[str, int | bool] = {
        "total": total,
        "risks_covered": covered,
        "total_ok": total >= MIN_TOTAL,
        "risks_ok": covered >= MIN_RISKS,
        "per_risk_ok": all(r.ok for r in rows),
    }
    return rows, summary
