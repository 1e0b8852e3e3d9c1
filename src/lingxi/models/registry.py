"""Which models exist for this installation, built from settings, and why the others are not usable.

Three tiers feed the router: the lite tier (always), on-device GGUFs named in ``[models.*]``, and cloud
models of the providers enabled in ``[providers.*]``. A model that cannot be built — no API key in the
environment, a GGUF that was never pulled — is not an error at start-up: it is reported with the reason
and the fix (``lingxi models list``), and the rest keep working.

:func:`resolve_spec` turns what a person types (``-m``) into a model: a ``.gguf`` path, a pulled catalog
name, a configured name, or ``provider/model`` for any preset. The HTTP service only resolves
``provider/model`` on demand, and only for providers the operator configured in ``[providers.*]`` (never
file paths, nor a key-less preset such as ``vllm/…`` that would let a remote caller pick where data goes).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal
from urllib.parse import urlsplit

from lingxi import plugins
from lingxi.config import LocalModelConfig, Settings
from lingxi.errors import LingxiError, ModelNotFound, PolicyForbidden
from lingxi.models.base import ChatModel, Locality
from lingxi.models.lite import lite_models
from lingxi.models.providers import PROVIDERS, Provider
from lingxi.models.pull import installed, resolve_local
from lingxi.models.tuned import tuned_models

if TYPE_CHECKING:
    from lingxi.models.llamacpp import LlamaCppModel

Tier = Literal["lite", "on_device", "cloud"]


@dataclass(frozen=True)
class Availability:
    """One row of ``lingxi models list``."""

    name: str
    tier: Tier
    usable: bool
    reason: str


def _local(name: str, cfg: LocalModelConfig, home: Path) -> LlamaCppModel:
    from lingxi.models.llamacpp import LlamaCppModel  # the binding loads only when a GGUF is configured

    path = resolve_local(cfg.path, home)
    adapters = {f: (p if Path(p).is_absolute() else str(home / p)) for f, p in cfg.adapters.items()}
    return LlamaCppModel(path, name=name, n_ctx=cfg.n_ctx, threads=cfg.threads, slots=cfg.slots, adapters=adapters)


def _provider(key: str, preset: str | None) -> Provider:
    name = preset or key
    if name not in PROVIDERS:
        raise ModelNotFound(
            f"[providers.{key}]: unknown preset {name!r}; known: {', '.join(sorted(PROVIDERS))}",
            message_zh=f"未知的云端服务预设 {name!r}",
            hint="set preset = one of the known presets in lingxi.toml",
        )
    return PROVIDERS[name]


def build(settings: Settings) -> tuple[list[ChatModel], list[Availability]]:
    """Every model the settings describe that can be built now, and a report on all of them."""
    models: list[ChatModel] = list(lite_models())
    report = [Availability(m.info.name, "lite", True, "classical, always available") for m in models]
    for name, cfg in settings.models.items():
        try:
            local = _local(name, cfg, settings.home)
            models.append(local)
            report.append(Availability(name, "on_device", True, f"GGUF {cfg.path}"))
            for feature, adapter in cfg.adapters.items():  # one base, a LoRA adapter per feature
                models.append(local.adapter(feature))
                report.append(Availability(f"{name}+{feature}", "on_device", True, f"LoRA {adapter} on {name}"))
        except LingxiError as exc:
            hint = f"（{exc.hint}）" if exc.hint else ""
            report.append(Availability(name, "on_device", False, exc.message_zh + hint))
    for key, pc in settings.providers.items():
        provider = _provider(key, pc.preset)
        for model_id in pc.models or list(provider.default_models()):
            name = f"{key}/{model_id}"
            try:
                model = provider.build(
                    model_id, base_url=pc.base_url, key_env=pc.key_env, timeout_s=pc.timeout_s, name=name,
                    vision=True if model_id in pc.vision_models else None,
                )  # fmt: skip
                models.append(model)
                report.append(Availability(name, "cloud", True, pc.base_url or provider.base_url))
            except LingxiError as exc:
                report.append(Availability(name, "cloud", False, exc.message_zh))
    for model in plugins.collect("register_models", settings=settings):
        if not isinstance(model, ChatModel):
            raise LingxiError(
                f"a plug-in registered {type(model).__name__}, which is not a ChatModel",
                message_zh=f"插件注册的 {type(model).__name__} 不是聊天模型（ChatModel）",
            )
        tier: Tier = "on_device" if model.info.locality is Locality.ON_DEVICE else "cloud"
        models.append(model)
        report.append(Availability(model.info.name, tier, True, f"plug-in ({model.info.provider})"))
    for tuned in tuned_models(settings.home):  # registered by `lingxi adapt register`, with their lineage
        lineage = f"tuned from {tuned.base_model}, job {tuned.job_id}, data card {tuned.data_card_sha256[:12]}"
        try:
            tc = settings.providers.get(tuned.provider)
            provider = _provider(tuned.provider, tc.preset if tc else None)
            models.append(
                provider.build(
                    tuned.model_id,
                    base_url=tc.base_url if tc else None,
                    key_env=tc.key_env if tc else None,
                    timeout_s=tc.timeout_s if tc else None,
                    name=tuned.name,
                )
            )
            report.append(Availability(tuned.name, "cloud", True, lineage))
        except LingxiError as exc:
            report.append(Availability(tuned.name, "cloud", False, f"{exc.message_zh}（{lineage}）"))
    return models, report


_LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1", "0.0.0.0", "::"})


def providers_pointing_at(settings: Settings, host: str, port: int) -> list[str]:
    """Configured providers whose base URL is this server's own address: models that would call lingxi itself.

    A wildcard or loopback bind answers on every loopback name, so any of them counts as the same host.
    """
    same = {host.lower()} | (_LOOPBACK if host in _LOOPBACK else set())
    found = []
    for key, pc in settings.providers.items():
        url = urlsplit(pc.base_url or "")
        default = 443 if url.scheme == "https" else 80
        if url.hostname and url.hostname.lower() in same and (url.port or default) == port:
            found.append(key)
    return found


def default_model(settings: Settings, report: list[Availability]) -> str:
    """The model a request that names none gets (documented in the README's "Models and routing").

    ``default_model`` when the settings name one; otherwise the first usable on-device model configured in
    ``[models.*]`` (not the one ``[embeddings]`` uses) — a GGUF someone configured is meant to be used —
    and the lite tier when there is none.
    """
    if "default_model" in settings.model_fields_set:
        return settings.default_model
    embedder = settings.embeddings.model  # a GGUF configured to embed is not a chat model
    chat = (r.name for r in report if r.tier == "on_device" and r.usable and r.name != embedder)
    return next(chat, settings.default_model)


def presets_report() -> list[Availability]:
    """Each cloud preset's usability with no configuration (is its key in the environment?)."""
    rows = []
    for key, p in sorted(PROVIDERS.items()):
        if not p.key_required:
            rows.append(Availability(f"{key}/…", "cloud", True, f"no key needed ({p.base_url})"))
        elif p.key_env and os.environ.get(p.key_env):
            rows.append(Availability(f"{key}/…", "cloud", True, f"{p.key_env} is set"))
        else:
            rows.append(Availability(f"{key}/…", "cloud", False, f"未设置 {p.key_env}（export {p.key_env}=...）"))
    return rows


def _unreachable(base_url: str, timeout_s: float) -> str | None:
    """Why a self-hosted server does not answer (None: it answered, whatever the status)."""
    import httpx  # only `models list` probes; start-up of other commands does not pay for the import

    try:
        httpx.get(base_url.rstrip("/") + "/models", timeout=timeout_s)
    except httpx.HTTPError as exc:
        return f"无法连接 {base_url}（服务未运行？{type(exc).__name__}）"
    return None


def probe(rows: list[Availability], settings: Settings, timeout_s: float = 1.0) -> list[Availability]:
    """``rows`` with self-hosted servers (ollama, vLLM: presets that need no key) checked for an answer.

    Without a key to miss, "usable" meant nothing for them: ``models list`` called ollama available with no
    ollama running. Cloud vendors are not called (a key is what they need, and the check costs nothing).
    """
    verdicts: dict[str, str | None] = {}
    probed = []
    for row in rows:
        key = row.name.split("/", 1)[0]
        pc = settings.providers.get(key)
        preset = PROVIDERS.get((pc.preset if pc else None) or key)
        if row.tier != "cloud" or not row.usable or preset is None or preset.key_required:
            probed.append(row)
            continue
        url = (pc.base_url if pc else None) or preset.base_url
        if url not in verdicts:
            verdicts[url] = _unreachable(url, timeout_s)
        why = verdicts[url]
        probed.append(row if why is None else Availability(row.name, row.tier, False, why))
    return probed


def pulled_report(home: Path) -> list[Availability]:
    return [Availability(m.name, "on_device", True, f"pulled: {m.path}") for m in installed(home)]


def resolve_spec(spec: str, settings: Settings, *, allow_paths: bool, configured_only: bool = False) -> ChatModel:
    """A model from ``-m``: a lite, configured or provider/model name, or (if allowed) a GGUF path or pulled name.

    ``configured_only`` (the HTTP service) refuses ``provider/model`` unless ``[providers.provider]`` exists.
    """
    lite = next((m for m in lite_models() if m.info.name == spec), None)
    if lite is not None:
        return lite
    if spec in settings.models:
        return _local(spec, settings.models[spec], settings.home)
    base, plus, feature = spec.partition("+")
    if plus and base in settings.models and feature in settings.models[base].adapters:
        return _local(base, settings.models[base], settings.home).adapter(feature)
    if "/" in spec and not spec.endswith(".gguf") and not Path(spec).exists():
        key, model_id = spec.split("/", 1)
        pc = settings.providers.get(key)
        if pc is None and configured_only and key not in PROVIDERS:
            raise ModelNotFound(
                f"unknown model {spec!r}",
                message_zh=f"未知的模型 {spec!r}",
                hint="`lingxi models list` shows the names",
            )
        if pc is None and configured_only:
            configured = ", ".join(sorted(settings.providers)) or "none"
            raise PolicyForbidden(
                f"provider {key!r} is not configured by the operator (configured: {configured})",
                message_zh=f"运营方未配置云端服务 {key!r}，不能使用（已配置：{configured}）",
                hint=f"the operator adds [providers.{key}] to lingxi.toml to allow it",
            )
        provider = _provider(key, pc.preset if pc else None)
        return provider.build(
            model_id,
            base_url=pc.base_url if pc else None,
            key_env=pc.key_env if pc else None,
            timeout_s=pc.timeout_s if pc else 60.0,
            name=spec,
            vision=True if pc and model_id in pc.vision_models else None,
        )
    if not allow_paths:
        raise ModelNotFound(
            f"unknown model {spec!r}", message_zh=f"未知的模型 {spec!r}", hint="`lingxi models list` shows the names"
        )
    from lingxi.models.llamacpp import LlamaCppModel

    path = resolve_local(spec, settings.home)
    return LlamaCppModel(path, name=path.stem if spec.endswith(".gguf") else spec)
