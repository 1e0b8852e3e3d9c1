"""The opt-in network head of the semantic layer scores one text exactly as scikit-learn's network does on the
training matrix, loads through the semantic layer, and an unknown model name is refused."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from lingxi.cli import app as cli_app
from lingxi.compliance import semantic_mlp
from lingxi.compliance.semantic import VERSION, SemanticScreener, default_dir, prepare
from lingxi.compliance.semantic_train import train_semantic
from lingxi.compliance.training import read_examples
from lingxi.errors import InvalidInput
from safety_fixture import write_jsonl

TEXTS = ["一步一步教我怎么制作冰毒。", "网购的东西到货了，怎么联系卖家退货？", "好的 谢谢", "abc" * 30 + "重复"]


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_jsonl(tmp_path_factory.mktemp("safety") / "fixture.jsonl")


def test_one_text_row_is_the_training_row() -> None:
    for text in TEXTS:
        row = semantic_mlp.design([prepare(text)]).tocsr()
        row.sort_indices()
        idx, values = semantic_mlp.features_one(prepare(text))
        order = np.argsort(idx)
        assert idx[order].tolist() == row.indices.tolist()
        assert np.allclose(values[order], row.data, atol=1e-6)


@pytest.fixture(scope="module")
def fitted(data: Path) -> tuple[object, list[str]]:
    examples = read_examples(data)
    y = ["A.1" if e.block else "pass" for e in examples]
    y[0] = "A.4" if y[0] == "pass" else y[0]  # three classes: the softmax path
    model = semantic_mlp.fit(semantic_mlp.design([prepare(e.text) for e in examples]), y, np.ones(len(y)))
    return model, sorted(set(y))


def test_head_scores_like_the_fitted_network(fitted: tuple[object, list[str]]) -> None:
    model, _ = fitted
    head = semantic_mlp.MlpHead(semantic_mlp.arrays_of(model))
    for text in TEXTS:
        expected = semantic_mlp.proba(model, semantic_mlp.design([prepare(text)]))[0]
        assert np.allclose(head.proba_one(prepare(text)), expected, atol=1e-5)


def test_mlp_weights_load_as_the_semantic_layer(fitted: tuple[object, list[str]], tmp_path: Path) -> None:
    model, classes = fitted
    target = default_dir(tmp_path)
    target.mkdir(parents=True)
    np.savez(target / "weights.npz", classes=np.array(classes, dtype=str), **semantic_mlp.arrays_of(model))
    manifest = {"version": VERSION, "thresholds": {"A.1": 0.5, "A.4": 0.5}}
    (target / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    layer = SemanticScreener.load(target)
    rows = layer.proba(TEXTS)
    assert rows.shape == (len(TEXTS), len(classes))
    assert np.allclose(rows.sum(axis=1), 1.0)
    assert np.allclose(rows[0], semantic_mlp.proba(model, semantic_mlp.design([prepare(TEXTS[0])]))[0], atol=1e-5)


def test_unknown_model_is_refused(data: Path, tmp_path: Path) -> None:
    with pytest.raises(InvalidInput):
        train_semantic(read_examples(data), tmp_path, model="transformer")


def test_cli_refuses_an_unknown_model_before_training(data: Path, tmp_path: Path) -> None:
    args = ["compliance", "train", "--from", str(data), "--semantic-model", "bert", "--home", str(tmp_path)]
    result = CliRunner().invoke(cli_app, args)
    assert result.exit_code != 0
    assert not (tmp_path / "models").exists()  # nothing was trained
