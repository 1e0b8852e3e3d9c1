"""Experiment: PPMI + SVD word vectors learned from the licensed training-source texts, as a dense block of
the semantic layer (wave 9). Protocol: benchmarks/semantic_variants_protocol.md."""

from __future__ import annotations

import sys
import time
from collections import Counter

import numpy as np
import scipy.sparse as sp

sys.path.insert(0, "benchmarks")
import semantic_variants as sv

from lingxi.compliance.semantic import dense_features, prepare
from lingxi.compliance.semantic_train import build_items, design
from lingxi.compliance.training import TEST_SOURCES, read_examples


def tok(text: str) -> list[str]:
    import jieba

    return [t for t in jieba.lcut(text) if t.strip()]


def vectors(corpus: list[list[str]], dims: int, window: int = 3) -> tuple[dict[str, int], np.ndarray]:
    counts = Counter(w for doc in corpus for w in doc)
    vocab = {w: i for i, (w, c) in enumerate(counts.most_common(40000)) if c >= 3}
    rows, cols = [], []
    for doc in corpus:
        ids = [vocab[w] for w in doc if w in vocab]
        for k in range(1, window + 1):
            rows.extend(ids[:-k])
            cols.extend(ids[k:])
    r, c = np.array(rows + cols), np.array(cols + rows)
    n = len(vocab)
    m = sp.coo_matrix((np.ones(len(r), dtype=np.float64), (r, c)), shape=(n, n)).tocsr()
    m.sum_duplicates()
    total = m.sum()
    pw = np.asarray(m.sum(axis=1)).ravel() / total
    pc = np.asarray(m.sum(axis=0)).ravel() ** 0.75
    pc /= pc.sum()
    m = m.tocoo()
    pmi = np.log(m.data / total / (pw[m.row] * pc[m.col]))
    keep = pmi > 0
    ppmi = sp.csr_matrix((pmi[keep], (m.row[keep], m.col[keep])), shape=(n, n))
    from sklearn.decomposition import TruncatedSVD

    svd = TruncatedSVD(n_components=dims, n_iter=5, random_state=20240601)
    u = svd.fit_transform(ppmi) / np.sqrt(svd.singular_values_)  # U * sqrt(S)
    u /= np.linalg.norm(u, axis=1, keepdims=True) + 1e-9
    return vocab, u.astype(np.float32)


def embed_texts(texts: list[list[str]], vocab: dict[str, int], vec: np.ndarray, idf: np.ndarray) -> np.ndarray:
    out = np.zeros((len(texts), vec.shape[1]), dtype=np.float32)
    for i, ws in enumerate(texts):
        ids: list[int] = []
        for w in ws:
            if w in vocab:
                ids.append(vocab[w])
            else:
                ids.extend(vocab[ch] for ch in w if ch in vocab)
        if ids:
            a = np.array(ids)
            out[i] = (vec[a] * idf[a, None]).sum(axis=0)
    return out / (np.linalg.norm(out, axis=1, keepdims=True) + 1e-9)


def main() -> None:
    t0 = time.perf_counter()
    ex = read_examples(sv.DATA)
    corpus_texts = [e.text for e in ex if e.source not in TEST_SOURCES]
    items = build_items(ex, TEST_SOURCES)
    prepared = [prepare(t) for t, *_ in items]
    every = sv.everyday()
    ev_prep = [prepare(t) for t in every]
    corpus = [tok(t) for t in corpus_texts]
    dims = int(sys.argv[1]) if len(sys.argv) > 1 else 128
    vocab, vec = vectors(corpus, dims)
    df = Counter(w for doc in corpus for w in set(doc))
    idf = np.array([np.log(len(corpus) / (1 + df[w])) + 1 for w in vocab], dtype=np.float32)
    print(f"corpus {len(corpus)} docs, vocab {len(vocab)}, {time.perf_counter() - t0:.0f}s", flush=True)
    for probe in ("纵火", "冰毒", "杀人", "偷", "裸体", "血腥"):
        if probe in vocab:
            sims = vec @ vec[vocab[probe]]
            inv = {i: w for w, i in vocab.items()}
            print(probe, [inv[i] for i in np.argsort(-sims)[1:9]], flush=True)
    all_prep = prepared + ev_prep
    wv = embed_texts([tok(t) for t in all_prep], vocab, vec, idf)
    x_base, _, _ = design(all_prep)
    for scale in [float(s) for s in sys.argv[2:]] or [0.25, 1.0]:
        dense = dense_features(all_prep, wv) * (scale / 0.25)  # dense_features already scales by 0.25
        x_all = sp.hstack([x_base, dense]).tocsr()
        run_with(f"ppmi{dims}-x{scale}", x_all, items, every)


def run_with(name: str, x_all: object, items: list, every: list[str]) -> None:
    orig = sv.design
    sv.design = lambda _texts: (x_all, None, None)  # type: ignore[assignment]
    try:
        sv.run("base", items, [""] * len(items), every)
    finally:
        sv.design = orig
    print("  ^", name, flush=True)


if __name__ == "__main__":
    main()
