"""An opt-in head for the semantic layer: a one-hidden-layer network over hashed char and word n-grams.

Why (benchmarks/README.md, wave 9): the linear semantic model ranks the new banks poorly (AUC 0.79 must-refuse
vs must-answer on sources it never saw); the same training items through a small network whose first layer is
an embedding of every char 1–3-gram and jieba word 1–2-gram (fastText's idea: n-grams share 32 hidden
dimensions, so a risky word unseen in one phrasing borrows from the words it was trained beside) ranked them
at AUC 0.90. It also ranks everyday chat higher, so it is opt-in (``lingxi compliance train --semantic-model
mlp``), not the default. Trained with scikit-learn's ``MLPClassifier`` (Adam, 5 epochs), scored here with
plain numpy on one text (the library's per-call validation would cost more than the arithmetic).
"""

from __future__ import annotations

import itertools
import warnings
from typing import Any

import numpy as np
from numpy.typing import NDArray

from lingxi.compliance.ngram_hash import dot_rows, hashed

KIND = "mlp"
N_BUCKETS = 2**16  # per part: char 1–3-grams, then jieba word 1–2-grams
HIDDEN = 32
EPOCHS = 5
ALPHA = 3e-4
SEED = 20240601


def words(text: str) -> list[str]:
    """jieba words (blanks dropped) and adjacent word pairs: the word part of the features."""
    import jieba

    w = [t for t in jieba.lcut(text) if t.strip()]
    return w + [f"{a} {b}" for a, b in itertools.pairwise(w)]


def _hash_tokens(tokens: list[str]) -> tuple[NDArray[np.intp], NDArray[np.float32]]:
    """Buckets and L2-normalized counts of ``tokens``, as ``HashingVectorizer(analyzer=callable)`` computes them."""
    from sklearn.utils import murmurhash3_32  # type: ignore[import-untyped, unused-ignore]

    if not tokens:
        return np.zeros(0, dtype=np.intp), np.zeros(0, dtype=np.float32)
    signed = np.fromiter((murmurhash3_32(t, 0) for t in tokens), dtype=np.int64, count=len(tokens))
    idx, counts = np.unique(np.abs(signed) % N_BUCKETS, return_counts=True)
    values = counts.astype(np.float32)
    return idx.astype(np.intp), (values / np.float32(np.sqrt(float(np.dot(values, values))))).astype(np.float32)


def features_one(prepared: str) -> tuple[NDArray[np.intp], NDArray[np.float32]]:
    """One prepared text's sparse row: the two unit-length parts side by side, the row scaled to unit length."""
    cidx, cval = hashed(prepared, 1, 3, N_BUCKETS, l2=True)
    widx, wval = _hash_tokens(words(prepared))
    idx = np.concatenate([cidx, widx + N_BUCKETS])
    values = np.concatenate([cval, wval]).astype(np.float32)
    norm = np.float32(np.sqrt(float(np.dot(values.astype(np.float64), values.astype(np.float64)))) + 1e-12)
    return idx.astype(np.intp), (values / norm).astype(np.float32)


def design(prepared: list[str]) -> Any:
    """The training matrix of prepared texts (the same rows :func:`features_one` builds one at a time)."""
    import scipy.sparse as sp  # type: ignore[import-untyped, unused-ignore]
    from sklearn.feature_extraction.text import HashingVectorizer  # type: ignore[import-untyped, unused-ignore]
    from sklearn.preprocessing import normalize  # type: ignore[import-untyped, unused-ignore]

    common: dict[str, Any] = {"n_features": N_BUCKETS, "alternate_sign": False, "lowercase": False}
    chars = HashingVectorizer(analyzer="char", ngram_range=(1, 3), dtype=np.float32, **common)
    word = HashingVectorizer(analyzer=words, dtype=np.float32, **common)
    return normalize(sp.hstack([chars.transform(prepared), word.transform(prepared)]).tocsr())


def fit(x: Any, y: list[str], w: NDArray[np.float64]) -> Any:
    from sklearn.exceptions import ConvergenceWarning  # type: ignore[import-untyped, unused-ignore]
    from sklearn.neural_network import MLPClassifier  # type: ignore[import-untyped, unused-ignore]

    model = MLPClassifier(
        hidden_layer_sizes=(HIDDEN,), alpha=ALPHA, batch_size=min(256, x.shape[0]), max_iter=EPOCHS,
        learning_rate_init=2e-3, random_state=SEED,
    )  # fmt: skip
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        model.fit(x, y, sample_weight=w)
    return model


def proba(model: Any, x: Any) -> NDArray[np.float64]:
    """Class probabilities (softmax), columns in ``model.classes_`` order."""
    return np.asarray(model.predict_proba(x), dtype=np.float64)


def arrays_of(model: Any) -> dict[str, NDArray[Any]]:
    """What the saved model holds (no pickle): both layers' weights and biases."""
    w1, w2 = model.coefs_
    b1, b2 = model.intercepts_
    out = {"mlp_w1": w1, "mlp_b1": b1, "mlp_w2": w2, "mlp_b2": b2}
    return {k: np.asarray(v, dtype=np.float32) for k, v in out.items()}


class MlpHead:
    """The saved network, scored on one prepared text at a time."""

    def __init__(self, arrays: dict[str, NDArray[Any]]) -> None:
        self._w1 = np.ascontiguousarray(arrays["mlp_w1"], dtype=np.float32)  # (features, hidden)
        self._b1 = arrays["mlp_b1"].astype(np.float32)
        self._w2 = arrays["mlp_w2"].astype(np.float64)
        self._b2 = arrays["mlp_b2"].astype(np.float64)

    def proba_one(self, prepared: str) -> NDArray[np.float64]:
        idx, values = features_one(prepared)
        h = np.maximum(dot_rows(idx, values, self._w1) + self._b1, 0).astype(np.float64)
        z = h @ self._w2 + self._b2
        if z.shape[0] == 1:  # two classes: scikit-learn keeps one logistic output for the second
            p = 1.0 / (1.0 + np.exp(-z[0]))
            return np.array([1.0 - p, p])
        e = np.exp(z - z.max())
        return np.asarray(e / e.sum(), dtype=np.float64)


__all__ = ["KIND", "MlpHead", "arrays_of", "design", "features_one", "fit", "proba", "words"]
