"""Tuned models and submitted jobs of one home, with their lineage, kept as JSON under ``HOME/adapt/``.

Why a file in the home and not ``lingxi.toml``: the operator's configuration is theirs to write; these are
records lingxi makes (``lingxi adapt submit`` and ``register``) and reads back at start-up, so a registered
model is routable like any configured one (:func:`lingxi.models.registry.build` adds them). Each tuned
model keeps its lineage: the base model, the data card's sha256, the vendor job id, the feature.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from lingxi.errors import InvalidInput, NotFound

__all__ = ["JobRecord", "TunedModel", "job", "jobs", "register", "save_job", "tuned_models"]


def _dir(home: Path) -> Path:
    return home / "adapt"


def _read(path: Path) -> list[dict[str, Any]]:
    if not path.is_file():
        return []
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise InvalidInput(f"{path}: not valid JSON: {exc}", message_zh=f"文件格式错误：{path}") from exc
    return list(data) if isinstance(data, list) else []


def _write(path: Path, rows: list[dict[str, Any]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(rows, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    tmp.replace(path)  # atomic: a crash leaves the old file or the new one


@dataclass(frozen=True)
class JobRecord:
    """A job ``lingxi adapt submit`` started: enough to poll, cancel and register it later."""

    job_id: str
    provider: str  # the [providers.KEY] (or preset) it was sent to
    preset: str
    base_url: str
    base_model: str
    feature: str
    data_card_sha256: str
    submitted_at: int


@dataclass(frozen=True)
class TunedModel:
    """A routable tuned model and where it came from."""

    name: str  # what routing rules and `-m` use
    provider: str
    model_id: str  # the vendor's id of the tuned model
    base_model: str
    feature: str
    job_id: str
    data_card_sha256: str
    registered_at: int


def save_job(home: Path, record: JobRecord) -> None:
    path = _dir(home) / "jobs.json"
    rows = [r for r in _read(path) if r.get("job_id") != record.job_id]
    _write(path, [*rows, asdict(record)])


def jobs(home: Path) -> list[JobRecord]:
    return [JobRecord(**r) for r in _read(_dir(home) / "jobs.json")]


def job(home: Path, job_id: str) -> JobRecord:
    for r in jobs(home):
        if r.job_id == job_id:
            return r
    raise NotFound(
        f"no submitted job {job_id!r} in {home}",
        message_zh=f"没有找到已提交的微调任务 {job_id!r}",
        hint="`lingxi adapt status` lists them",
    )


def register(home: Path, model: TunedModel) -> TunedModel:
    """Add (or replace, by name) a tuned model; returns it."""
    path = _dir(home) / "models.json"
    rows = [r for r in _read(path) if r.get("name") != model.name]
    _write(path, [*rows, asdict(model)])
    return model


def tuned_models(home: Path) -> list[TunedModel]:
    return [TunedModel(**r) for r in _read(_dir(home) / "models.json")]
