"""Per-feature LoRA adapters on one llama.cpp base model, swapped per request (one base, many adapters).

Why per request and not per load: llama.cpp's server loads every adapter named in ``lora_adapters`` once,
beside the base weights, and applies them to a request according to the request's ``lora`` field
(``[{"id": i, "scale": s}]``); the base's weights are never rewritten, so switching adapters costs no
reload.

Measured with the bundled llama.cpp (xllamacpp 2026.10.11549, tiny random model and adapters, greedy): a
request *without* ``lora`` (or with ``[]``) ran with every adapter at its load-time scale even with
``lora_init_without_apply`` set, while a list naming some adapters set the unnamed ones to 0, and an
all-zero list gave exactly the output of the same GGUF loaded without adapters. So adapters are loaded at
scale 0 and *every* request names every adapter's scale: the base sends all zeros, an adapter view its own
scale and zeros for the rest.

Also measured: llama.cpp's RAM prompt cache (``cache_ram_mib``, shared across requests) matches cached prompts
by tokens only, not by adapter. After "base on P1, adapter on P2, adapter on P1" the third answer differed
from the adapter's answer on P1 in a fresh server — it reused KV computed without the adapter. A model with
adapters therefore runs with that cache off (``cache_ram_mib = 0``); the slot's own prefix reuse stays, and
llama.cpp clears it itself when a request's adapters differ from the slot's last ones.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import xllamacpp as xlc  # type: ignore[import-untyped]

from lingxi.errors import InvalidInput, NotFound

if TYPE_CHECKING:
    from lingxi.models.llamacpp import LlamaCppModel

__all__ = ["adapter_view", "check_adapter", "lora_field", "lora_params"]


def check_adapter(path: Path) -> None:
    """A clear error for a missing or non-GGUF adapter (the binding only says it failed to start)."""
    if not path.is_file():
        raise NotFound(f"LoRA adapter not found: {path}", message_zh=f"找不到 LoRA 适配器文件：{path}")
    with path.open("rb") as f:
        if f.read(4) != b"GGUF":
            raise InvalidInput(
                f"not a GGUF LoRA adapter: {path}",
                message_zh=f"不是 GGUF 格式的 LoRA 适配器：{path}",
                hint="convert with llama.cpp's convert_lora_to_gguf.py",
            )


def lora_params(params: Any, adapters: Mapping[str, Path]) -> dict[str, int]:
    """Add ``adapters`` (feature → GGUF) to the binding's parameters; return feature → adapter id.

    Use :func:`lora_field` for each request: it names every adapter's scale (see the module docstring).
    """
    infos = []
    for path in adapters.values():
        check_adapter(path)
        info = xlc.CommonAdapterLoraInfo()
        info.path, info.scale = str(path), 0.0  # off by default; requests set scales explicitly
        infos.append(info)
    if infos:
        params.lora_adapters = infos
        params.lora_init_without_apply = True  # every adapter off unless a request names it
        params.cache_ram_mib = 0  # no cross-request prompt cache: it does not tell adapters apart
    return {feature: i for i, feature in enumerate(adapters)}


def lora_field(adapter_ids: Mapping[str, int], active: int | None, scale: float = 1.0) -> list[dict[str, Any]]:
    """The request's ``lora`` field: ``active`` at ``scale``, every other adapter at 0 (all 0 for the base)."""
    return [{"id": i, "scale": scale if i == active else 0.0} for i in sorted(adapter_ids.values())]


def adapter_view(base: LlamaCppModel, feature: str, scale: float = 1.0) -> LlamaCppModel:
    """The same loaded model, answering with the feature's adapter: routable as ``BASE+FEATURE``.

    A shallow copy shares the weights, the slots and the worker threads with ``base``; only its name and the
    ``lora`` field it sends differ.
    """
    if feature not in base.adapter_ids:
        raise NotFound(
            f"no LoRA adapter for {feature!r} on {base.info.name}", message_zh=f"没有「{feature}」的 LoRA 适配器"
        )
    view = copy.copy(base)
    view._parent = base
    view._lora = lora_field(base.adapter_ids, base.adapter_ids[feature], scale)
    view._info = base.info.model_copy(
        update={
            "name": f"{base.info.name}+{feature}",
            "description": f"{base.info.description} LoRA adapter for {feature}. 「{feature}」功能的 LoRA 适配器。",
        }
    )
    view.timings = None
    return view
