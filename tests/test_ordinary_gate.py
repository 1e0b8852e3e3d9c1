"""The ordinary-request gate (compliance/ordinary_gate.py): a text the head reads as an ordinary request must
clear its class's floor, any other text only the class threshold; a home without the gate screens as before."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np

from lingxi.compliance.classifier import N_FEATURES, ClassifierScreener
from lingxi.compliance.ordinary_gate import FILE, load_gate

TEXT = "帮我在外卖软件上点一份麻辣烫。"


def _clf(ordinary_bias: float | None) -> ClassifierScreener:
    """P(block) 0.45 for every text (A.1.8, threshold 0.3); P(ordinary) sigmoid(ordinary_bias)."""
    zeros = np.zeros(N_FEATURES, np.float32)
    gate = None if ordinary_bias is None else (zeros, ordinary_bias, 0.5, {"A.1": 0.52})
    return ClassifierScreener(zeros, math.log(0.45 / 0.55), np.zeros((1, N_FEATURES), np.float32),
                              np.zeros(1, np.float32), ["A.1.8"], thresholds={"A.1": 0.3}, ordinary=gate)  # fmt: skip


def test_an_ordinary_looking_text_must_clear_the_floor() -> None:
    assert _clf(None).screen(TEXT).blocked  # no gate: 0.45 ≥ 0.3
    assert not _clf(2.0).screen(TEXT).blocked  # P(ordinary) 0.88: the floor 0.52 applies
    assert _clf(-2.0).screen(TEXT).blocked  # P(ordinary) 0.12: the class threshold only
    p, _risks, ordinary = _clf(2.0).scores(TEXT)
    assert round(p, 2) == 0.45 and ordinary > 0.5


def test_gate_loads_only_when_trained(tmp_path: Path) -> None:
    assert load_gate(tmp_path, {}) is None
    meta = {"ordinary_gate": {"open_at": 0.5, "budget": 0.005, "floors": {"A.1": 0.52}}}
    assert load_gate(tmp_path, meta) is None  # manifest entry without its weights
    np.savez(tmp_path / FILE, ordinary_coef=np.ones(N_FEATURES, np.float32), ordinary_b=np.float32(-1.0))
    coef, bias, open_at, floors = load_gate(tmp_path, json.loads(json.dumps(meta))) or ((), 0.0, 0.0, {})
    assert len(coef) == N_FEATURES and bias == -1.0 and open_at == 0.5 and floors == {"A.1": 0.52}
