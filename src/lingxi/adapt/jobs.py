"""Submit, follow, cancel and register fine-tuning jobs for a feature's exported training set.

The steps behind ``lingxi adapt submit|status|cancel|register``: the training set comes from
:func:`lingxi.adapt.export.export_feature` (its data card's sha256 travels with the job into the tuned
model's lineage); the vendor is a provider key of ``lingxi.toml`` (or a preset id), its fine-tuning API a row
of :mod:`lingxi.adapt.ft_presets`.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from lingxi.adapt.finetune import FineTuneClient, Job, api_for
from lingxi.config import Settings
from lingxi.errors import InvalidInput, NotFound
from lingxi.ids import now_ms
from lingxi.models.providers import PROVIDERS
from lingxi.models.tuned import JobRecord, TunedModel, job, register, save_job

__all__ = ["cancel_job", "client_for", "poll_job", "register_job", "submit"]


def client_for(settings: Settings, provider: str, base_url: str | None = None) -> tuple[FineTuneClient, str, str]:
    """A client for ``provider`` (a ``[providers.KEY]`` or a preset id); also the preset and base URL used."""
    pc = settings.providers.get(provider)
    preset = (pc.preset if pc else None) or provider
    api = api_for(preset, base_url)
    chat_preset = PROVIDERS.get(preset)
    key_env = (pc.key_env if pc else None) or (chat_preset.key_env if chat_preset else None)
    required = chat_preset.key_required if chat_preset else False
    key = os.environ.get(key_env) if key_env else None
    client = FineTuneClient(api, api_key=key, key_env=key_env if required else None)
    return client, preset, api.base_url


def submit(
    settings: Settings,
    export_dir: Path,
    *,
    provider: str,
    base_model: str,
    base_url: str | None = None,
    suffix: str | None = None,
    hyperparameters: dict[str, object] | None = None,
) -> JobRecord:
    """Upload ``sft_train.jsonl`` (and ``sft_valid.jsonl`` when not empty), start the job, record it."""
    card_path = export_dir / "data_card.json"
    if not card_path.is_file():
        raise NotFound(
            f"no data card in {export_dir}",
            message_zh=f"{export_dir} 中没有数据卡",
            hint="run `lingxi adapt export --feature F --out DIR` first",
        )
    card = json.loads(card_path.read_text(encoding="utf-8"))
    if card["counts"]["train"]["sft"] == 0:
        raise InvalidInput(
            f"{export_dir}: the training split is empty (no consented feedback?)",
            message_zh="训练集为空（没有经用户同意的反馈？）",
            hint="feedback is kept only for users who granted model_improvement",
        )
    client, preset, url = client_for(settings, provider, base_url)
    try:
        train = client.upload(export_dir / "sft_train.jsonl")
        valid_path = export_dir / "sft_valid.jsonl"
        valid = client.upload(valid_path) if valid_path.stat().st_size else None
        started = client.create(
            base_model, train, validation_file=valid, hyperparameters=hyperparameters, suffix=suffix or card["feature"]
        )
    finally:
        client.close()
    record = JobRecord(started.id, provider, preset, url, base_model, card["feature"], card["card_sha256"], now_ms())
    save_job(settings.home, record)
    return record


def poll_job(settings: Settings, job_id: str) -> tuple[Job, list[object]]:
    """The job's state now and its events, as the vendor reports them."""
    rec = job(settings.home, job_id)
    client, _, _ = client_for(settings, rec.provider, rec.base_url)
    try:
        return client.get(job_id), client.events(job_id)
    finally:
        client.close()


def cancel_job(settings: Settings, job_id: str) -> Job:
    rec = job(settings.home, job_id)
    client, _, _ = client_for(settings, rec.provider, rec.base_url)
    try:
        return client.cancel(job_id)
    finally:
        client.close()


def register_job(settings: Settings, job_id: str, name: str | None = None) -> TunedModel:
    """Register a succeeded job's model as routable, with its lineage; refuse any other state."""
    rec = job(settings.home, job_id)
    current, _ = poll_job(settings, job_id)
    if current.status != "succeeded" or not current.fine_tuned_model:
        raise InvalidInput(
            f"job {job_id} is {current.status} ({current.vendor_status}); only a succeeded job can be registered",
            message_zh=f"微调任务 {job_id} 状态为 {current.status}，只有成功的任务才能注册",
            hint="`lingxi adapt status JOB` shows progress",
        )
    model = TunedModel(
        name=name or f"{rec.provider}/{current.fine_tuned_model}",
        provider=rec.provider,
        model_id=current.fine_tuned_model,
        base_model=rec.base_model,
        feature=rec.feature,
        job_id=job_id,
        data_card_sha256=rec.data_card_sha256,
        registered_at=now_ms(),
    )
    return register(settings.home, model)
