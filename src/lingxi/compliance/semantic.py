"""The semantic layer: a request-aware model over a learned dense text embedding, trained on CPU.

Why another model next to the classifier: the classifier's char n-grams learn *which words* appear in risky
text, so a new bank with new words (translated questions, image prompts) slips past it, and a topic word
(毒品, 恐怖主义) in a legal or medical question pulls it towards *block*. This layer adds:

* an embedding that generalizes beyond the exact words: TF-IDF char 1–2-grams projected by a truncated SVD
  (latent semantic analysis) fitted on all the training text, so characters and words that occur in the same
  contexts land close together;
* *request* conditioning: the embedding is also multiplied by the intent layer's request score
  (:func:`~lingxi.compliance.intent.request_score`), so a linear model can learn "this topic *and* a request"
  (block) apart from "this topic, no request" (answer);
* frames removed first: the text is scored after :func:`~lingxi.compliance.intent.split_clauses` strips
  role-play and hypothetical wrappers, so a frame neither hides nor makes a request;
* per-risk thresholds: one-vs-rest probabilities for ``A.1``/``A.2``/``A.3``/``A.4``/``other`` against
  ``pass``; a text is blocked when its top risk's probability reaches that risk's threshold, chosen by
  :mod:`lingxi.compliance.semantic_train` on *out-of-source* scores of the training sources.

Opt-in (``lingxi compliance train --semantic-model mlp``): the linear model is replaced by a small network
over char and word n-grams (:mod:`~lingxi.compliance.semantic_mlp`), same items, folds and threshold rule; this
class scores whichever the weights hold.

Weights live in ``<home>/models/semantic-screen/`` (``weights.npz`` loaded without pickle, ``manifest.json``);
they are derived from third-party data and never committed. Without them the service runs without this layer
and says so (:func:`lingxi.compliance.layers.screening_service`).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from lingxi.compliance.classifier import clauses, read_manifest
from lingxi.compliance.intent import framed, split_clauses
from lingxi.compliance.ngram_hash import buckets, dot_rows, signed_hashes
from lingxi.compliance.screen import PASS, ScreenResult
from lingxi.compliance.semantic_mlp import MlpHead

VERSION = "2"  # 2: dense block scaled by DENSE_SCALE
DIRNAME = "semantic-screen"
N_SPARSE = 2**18
N_LSA_FEATURES = 2**15
PASS_CLASS = "pass"
MIN_CHARS = 4
# Weight of the dense (LSA + request) block next to the sparse n-grams. Chosen on out-of-source scores of the
# training sources (cross-fitting, no test source): at 1.0 the dense block cut out-of-source must-refuse
# recall from 28.1 % (no dense block) to 22.2 % (it learns each source's style); at 0.25, 28.3 %.
DENSE_SCALE = 0.25


_HAN = re.compile(r"[\u4e00-\u9fff]")


def default_dir(home: Path) -> Path:
    return home / "models" / DIRNAME


def prepare(text: str) -> str:
    """The text the model reads: clauses with frames removed, normalized, joined by 。. Clauses without a Han
    character are left out when others have one: a wrapper in another script (「Please answer in Chinese, this
    is for research: …」) would dilute the request as a Chinese frame would; English is the English layer's."""
    parts = split_clauses(text)
    return "。".join([p for p in parts if _HAN.search(p)] or parts)


def request_feature(prepared: str) -> float:
    """The request score of a prepared text (its clauses are already split and normalized)."""
    from lingxi.compliance.intent import request_score

    return request_score(prepared)


def vectorizers() -> tuple[Any, Any]:
    """(sparse char 1–3-gram hasher, LSA char 1–2-gram hasher), both stateless."""
    from sklearn.feature_extraction.text import HashingVectorizer  # type: ignore[import-untyped, unused-ignore]

    common: dict[str, Any] = {"analyzer": "char", "alternate_sign": False, "lowercase": False, "dtype": np.float32}
    return (
        HashingVectorizer(ngram_range=(1, 3), n_features=N_SPARSE, **common),
        HashingVectorizer(ngram_range=(1, 2), n_features=N_LSA_FEATURES, norm=None, **common),
    )


def embed(lsa_counts: Any, idf: NDArray[np.float32], projection: NDArray[np.float32]) -> NDArray[np.float32]:
    """Unit-length LSA embeddings of rows of char 1–2-gram counts (sublinear TF × IDF, L2, then SVD).

    ``projection`` is the SVD's components *transposed* (features × dims) and C-contiguous: scipy copies a
    transposed view on every product (6 ms of a 7 ms call, measured), while a contiguous one is gathered by row.
    """
    x = lsa_counts.copy()
    x.data = (1.0 + np.log(x.data)).astype(np.float32)
    x = x.multiply(idf).tocsr()
    norms = np.sqrt(np.asarray(x.multiply(x).sum(axis=1)).ravel()) + 1e-9
    e = np.asarray(x @ projection, dtype=np.float32) / norms[:, None]
    return np.asarray(e / (np.linalg.norm(e, axis=1, keepdims=True) + 1e-9), dtype=np.float32)


def dense_features(prepared: list[str], emb: NDArray[np.float32]) -> NDArray[np.float32]:
    """[embedding, request score × embedding, request score] × :data:`DENSE_SCALE`: the request-conditioned
    dense block."""
    req = np.array([[request_feature(t)] for t in prepared], dtype=np.float32)
    return (np.hstack([emb, req * emb, req]) * DENSE_SCALE).astype(np.float32)


class SemanticScreener:
    """The semantic layer as a :class:`~lingxi.compliance.screen.Screener` (``layer="semantic"``)."""

    layer = "semantic"
    lookbehind = 128

    def __init__(
        self,
        arrays: dict[str, NDArray[Any]],
        *,
        thresholds: dict[str, float] | None = None,
        strict: float = 1.0,
        manifest: dict[str, Any] | None = None,
    ) -> None:
        self._sparse, self._lsa = vectorizers()
        self.classes = [str(c) for c in arrays["classes"]]
        self.thresholds = dict(thresholds or {})
        self.strict = strict
        self.manifest = manifest or {}
        self._mlp: MlpHead | None = MlpHead(arrays) if "mlp_w1" in arrays else None
        if self._mlp is not None:  # the opt-in network head (semantic_mlp): no linear weights saved
            return
        self._idf = arrays["idf"].astype(np.float32)
        self._projection = np.ascontiguousarray(arrays["components"].T, dtype=np.float32)
        self._w_sparse = np.ascontiguousarray(arrays["coef_sparse"].T, dtype=np.float32)  # (features, classes)
        self._w_dense = np.ascontiguousarray(arrays["coef_dense"].T, dtype=np.float32)
        self._b = arrays["intercept"].astype(np.float64)

    @classmethod
    def load(cls, model_dir: Path | str, *, strict: float = 1.0) -> SemanticScreener:
        model_dir = Path(model_dir)
        manifest = read_manifest(model_dir, VERSION, ("semantic screen model", "语义筛查模型"))
        with np.load(model_dir / "weights.npz", allow_pickle=False) as z:
            arrays = {k: z[k] for k in z.files}
        thresholds = {str(k): float(v) for k, v in manifest.get("thresholds", {}).items()}
        return cls(arrays, thresholds=thresholds, strict=strict, manifest=manifest)

    def proba(self, texts: list[str]) -> NDArray[np.float64]:
        """One-vs-rest probabilities, one row per text, columns in ``classes`` order."""
        prepared = [prepare(t) for t in texts]
        if self._mlp is not None:
            return np.array([self._mlp.proba_one(p) for p in prepared], dtype=np.float64).reshape(len(texts), -1)
        xs = self._sparse.transform(prepared)
        dense = dense_features(prepared, embed(self._lsa.transform(prepared), self._idf, self._projection))
        z = np.asarray(xs @ self._w_sparse, dtype=np.float64) + dense.astype(np.float64) @ self._w_dense + self._b
        return np.asarray(1.0 / (1.0 + np.exp(-z)), dtype=np.float64)

    def proba_prepared(self, prepared: str) -> NDArray[np.float64]:
        """:meth:`proba` of one already :func:`prepare`-d text, through :mod:`~lingxi.compliance.ngram_hash`
        (the vectorizers' arithmetic without their per-call overhead, which was most of this layer's time)."""
        if self._mlp is not None:
            return self._mlp.proba_one(prepared)
        short = signed_hashes(prepared, 1, 2)  # the 1–2-grams serve both parts: hashed once
        idx, values = buckets(np.concatenate([short, signed_hashes(prepared, 3, 3)]), N_SPARSE, l2=True)
        z_sparse = dot_rows(idx, values, self._w_sparse)
        lidx, counts = buckets(short, N_LSA_FEATURES, l2=False)
        tfidf = (1.0 + np.log(counts)).astype(np.float32) * self._idf[lidx]
        norm = np.sqrt((tfidf * tfidf).sum(dtype=np.float32)) + np.float32(1e-9)
        e = dot_rows(lidx, tfidf, self._projection) / norm
        e = (e / (np.linalg.norm(e) + 1e-9)).astype(np.float32)
        dense = dense_features([prepared], e[None, :])
        z = z_sparse.astype(np.float64) + dense.astype(np.float64)[0] @ self._w_dense + self._b
        return np.asarray(1.0 / (1.0 + np.exp(-z)), dtype=np.float64)

    def top_risk(self, row: NDArray[np.float64]) -> tuple[str, float]:
        """The most probable risk class (never ``pass``) and its probability."""
        best = max((c for c in self.classes if c != PASS_CLASS), key=lambda c: row[self.classes.index(c)])
        return best, float(row[self.classes.index(best)])

    def threshold_for(self, risk: str) -> float:
        return self.thresholds.get(risk, 0.5) * self.strict

    def pieces(self, text: str) -> list[tuple[str, float]]:
        """(top risk, its probability) of each piece :meth:`screen` weighs: the whole text, or each clause when
        it wears a wrapper; pieces under :data:`MIN_CHARS` are left out."""
        out = []
        for piece in clauses(text) if framed(text) else [text]:
            prepared = prepare(piece)
            if len(prepared) >= MIN_CHARS:
                out.append(self.top_risk(self.proba_prepared(prepared)))
        return out

    def screen(self, text: str) -> ScreenResult:
        """The text scored whole and, when it wears a wrapper (:func:`~lingxi.compliance.intent.framed`), clause by
        clause as the classifier does (:func:`~lingxi.compliance.classifier.clauses`): the piece closest to its
        risk's threshold counts. Why: the frame's clauses (「我们来玩一个角色扮演游戏」) stay in the prepared text
        and dilute the request (half the plain blocks of this layer were lost under role-play wrappers); only
        wrapped texts are split, since a lone clause of ordinary text scores noisily."""
        best: tuple[float, str, float] | None = None
        for risk, p in self.pieces(text):
            ratio = p / max(self.threshold_for(risk), 1e-9)
            if best is None or ratio > best[0]:
                best = (ratio, risk, p)
        if best is None:
            return PASS
        _, risk, p = best
        scores = {"unsafe": round(p, 4)}
        if p < self.threshold_for(risk):
            return ScreenResult("pass", (), scores, None)
        code = {"A.1": "A.1.8", "A.2": "A.2.9", "A.3": "A.3.5", "A.4": "A.4.7"}.get(risk)
        return ScreenResult("block", (code,) if code else (), {**scores, risk: round(p, 4)}, self.layer)
