"""The statistics behind the person-name recognizer: surname weights, given-name character scores, titles.

Why built rather than shipped: the names resource (Chinese-Names-Corpus, Apache-2.0) is not committed; a
deployer builds it with ``lingxi privacy names build --from DIR`` into ``<home>/names/<version>/`` with a
manifest (source, commit, licence, sha256s), the way the keyword library is built. Without a build the
recognizer runs on a small seed of our own (:mod:`.names_seed`: the top surnames by rank, common modern
given-name characters, titles), so redaction never depends on a download.

What every model also needs is how often a character or word occurs in *ordinary* text, so that 王国,
高兴 or 方法 lose to 王芳: that comes from jieba's dictionary (MIT, a dependency), read directly from its
``dict.txt`` rather than through ``jieba.initialize`` (which would keep 500k words in memory).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
import os
import shutil
import sys
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from lingxi.__about__ import __version__
from lingxi.errors import InvalidInput, NotFound
from lingxi.installs import install, source_commit, staging_dir
from lingxi.privacy import names_seed as seed
from lingxi.privacy.names_crf import CRF_FILE, open_tagger
from lingxi.privacy.names_whole import WHOLE_FILE

NAMES_REPO = "wainshine/Chinese-Names-Corpus"
NAMES_LICENSE = "Apache-2.0"
SURNAMES_FILE = "surnames.tsv"
GIVEN_FILE = "given_name_chars_historical.tsv"
TITLES_FILE = "address_term_roots.txt"
ANCIENT_FILE = "ancient_names.txt"
BENIGN_FILE = Path("..") / "safety" / "extra_benign.jsonl"  # ordinary text for the re-ranker's negatives
_MODERN_SHARE = 0.5  # weight of the seed's modern given-name characters beside the historical statistics
_GIVEN_CLIP = (-6.0, 4.0)
_ZIPF = 0.8  # surname frequency by rank: rank 10 ≈ 1/6 of 王, rank 100 ≈ 1/40 (the built table agrees)
_NAME_FLOOR = 1e-4  # share of a character no name statistic lists
_UNLISTED_MAX = -1.0
_MIN_WORD_FREQ = 10  # rarer dictionary words would cost a candidate under 1.6 points: not worth their memory
_RARE_SURNAME = 1e-3  # surnames under this share of the most common one make more false hits than names
_SEED_RARE = math.log(5 / 9520)  # the seed's weight for any other character after a cue: the resource's floor
_COMMON_CHAR = math.log(1e-3)  # a rare surname this common in text (有, 中, 上, 年) is read as itself even after a cue


@dataclass(frozen=True, eq=False)
class NameModel:
    """Everything the recognizer scores with; log-scale numbers so scores add up. Hashed by identity.

    ``surnames``: log of each surname's frequency relative to the most common one (王 = 0).
    ``given``: log-likelihood ratio of a character inside a given name versus in ordinary text.
    ``words``: log10 frequency of ordinary words (2–4 characters) that a name candidate may collide with.
    ``person_words``: dictionary words tagged as person names (a weak signal for, never against, a name).
    ``tags``: the dictionary's part-of-speech tag of those words (沈阳 ns, 宁静 a), a re-ranker feature.
    ``rare``: log frequency (same scale) of the single surnames :func:`_surname_logs` drops; proposed only
    right after a field or role cue (收件人：宦…), never by the general scan.
    ``slots``: the opt-in person slots (see the field).
    ``rerank``: weights of the context re-ranker (:mod:`.names_rerank`), trained at build time; empty for
    the seed, whose hand score then decides alone. ``crf``: the sequence tagger's file, likewise.
    """

    surnames: dict[str, float]
    given: dict[str, float]
    titles: frozenset[str]
    words: dict[str, float]
    person_words: frozenset[str]
    source: str
    tags: dict[str, str] = field(default_factory=dict)
    rerank: dict[str, float] = field(default_factory=dict)
    crf: str = ""  # path of the sequence tagger (:mod:`.names_crf`), trained at build time; "" for none
    rare: dict[str, float] = field(default_factory=dict)  # single surnames under the floor (see _rare_logs)
    # opt-in (``names build --person-slots``): given names in mid-text person slots and familiar shapes
    # (:mod:`.names_given`), a surname alone before a title or 家 (:mod:`.names_bare`); off by default, as it
    # did not meet the adoption rule (benchmarks/README.md, wave 12, names14)
    slots: bool = False
    # opt-in (``names build --recall-passes``): names closing clauses parallel to one closed by a clear name
    # (:mod:`.names_parallel`), vocatives and names after a naming 叫 (:mod:`.names_address`), interpunct names
    # of the wider transliteration table (:mod:`.names_forms`), rare surnames before clear given-name characters
    # (:mod:`.names_rare`); off by default (benchmarks/README.md, names16)
    recall_passes: bool = False
    # a name before a kinship term (:mod:`.names_kin`: 和平叔, 秋月婶子, 萱萱妈妈)
    kin_names: bool = True
    # opt-in (``names build --whole-tagger``): path of the whole-text tagger (:mod:`.names_whole`), a recall pass
    # trained on real sentences that needs no surname window; "" for none (benchmarks/README.md, wave 15 names)
    whole: str = ""


@dataclass(frozen=True)
class _TextStats:
    char_logp: dict[str, float]
    words: dict[str, float]
    person_words: frozenset[str]
    tags: dict[str, str]
    char_tags: dict[str, str] = field(default_factory=dict)  # one-character words' tags (汁 ng, 称 v)


def _jieba_dict() -> Path:
    import jieba

    return Path(jieba.__file__).with_name("dict.txt")


@lru_cache(maxsize=1)
def text_stats() -> _TextStats:
    """Character and word frequencies of ordinary text, from jieba's dictionary (word, frequency, tag)."""
    chars: Counter[str] = Counter()
    words: dict[str, float] = {}
    person: set[str] = set()
    tags: dict[str, str] = {}
    char_tags: dict[str, str] = {}
    with _jieba_dict().open(encoding="utf-8") as fh:
        for line in fh:
            parts = line.split()
            if len(parts) < 2:
                continue
            word, freq = parts[0], int(parts[1])
            if len(word) == 1 and len(parts) > 2:
                char_tags[word] = sys.intern(parts[2])
            for ch in word:
                chars[ch] += freq
            if 2 <= len(word) <= 4 and freq >= _MIN_WORD_FREQ:
                words[word] = math.log10(freq)
                if len(parts) > 2:
                    tags[word] = sys.intern(parts[2])
                if len(parts) > 2 and parts[2].startswith("nr") and freq < 500:
                    person.add(word)
    total = sum(chars.values())
    char_logp = {c: math.log(n / total) for c, n in chars.items()}
    return _TextStats(char_logp, words, frozenset(person), tags, char_tags)


def _given_scores(name_share: dict[str, float], stats: _TextStats) -> dict[str, float]:
    """log P(char | given name) - log P(char | text), clipped, for every character either side knows.

    A character no name statistic lists gets a small share (:data:`_NAME_FLOOR`) so that it still scores
    above a function word (的 and 是 are common in text, not in names), but never above
    :data:`_UNLISTED_MAX`: being rare in text (犬, 拾) is no evidence of being a name.
    """
    floor = min(stats.char_logp.values())
    lo, hi = _GIVEN_CLIP
    scores: dict[str, float] = {}
    for c in set(name_share) | set(stats.char_logp):
        if not "\u4e00" <= c <= "\u9fff":
            continue
        share = name_share.get(c, 0.0)
        ratio = math.log(share + _NAME_FLOOR) - stats.char_logp.get(c, floor)
        scores[c] = max(lo, min(hi if share else _UNLISTED_MAX, ratio))
    return scores


def _modern_share(historical: dict[str, float]) -> dict[str, float]:
    """Mix historical shares with the seed's modern characters (which the historical file under-weights)."""
    modern = seed.MODERN_GIVEN_CHARS
    per_modern = _MODERN_SHARE / len(modern)
    mixed = {c: p * (1 - _MODERN_SHARE) for c, p in historical.items()}
    for c in modern:
        mixed[c] = mixed.get(c, 0.0) + per_modern
    return mixed


def _surname_logs(tf: dict[str, float]) -> dict[str, float]:
    """Log frequency relative to the top surname; rare single ones are dropped (more false hits than names),
    but compound ones are kept at the floor whatever their count: 慕容 and 诸葛 are seldom anything else, and
    without them 慕容雪 would be read as 容 + 雪."""
    top = max(tf.values())
    floor = top * _RARE_SURNAME
    return {s: math.log(max(f, floor) / top) for s, f in tf.items() if f >= floor or len(s) == 2}


def _rare_logs(tf: dict[str, float], stats: _TextStats) -> dict[str, float]:
    """The single surnames :func:`_surname_logs` drops (宦, 酆, 仉…), on the same log scale: everywhere they
    would make more false hits than names, but right after 收件人： or 患者 a character is seldom anything
    else, so :mod:`.names` proposes them there (and only there) — unless it is one of the commonest
    characters of ordinary text (嘉宾有苏宁: 有 is a surname too)."""
    top = max(tf.values())
    common = {c for c, lp in stats.char_logp.items() if lp > _COMMON_CHAR}
    return {
        s: math.log(f / top) for s, f in tf.items() if 0 < f < top * _RARE_SURNAME and len(s) == 1 and s not in common
    }


def seed_model() -> NameModel:
    """The model without any built resource: seed surnames (rank → Zipf weight), modern characters, titles."""
    stats = text_stats()
    tf = {s: (rank + 1) ** -_ZIPF for rank, s in enumerate(seed.surnames_by_rank())}
    given = _given_scores(_modern_share({}), stats)
    surnames = _surname_logs(tf)
    # no list of rare surnames without a build: any other Chinese character may be one right after a cue,
    # at the weight the built resource gives its rarest (宦 and 酆 are not in the seed; the scorers judge)
    rare = {
        c: _SEED_RARE
        for c, lp in stats.char_logp.items()
        if "\u4e00" <= c <= "\u9fff" and c not in surnames and lp <= _COMMON_CHAR
    }
    return NameModel(surnames, given, seed.TITLES, stats.words, stats.person_words, "seed", tags=stats.tags, rare=rare)


# --- build ---------------------------------------------------------------------------------------------


def _read_tsv(path: Path, columns: tuple[str, str]) -> dict[str, float]:
    if not path.is_file():
        raise NotFound(f"{path}: missing", message_zh=f"缺少文件：{path.name}", hint="point --from at the names folder")
    lines = path.read_text(encoding="utf-8").splitlines()
    header = lines[0].split("\t") if lines else []
    if not all(c in header for c in columns):
        raise InvalidInput(
            f"{path}: header must name {columns}", message_zh=f"{path.name} 表头缺少 {'、'.join(columns)} 列"
        )
    key, value = (header.index(c) for c in columns)
    out: dict[str, float] = {}
    for n, line in enumerate(lines[1:], 2):
        parts = line.split("\t")
        try:
            out[parts[key]] = float(parts[value])
        except (IndexError, ValueError) as exc:
            raise InvalidInput(f"{path}:{n}: bad line", message_zh=f"{path.name} 第 {n} 行格式错误") from exc
    return out


_TITLE_ENDS = "长师总官监记授士傅夫哥姐叔姨婶伯爷奶嫂舅姑妈"


def _vetted_titles(roots: list[str], stats: _TextStats) -> list[str]:
    """Address terms worth a surname before them: the seed's, plus 2–3 character dictionary words that end
    the way ranks, trades and kin do (局长, 医师, 大姐).

    The source warns its list has many bad cases (儿, 家, 国民, 包子…); single characters other than the
    seed's are dropped, and longer roots must be ordinary words with such an ending.
    """
    kept = set(seed.TITLES)
    kept.update(r for r in roots if 2 <= len(r) <= 3 and r[-1] in _TITLE_ENDS and stats.words.get(r, 0.0) >= 2.0)
    return sorted(kept)


def build_model(
    src_dir: Path,
    out_dir: Path,
    slots: bool = False,
    recall_passes: bool = False,
    whole: bool = False,
    whole_file: Path | None = None,
) -> tuple[Path, dict[str, object]]:
    """Build ``out_dir/<version>/`` (``out_dir`` is ``<home>/names``) from the names folder; return it and
    its manifest. The version becomes current only once fully written.

    Besides the tables, the context re-ranker (:func:`.names_train.train_rerank`) and the sequence tagger
    (:func:`.names_crf_train.train_crf`) are trained here on names drawn from this folder and, when the
    sibling safety folder is there, ordinary text from it. ``slots``, ``recall_passes``: the model is loaded with
    :attr:`NameModel.slots` / :attr:`NameModel.recall_passes` on (recorded in the manifest). ``whole``: also train
    the whole-text tagger (:func:`.names_whole_train.train_whole`, from ``whole_file`` when given, else the
    shipped training text) and load it (manifest ``whole_tagger``); off, no build time is spent on it."""
    from lingxi.privacy.names_crf_train import train_crf
    from lingxi.privacy.names_train import train_rerank

    paths = {name: src_dir / name for name in (SURNAMES_FILE, GIVEN_FILE, TITLES_FILE)}
    surnames = _read_tsv(paths[SURNAMES_FILE], ("surname", "tf"))
    given = _read_tsv(paths[GIVEN_FILE], ("char", "share"))
    if not paths[TITLES_FILE].is_file():
        raise NotFound(f"{paths[TITLES_FILE]}: missing", message_zh=f"缺少文件：{TITLES_FILE}")
    roots = [r.strip() for r in paths[TITLES_FILE].read_text(encoding="utf-8").splitlines() if r.strip()]
    titles = _vetted_titles(roots, text_stats())
    files = {name: hashlib.sha256(p.read_bytes()).hexdigest() for name, p in paths.items()}
    ancient_path, benign = src_dir / ANCIENT_FILE, src_dir / BENIGN_FILE
    ancient = ancient_path.read_text(encoding="utf-8").split() if ancient_path.is_file() else []
    stats = text_stats()
    model = NameModel(
        _surname_logs(surnames),
        _given_scores(_modern_share(given), stats),
        frozenset(titles),
        stats.words,
        stats.person_words,
        "build",
        stats.tags,
    )
    weights, rerank_stats = train_rerank(model, surnames, given, ancient, benign if benign.is_file() else None)
    for extra in (ancient_path, benign):
        if extra.is_file():
            files[extra.name] = hashlib.sha256(extra.read_bytes()).hexdigest()
    commit = source_commit(src_dir)
    version = f"names-{(commit or hashlib.sha256(json.dumps(files).encode()).hexdigest())[:12]}"
    tmp, final = staging_dir(out_dir, version), out_dir / version
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    header = f"# built by lingxi {__version__} from {NAMES_REPO} ({NAMES_LICENSE}); do not commit\n"
    (tmp / "surnames.tsv").write_text(header + "".join(f"{s}\t{f}\n" for s, f in surnames.items()), "utf-8")
    (tmp / "given.tsv").write_text(header + "".join(f"{c}\t{p}\n" for c, p in given.items()), "utf-8")
    (tmp / "titles.txt").write_text(header + "".join(f"{t}\n" for t in titles), "utf-8")
    crf_stats = train_crf(model, surnames, given, ancient, benign if benign.is_file() else None, tmp / CRF_FILE)
    whole_stats: dict[str, object] | None = None
    if whole:
        from lingxi.privacy.names_whole_train import TRAIN_FILE, train_whole

        benign_file = benign if benign.is_file() else None
        whole_stats = train_whole(model, surnames, given, benign_file, tmp / WHOLE_FILE, whole_file or TRAIN_FILE)
    (tmp / "rerank.tsv").write_text(header + "".join(f"{f}\t{w!r}\n" for f, w in sorted(weights.items())), "utf-8")
    license_file = next(iter(sorted(src_dir.glob("LICENSE*"))), None)
    manifest: dict[str, object] = {
        "version": version,
        "source": f"https://github.com/{NAMES_REPO}",
        "commit": commit,
        "license": NAMES_LICENSE,
        "license_sha256": hashlib.sha256(license_file.read_bytes()).hexdigest() if license_file else None,
        "files": files,
        "counts": {"surnames": len(surnames), "given_chars": len(given), "titles": len(titles)},
        "rerank": rerank_stats,
        "crf": crf_stats,
        "person_slots": slots,
        "recall_passes": recall_passes,
        "whole_tagger": whole_stats,
        "built_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "lingxi_version": __version__,
    }
    install(out_dir, version, manifest)
    return final, manifest


# --- load ----------------------------------------------------------------------------------------------


def current_dir(home: Path) -> Path | None:
    """The built version that is current under ``<home>/names``, if any."""
    pointer = home / "names" / "CURRENT"
    if not pointer.is_file():
        return None
    folder = home / "names" / pointer.read_text(encoding="utf-8").strip()
    return folder if (folder / "manifest.json").is_file() else None


def _rows(path: Path) -> list[list[str]]:
    return [line.split("\t") for line in path.read_text(encoding="utf-8").splitlines() if line and line[0] != "#"]


def load_model(home: Path | None) -> NameModel:
    """The built model under ``home`` when there is one, else :func:`seed_model`."""
    built = current_dir(home) if home is not None else None
    if built is None:
        return seed_model()
    try:
        tf = {r[0]: float(r[1]) for r in _rows(built / "surnames.tsv")}
        share = {r[0]: float(r[1]) for r in _rows(built / "given.tsv")}
        # the seed's titles always count (a build vets the resource's roots and keeps the seed's): titles added
        # to the seed since a build was made apply to it without a rebuild
        titles = frozenset(r[0] for r in _rows(built / "titles.txt")) | seed.TITLES
        rerank_file = built / "rerank.tsv"
        rerank = {r[0]: float(r[1]) for r in _rows(rerank_file)} if rerank_file.is_file() else {}
        crf = str(built / CRF_FILE) if (built / CRF_FILE).is_file() else ""
        manifest = json.loads((built / "manifest.json").read_text(encoding="utf-8"))
        slots, recall_passes = manifest.get("person_slots") is True, manifest.get("recall_passes") is True
        whole = str(built / WHOLE_FILE) if manifest.get("whole_tagger") and (built / WHOLE_FILE).is_file() else ""
        for path in (crf, whole):
            if path:
                open_tagger(path)  # a damaged file fails here, with the hint, not in the middle of redaction
    except (OSError, IndexError, ValueError) as exc:
        raise InvalidInput(
            f"{built}: damaged names build: {exc}",
            message_zh=f"姓名资源已损坏：{built}",
            hint="rebuild: lingxi privacy names build --from DIR",
        ) from exc
    stats = text_stats()
    return NameModel(
        _surname_logs(tf),
        _given_scores(_modern_share(share), stats),
        titles,
        stats.words,
        stats.person_words,
        built.name,
        stats.tags,
        rerank,
        crf,
        _rare_logs(tf, stats),
        slots,
        recall_passes,
        whole=whole,
    )


def home_dir() -> Path:
    """The lingxi home the way :meth:`lingxi.config.Settings.load` finds it, without reading the config."""
    import platformdirs

    return Path(os.environ.get("LINGXI_HOME") or platformdirs.user_data_dir("lingxi"))


@lru_cache(maxsize=8)
def model_for(home: Path | None = None) -> NameModel:
    """One loaded model per home for the process (loading reads jieba's dictionary once, ~1 s)."""
    return load_model(home if home is not None else home_dir())
