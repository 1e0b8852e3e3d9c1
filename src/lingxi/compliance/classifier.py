"""The classifier layer: a fast CPU text classifier (char 1–3-gram hashing + linear models).

Why this design: the keyword layer misses paraphrases, and an LLM guard costs hundreds of milliseconds.
A linear model over hashed character n-grams needs no word segmentation (Chinese has no spaces), trains in
seconds on two cores, and scores one prompt in well under a millisecond.

* Features: scikit-learn's stateless ``HashingVectorizer(analyzer="char", ngram_range=(1, 3))`` over the
  same :func:`~lingxi.compliance.screen.normalize` the keyword layer uses, so separator evasions fold too.
  Because the vectorizer is stateless, the saved model is two weight arrays in ``weights.npz`` (loaded
  with ``allow_pickle=False``) plus ``manifest.json``: no pickle is ever loaded from disk.
* Binary head: *block* vs *pass*. The target is ``expected_behavior in {refuse, flag}``, not the data's
  ``label``: ``label: unsafe`` marks a risk *topic* (help-seeking mental-health questions are "unsafe"),
  and a screener that blocks those fails the should-not-refuse bank. ``safe_response`` items go to the model,
  which answers them carefully.
* Risk head: one-vs-rest log-loss SGD (softmaxed) over TC260 codes (:func:`risk_code` maps the data's
  category to a code), trained on the block-worthy items only; it names the risk of a block.
* Split: 20 % held out by the sha256 of the NFKC/whitespace-normalized text, so the split never depends on
  file order and duplicates never straddle it. Everything uses a fixed seed: same data, same weights, same predictions.

Trained on third-party data, so the model lives in ``<home>/models/safety-classifier/`` and is never committed.
"""

from __future__ import annotations

import hashlib
import json
import math
import time
import unicodedata
import warnings
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from lingxi.compliance.screen import PASS, ScreenResult, normalize
from lingxi.compliance.taxonomy import RISKS
from lingxi.errors import InvalidInput, NotFound

VERSION = "1"
SEED = 20240601
N_FEATURES = 2**18
HELD_OUT_PERCENT = 20
BLOCK_BEHAVIORS = frozenset({"refuse", "flag"})
# Texts that mention sensitive topics but must not be blocked are rare (CValues: 164 of 18k) and look like the
# block-worthy ones; weighting them 5× cut wrong blocks on held-out responsible_answer items from 17 % to 6 %
# for 0.6 points of block F1 (benchmarks/bench_classifier.py).
HARD_NEGATIVES = frozenset({"responsible_answer", "safe_response"})
HARD_NEGATIVE_WEIGHT = 5.0
MIN_RISK_EXAMPLES = 8  # rarer codes fold into their class's catch-all code
DIRNAME = "safety-classifier"

_BY_NAME = {r.name_zh: r.code for r in RISKS.values()}
_ALIASES = {
    "宣扬暴力": "A.1.6", "宣扬淫秽色情": "A.1.6", "种族歧视内容": "A.2.1", "肤色歧视内容": "A.2.1",
    "侵害他人其他合法权益": "A.4.7", "侵害其他合法权益": "A.4.7", "违反商业道德": "A.3.2",
    "gender": "A.2.5", "race": "A.2.1", "region": "A.2.4",
    "Privacy_And_Property": "A.4.5", "Crimes_And_Illegal_Activities": "A.1.8",
}  # fmt: skip
_CATCH_ALL = {"A.1": "A.1.8", "A.2": "A.2.9", "A.3": "A.3.5", "A.4": "A.4.7", "A.5": "A.5.2"}


def risk_code(category_src: str, risk: str) -> str | None:
    """Map a record's upstream category (``违法犯罪/诈骗``, ``race/offensive``) and class to a TC260 code.

    The leaf category often *is* a TC260 risk name (``地域歧视内容`` → A.2.4); otherwise an alias or the
    class's catch-all code. A leaf whose code lies in another class than ``risk`` loses to ``risk``'s
    catch-all (the dataset's class was assigned with more context). ``other``/``none`` give None.
    """
    if risk not in _CATCH_ALL:
        return None
    for part in reversed(category_src.split("/")):
        code = _BY_NAME.get(part) or _ALIASES.get(part)
        if code and code.startswith(risk + "."):
            return code
    return _CATCH_ALL[risk]


@dataclass(frozen=True)
class Example:
    text: str
    block: bool
    risk: str | None  # TC260 code, when block-worthy and mappable
    behavior: str = "pass"  # the record's expected_behavior


def read_examples(path: Path) -> list[Example]:
    """Read a safety JSONL file (or every ``*.jsonl`` in a directory), schema as in the shared safety data."""
    files = sorted(path.glob("*.jsonl")) if path.is_dir() else [path]
    if not files or not all(f.is_file() for f in files):
        raise NotFound(f"{path}: no JSONL data", message_zh=f"找不到训练数据：{path}", hint="pass a .jsonl file or dir")
    out: list[Example] = []
    for f in files:
        for n, line in enumerate(f.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            try:
                r = json.loads(line)
                block = r["expected_behavior"] in BLOCK_BEHAVIORS
                code = risk_code(r.get("category_src", ""), r.get("risk", "none")) if block else None
                out.append(Example(str(r["text"]), block, code, str(r["expected_behavior"])))
            except (ValueError, KeyError, TypeError) as e:
                raise InvalidInput(
                    f"{f.name}:{n}: bad record ({e})",
                    message_zh=f"{f.name} 第 {n} 行不是合法的记录",
                    hint="each line needs text and expected_behavior",
                ) from None
    return out


def held_out(text: str) -> bool:
    """Deterministic 20 % split on the normalized text (stable across runs, file orders and machines)."""
    # own normalization (NFKC + whitespace), not screen.normalize: the split must not move when the keyword
    # layer's normalization changes
    key = " ".join(unicodedata.normalize("NFKC", text).split())
    digest = hashlib.sha256(key.encode()).digest()
    return int.from_bytes(digest[:8], "big") % 100 < HELD_OUT_PERCENT


def _vectorizer() -> Any:
    # scikit-learn is imported where it is used: it costs ~1 s at import, and most processes never train or
    # load a classifier (every `lingxi` command imports this module through the facade)
    from sklearn.feature_extraction.text import HashingVectorizer  # type: ignore[import-untyped, unused-ignore]

    return HashingVectorizer(
        analyzer="char",
        ngram_range=(1, 3),
        n_features=N_FEATURES,
        alternate_sign=False,
        lowercase=False,
        preprocessor=normalize,
        dtype=np.float32,
    )


@dataclass(frozen=True)
class ClassMetrics:
    label: str
    precision: float
    recall: float
    f1: float
    support: int


@dataclass(frozen=True)
class TrainReport:
    out_dir: Path
    data_sha256: str
    n_train: int
    n_test: int
    binary: list[ClassMetrics]  # "block" and "pass" on the held-out split
    risk: list[ClassMetrics]  # per TC260 code, held-out block-worthy items
    seconds: float
    threshold: float


def _metrics(truth: list[str], pred: list[str], labels: list[str]) -> list[ClassMetrics]:
    from sklearn.metrics import precision_recall_fscore_support  # type: ignore[import-untyped, unused-ignore]

    p, r, f, s = precision_recall_fscore_support(truth, pred, labels=labels, zero_division=0)
    return [ClassMetrics(lab, float(p[i]), float(r[i]), float(f[i]), int(s[i])) for i, lab in enumerate(labels)]


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    for f in sorted(path.glob("*.jsonl")) if path.is_dir() else [path]:
        h.update(f.read_bytes())
    return h.hexdigest()


def train(
    data_path: Path | str,
    out_dir: Path | str,
    *,
    threshold: float = 0.5,
    progress: Callable[[str], None] | None = None,
) -> TrainReport:
    """Train both heads on the 80 % split, measure on the 20 % split, save weights and manifest to ``out_dir``."""
    from sklearn.exceptions import ConvergenceWarning  # type: ignore[import-untyped, unused-ignore]
    from sklearn.linear_model import (  # type: ignore[import-untyped, unused-ignore]
        LogisticRegression,
        SGDClassifier,
    )

    started = time.perf_counter()
    say = progress or (lambda _msg: None)
    data_path, out_dir = Path(data_path), Path(out_dir)
    say("读取数据 reading data")
    examples = read_examples(data_path)
    counts = Counter(e.risk for e in examples if e.block)
    risk_of = {e: (e.risk if counts[e.risk] >= MIN_RISK_EXAMPLES else _CATCH_ALL[e.risk[:3]]) if e.risk else None
               for e in set(examples)}  # fmt: skip
    test = [held_out(e.text) for e in examples]
    tr = [e for e, t in zip(examples, test, strict=True) if not t]
    te = [e for e, t in zip(examples, test, strict=True) if t]
    if len({e.block for e in tr}) < 2:
        raise InvalidInput(
            "training data needs both block and pass items", message_zh="训练数据须同时含有应拦截与正常样本"
        )
    vec = _vectorizer()
    say(f"训练二分类 binary head on {len(tr)} items")
    x_tr = vec.transform([e.text for e in tr])
    binary = LogisticRegression(C=8.0, solver="liblinear", random_state=SEED, max_iter=200)
    weights = np.array([HARD_NEGATIVE_WEIGHT if e.behavior in HARD_NEGATIVES else 1.0 for e in tr])
    binary.fit(x_tr, np.array([e.block for e in tr]), sample_weight=weights)
    risk_train = [(i, risk_of[e]) for i, e in enumerate(tr) if risk_of[e]]
    labels = sorted({code for _, code in risk_train if code})
    say(f"训练风险分类 risk head over {len(labels)} codes")
    if len(labels) >= 2:
        # SGD (one-vs-rest log loss) instead of multinomial lbfgs: ~1 s instead of ~30 s on 2 cores, same argmax
        head = SGDClassifier(loss="log_loss", alpha=1e-5, max_iter=30, tol=1e-4, random_state=SEED,
                             class_weight="balanced")  # fmt: skip
        with warnings.catch_warnings():  # a few epochs suffice; the held-out metrics say how well
            warnings.simplefilter("ignore", ConvergenceWarning)
            head.fit(x_tr[[i for i, _ in risk_train]], [c for _, c in risk_train])
        coef, b = head.coef_, head.intercept_
        if coef.shape[0] == 1:  # two codes: sklearn keeps one row; softmax over (-z, z) is the same sigmoid
            coef, b = np.vstack([-coef, coef]) / 2, np.concatenate([-b, b]) / 2
        risk_coef, risk_b = coef.astype(np.float32), b.astype(np.float32)
        labels = [str(c) for c in head.classes_]
    else:  # one code (or none): the head is a constant
        risk_coef, risk_b = np.zeros((len(labels), N_FEATURES), np.float32), np.zeros(len(labels), np.float32)
    out_dir.mkdir(parents=True, exist_ok=True)
    np.savez(
        out_dir / "weights.npz",
        binary_coef=binary.coef_[0].astype(np.float32),
        binary_b=np.float32(binary.intercept_[0]),
        risk_coef=risk_coef,
        risk_b=risk_b,
        risk_labels=np.array(labels, dtype=str),
    )
    say("评估 evaluating on held-out split")
    model = ClassifierScreener.from_arrays(out_dir, threshold=threshold)
    probs = model.block_proba([e.text for e in te]) if te else np.zeros(0)
    pred = ["block" if p >= threshold else "pass" for p in probs]
    bin_metrics = _metrics(["block" if e.block else "pass" for e in te], pred, ["block", "pass"])
    risky = [e for e in te if risk_of.get(e)]
    risk_pred = [c or "" for c in model.top_risks([e.text for e in risky])]
    risk_metrics = _metrics([str(risk_of[e]) for e in risky], risk_pred, labels) if risky else []
    report = TrainReport(out_dir, _sha256(data_path), len(tr), len(te), bin_metrics, risk_metrics,
                         time.perf_counter() - started, threshold)  # fmt: skip
    manifest = {
        "version": VERSION,
        "kind": "char-ngram-hashing-logreg",
        "features": {"analyzer": "char", "ngram_range": [1, 3], "n_features": N_FEATURES, "normalize": "screen"},
        "target": "expected_behavior in " + ",".join(sorted(BLOCK_BEHAVIORS)),
        "hard_negative_weight": {b: HARD_NEGATIVE_WEIGHT for b in sorted(HARD_NEGATIVES)},
        "seed": SEED,
        "data": {"path": str(data_path), "sha256": report.data_sha256, "records": len(examples)},
        "counts": {"train": len(tr), "test": len(te), "block": sum(e.block for e in examples),
                   "risk": dict(sorted(Counter(str(v) for v in risk_of.values() if v).items()))},
        "threshold": threshold,
        "metrics": {"binary": [asdict(m) for m in bin_metrics], "risk": [asdict(m) for m in risk_metrics]},
        "trained_at": int(time.time() * 1000),
        "committable": False,
    }  # fmt: skip
    (out_dir / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")
    return report


def default_dir(home: Path) -> Path:
    return home / "models" / DIRNAME


class ClassifierScreener:
    """The trained classifier as a :class:`~lingxi.compliance.screen.Screener` (``layer="classifier"``).

    ``block`` when P(block) ≥ ``threshold``; with ``review`` set, a pass whose P(block) ≥ ``review`` carries
    ``scores["review"] = 1.0`` so a caller can queue it for a human (the verdict stays ``pass``).
    ``window`` is the streaming lookbehind: the recent sentences that a re-screen of new output includes.
    """

    layer = "classifier"

    def __init__(
        self,
        binary_coef: NDArray[np.float32],
        binary_b: float,
        risk_coef: NDArray[np.float32],
        risk_b: NDArray[np.float32],
        risk_labels: list[str],
        *,
        threshold: float = 0.5,
        review: float | None = None,
        window: int = 128,
        manifest: dict[str, Any] | None = None,
    ) -> None:
        self._vec = _vectorizer()
        self._w, self._b = binary_coef, binary_b
        # (features, codes), C-contiguous: a prompt touches a few hundred rows, gathered by index
        self._rwt, self._rb, self.risk_labels = np.ascontiguousarray(risk_coef.T), risk_b, risk_labels
        self.threshold, self.review, self.window = threshold, review, window
        self.manifest = manifest or {}

    @classmethod
    def from_arrays(cls, model_dir: Path, **kwargs: Any) -> ClassifierScreener:
        with np.load(model_dir / "weights.npz", allow_pickle=False) as z:
            return cls(z["binary_coef"], float(z["binary_b"]), z["risk_coef"], z["risk_b"],
                       [str(s) for s in z["risk_labels"]], **kwargs)  # fmt: skip

    @classmethod
    def load(
        cls, model_dir: Path | str, *, threshold: float | None = None, review: float | None = None
    ) -> ClassifierScreener:
        """Load a trained model; ``threshold`` defaults to the one recorded at training."""
        model_dir = Path(model_dir)
        manifest_path = model_dir / "manifest.json"
        if not manifest_path.is_file():
            raise NotFound(
                f"{model_dir}: no trained safety classifier",
                message_zh="尚未训练安全分类器",
                hint="run: lingxi compliance train --data DIR",
            )
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        if manifest.get("version") != VERSION:
            raise InvalidInput(
                f"classifier version {manifest.get('version')!r} != {VERSION}",
                message_zh="安全分类器版本不符，请重新训练",
                hint="run: lingxi compliance train --data DIR",
            )
        t = float(manifest.get("threshold", 0.5)) if threshold is None else threshold
        return cls.from_arrays(model_dir, threshold=t, review=review, manifest=manifest)

    @property
    def lookbehind(self) -> int:
        return self.window

    def block_proba(self, texts: Iterable[str]) -> NDArray[np.float64]:
        """P(block) for each text (vectorized; one sparse-dense product)."""
        x = self._vec.transform(list(texts))
        z = np.asarray(x @ self._w, dtype=np.float64) + self._b
        return 1.0 / (1.0 + np.exp(-z))

    def risk_proba(self, texts: Iterable[str]) -> NDArray[np.float64]:
        """Softmax over the risk head's codes (``risk_labels`` order), one row per text."""
        x = self._vec.transform(list(texts))
        z = np.asarray(x @ self._rwt, dtype=np.float64) + self._rb
        e = np.exp(z - z.max(axis=1, keepdims=True)) if z.shape[1] else z
        return e / e.sum(axis=1, keepdims=True) if z.shape[1] else z

    def top_risks(self, texts: list[str]) -> list[str | None]:
        if not self.risk_labels:
            return [None] * len(texts)
        return [self.risk_labels[int(i)] for i in self.risk_proba(texts).argmax(axis=1)]

    def screen(self, text: str) -> ScreenResult:
        if not text.strip():
            return PASS
        x = self._vec.transform([text])  # once: both heads read the same sparse row
        idx, val = x.indices, x.data.astype(np.float64)
        p = 1.0 / (1.0 + math.exp(-(float(val @ self._w[idx]) + self._b)))
        scores = {"unsafe": round(p, 4)}
        if p < self.threshold:
            if self.review is not None and p >= self.review:
                scores["review"] = 1.0
            return ScreenResult("pass", (), scores, None)
        risks: dict[str, float] = {}
        if self.risk_labels:
            z = val @ self._rwt[idx] + self._rb
            e = np.exp(z - z.max())
            risks = {lab: float(v) for lab, v in zip(self.risk_labels, e / e.sum(), strict=True)}
        top = max(risks, key=risks.__getitem__) if risks else None
        scores.update({code: round(s, 4) for code, s in risks.items() if s >= 0.05})
        return ScreenResult("block", (top,) if top else (), scores, self.layer)
