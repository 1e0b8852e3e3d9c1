"""Cloud vendor presets, as data: base URL, key variable, known models with list prices, and quirks.

A cloud model is named ``"{provider}/{model}"`` (``dashscope/qwen-plus``); :func:`resolve` splits the name
and :meth:`Provider.build` makes an :class:`~lingxi.models.openai_compat.OpenAICompatModel`. Everything that
differs between vendors lives in this table — base URL, which request fields a vendor rejects (its
:class:`~lingxi.models.openai_compat.Quirks`), per-model ``extra_body`` such as switching Qwen3's thinking
off — so the client has one code path and adding a vendor is adding a row.

Prices are the vendors' list prices in CNY per 1k tokens (vendors publish per 1M; the table keeps their
per-1M numbers and converts) for the first input-length tier, as of 2026-11-23 (sources above the table).
They move often and discounts exist, so they are defaults for cost estimates and the bake-off report,
overridable in configuration — not invoices. A model id that is not in the table is still
accepted (vendors add models every month) with price 0 and a description saying the price is unknown.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from lingxi.errors import MissingCredentials, ModelNotFound
from lingxi.models.base import Locality, ModelInfo, ModelKind
from lingxi.models.openai_compat import FinishReason, OpenAICompatModel, Quirks, Timeouts

__all__ = ["PROVIDERS", "ModelPreset", "Provider", "resolve"]

#: Qwen3 open-weight models think by default on DashScope (and reject non-streaming calls unless told not
#: to). lingxi's features want direct answers, so thinking is switched off per model.
_NO_QWEN_THINKING: Mapping[str, Any] = {"enable_thinking": False}
#: Doubao Seed 1.6 may think before answering unless thinking is disabled; lingxi wants predictable latency.
_NO_ARK_THINKING: Mapping[str, Any] = {"thinking": {"type": "disabled"}}
#: Zhipu and Hunyuan stop a filtered answer with finish_reason "sensitive".
_SENSITIVE: Mapping[str, FinishReason] = {"sensitive": "content_filter"}
#: vision-language presets: images in, no tools promised (the vendors list none for VL models)
_VL: dict[str, Any] = {"supports_vision": True, "supports_tools": False, "extra_body": _NO_QWEN_THINKING}
_VL_OPEN: dict[str, Any] = {"supports_vision": True, "supports_tools": False}


@dataclass(frozen=True)
class ModelPreset:
    """One known model of a provider. Prices are CNY per 1k tokens."""

    id: str
    context_length: int
    input_price_per_1k: float
    output_price_per_1k: float
    supports_tools: bool = True
    supports_json: bool = True
    supports_vision: bool = False
    description: str = ""
    extra_body: Mapping[str, Any] = field(default_factory=dict)


def _m(model_id: str, context: int, in_per_m: float, out_per_m: float, description: str, **kw: Any) -> ModelPreset:
    """A preset from the vendor's per-1M-token prices, as the sources print them."""
    return ModelPreset(model_id, context, in_per_m / 1000, out_per_m / 1000, description=description, **kw)


@dataclass(frozen=True)
class Provider:
    """An OpenAI-compatible vendor (or self-hosted server) and its known models.

    ``key_env`` names the environment variable holding the key (keys are never read from config files);
    ``key_required`` is False for self-hosted servers, which work without one.
    """

    id: str
    name_zh: str
    name_en: str
    base_url: str
    key_env: str | None
    models: tuple[ModelPreset, ...]
    key_required: bool = True
    quirks: Quirks = field(default_factory=Quirks)

    def default_models(self) -> tuple[str, ...]:
        """The ids of the models in the table, built when a config enables the provider without a list."""
        return tuple(m.id for m in self.models)

    def preset(self, model_id: str) -> ModelPreset:
        """The table row for ``model_id``, or an honest placeholder for an id the table does not know."""
        for m in self.models:
            if m.id == model_id:
                return m
        return ModelPreset(
            model_id,
            context_length=8192,
            input_price_per_1k=0.0,
            output_price_per_1k=0.0,
            supports_tools=False,
            supports_json=False,
            description="not in lingxi's preset table: price unknown (0), capabilities assumed absent; "
            "set them in lingxi.toml. 不在预设表中：价格未知（按 0 计），能力按不支持处理。",
        )

    def build(
        self,
        model_id: str,
        *,
        api_key: str | None = None,
        base_url: str | None = None,
        key_env: str | None = None,
        timeout_s: float | None = None,
        name: str | None = None,
        vision: bool | None = None,
        **kw: Any,
    ) -> OpenAICompatModel:
        """A ready model. The key comes from ``api_key`` or the environment; ``name`` overrides the
        ``provider/model`` name (for a config section named differently from its preset); ``vision`` says the
        model accepts images where the table does not know (a self-hosted Qwen2.5-VL); ``timeout_s`` is
        the whole-call deadline; other keywords go to :class:`OpenAICompatModel` (``retry``, ``headers``…).
        """
        env = key_env or self.key_env
        key = api_key or (os.environ.get(env) if env else None) or None
        if key is None and self.key_required:
            var = env or f"{self.id.upper()}_API_KEY"
            raise MissingCredentials(
                f"{self.name_en} needs an API key: set the environment variable {var}",
                message_zh=f"{self.name_zh}需要 API 密钥：请设置环境变量 {var}",
                hint=f"export {var}=...  (create a key in the {self.name_en} console)",
            )
        preset = self.preset(model_id)
        info = ModelInfo(
            name=name or f"{self.id}/{model_id}",
            provider=self.id,
            locality=Locality.CLOUD,  # lingxi cannot tell where a base URL points, so every endpoint is off-device
            kind=ModelKind.LLM,
            description=f"{self.name_zh} {self.name_en}: {preset.description}",
            context_length=preset.context_length,
            supports_tools=preset.supports_tools,
            supports_json=preset.supports_json,
            supports_vision=preset.supports_vision if vision is None else vision,
            cost_input_per_1k_cny=preset.input_price_per_1k,
            cost_output_per_1k_cny=preset.output_price_per_1k,
        )
        quirks = replace(self.quirks, extra_body={**self.quirks.extra_body, **preset.extra_body})
        if timeout_s is not None:
            kw.setdefault("timeouts", Timeouts(total_s=timeout_s))
        return OpenAICompatModel(
            info, base_url=base_url or self.base_url, api_key=key, model_id=model_id, key_env=env, quirks=quirks, **kw
        )


_JSON_MODE_NO_SEED = Quirks(json_schema_mode="json_object", supports_seed=False)

# Prices: CNY per 1M tokens (input, output), first input tier, read 2026-11-23 from LobeHub's model-bank
# (github.com/lobehub/lobe-chat, packages/model-bank/src/aiModels/<vendor>.ts), a maintained table that cites
# the vendor pages named below; the stored copies read may be some months older than that date.
PROVIDERS: dict[str, Provider] = {
    p.id: p
    for p in (
        Provider(
            "dashscope",
            "阿里云百炼（通义千问）",
            "Alibaba Cloud Model Studio (DashScope)",
            "https://dashscope.aliyuncs.com/compatible-mode/v1",
            "DASHSCOPE_API_KEY",
            # help.aliyun.com/zh/model-studio/models (mainland). Longer inputs are billed at higher tiers.
            (
                _m("qwen-flash", 1_000_000, 0.15, 1.5, "fastest, cheapest Qwen3; qwen-turbo's successor"),
                _m("qwen-turbo", 1_000_000, 0.3, 3.0, "no longer updated; use qwen-flash"),
                _m("qwen-plus", 1_000_000, 0.8, 2.0, "balanced Qwen3 (non-thinking output price)"),
                _m("qwen-max", 32_768, 2.4, 9.6, "Qwen2.5-Max"),
                _m("qwen3-max", 262_144, 3.2, 12.8, "flagship Qwen3"),
                _m("qwen3-235b-a22b-instruct-2507", 131_072, 2.0, 8.0, "open Qwen3 235B, non-thinking edition"),
                # Listed output price 20/M is for thinking; with thinking off it bills as the 2507 edition.
                _m("qwen3-235b-a22b", 131_072, 2.0, 8.0, "open Qwen3 235B, thinking off", extra_body=_NO_QWEN_THINKING),
                # Qwen3-VL: images in (OpenAI image_url parts); hybrid thinking, switched off like Qwen3's.
                _m("qwen3-vl-plus", 262_144, 1.0, 10.0, "Qwen3-VL, sees images", **_VL),
                _m("qwen3-vl-flash", 262_144, 0.15, 1.5, "fast Qwen3-VL, sees images", **_VL),
            ),
        ),
        Provider(
            "deepseek",
            "深度求索",
            "DeepSeek",
            "https://api.deepseek.com/v1",
            "DEEPSEEK_API_KEY",
            # api-docs.deepseek.com/zh-cn/quick_start/pricing: V3.2 prices (cache-miss input) from 2025-09-29;
            # LobeHub's copy was older (V3.1), so these follow Roo-Code's DeepSeek table (updated 2025-12-09,
            # USD 0.28 / 0.42 per 1M).
            (
                _m("deepseek-chat", 131_072, 2.0, 3.0, "DeepSeek-V3.2, non-thinking"),
                _m("deepseek-reasoner", 131_072, 2.0, 3.0, "DeepSeek-V3.2 thinking; reasoning tokens are billed"),
            ),
            quirks=_JSON_MODE_NO_SEED,  # JSON mode only; seed is not a documented parameter
        ),
        Provider(
            "qianfan",
            "百度千帆（文心）",
            "Baidu Qianfan (ERNIE)",
            "https://qianfan.baidubce.com/v2",
            "QIANFAN_API_KEY",
            # cloud.baidu.com/doc/qianfan (model list and prices).
            (
                _m("ernie-4.5-turbo-128k", 131_072, 0.8, 3.2, "ERNIE 4.5 Turbo"),
                _m("ernie-x1-turbo-32k", 32_768, 1.0, 4.0, "ERNIE X1 Turbo, a reasoning model"),
                _m("ernie-speed-128k", 131_072, 0.0, 0.0, "free", supports_tools=False, supports_json=False),
            ),
            quirks=_JSON_MODE_NO_SEED,
        ),
        Provider(
            "ark",
            "火山方舟（豆包）",
            "Volcengine Ark (Doubao)",
            "https://ark.cn-beijing.volces.com/api/v3",
            "ARK_API_KEY",
            # volcengine.com/docs/82379 (≤32K input). Seed 1.6 output is 2/M for answers of ≤200 tokens and 8/M
            # otherwise; the table keeps 8. Ark also serves your own endpoints: pass an endpoint id as the
            # model id (``ark/ep-20250101-abcde``); it gets the unknown-model defaults.
            (
                _m("doubao-seed-1-6-251015", 256_000, 0.8, 8.0, "Doubao Seed 1.6", extra_body=_NO_ARK_THINKING),
                _m("doubao-seed-1-6-flash-250828", 256_000, 0.15, 1.5, "Seed 1.6 Flash", extra_body=_NO_ARK_THINKING),
            ),
            quirks=_JSON_MODE_NO_SEED,
        ),
        Provider(
            "hunyuan",
            "腾讯混元",
            "Tencent Hunyuan",
            "https://api.hunyuan.cloud.tencent.com/v1",
            "HUNYUAN_API_KEY",
            # cloud.tencent.com/document/product/1729/97731.
            (
                _m("hunyuan-turbos-latest", 32_000, 0.8, 2.0, "Hunyuan TurboS", supports_json=False),
                _m("hunyuan-lite", 256_000, 0.0, 0.0, "free", supports_tools=False, supports_json=False),
            ),
            quirks=replace(_JSON_MODE_NO_SEED, finish_reasons=_SENSITIVE),
        ),
        Provider(
            "zhipu",
            "智谱",
            "Zhipu GLM",
            "https://open.bigmodel.cn/api/paas/v4",
            "ZHIPUAI_API_KEY",
            # open.bigmodel.cn pricing page.
            (
                _m("glm-4-plus", 128_000, 5.0, 5.0, "GLM-4-Plus"),
                _m("glm-4-flash", 128_000, 0.0, 0.0, "free GLM-4-Flash"),
            ),
            quirks=replace(_JSON_MODE_NO_SEED, finish_reasons=_SENSITIVE),
        ),
        Provider(
            "moonshot",
            "月之暗面（Kimi）",
            "Moonshot Kimi",
            "https://api.moonshot.cn/v1",
            "MOONSHOT_API_KEY",
            # platform.moonshot.cn docs (pricing). Another public table marks moonshot-v1 retired from
            # 2026-08-31: it stays here because configs name it, and a 404 makes the router fall back.
            (
                _m("kimi-k2-0905-preview", 262_144, 4.0, 16.0, "Kimi K2"),
                _m("moonshot-v1-8k", 8_192, 2.0, 10.0, "legacy moonshot-v1; may be retired, see the vendor docs"),
            ),
            quirks=_JSON_MODE_NO_SEED,
        ),
        Provider(
            "vllm",
            "自部署 vLLM",
            "self-hosted vLLM",
            "http://127.0.0.1:8000/v1",
            "LINGXI_VLLM_API_KEY",
            (
                _m("Qwen/Qwen2.5-7B-Instruct", 32_768, 0.0, 0.0, "whatever the server was started with"),
                _m("Qwen/Qwen2.5-VL-7B-Instruct", 32_768, 0.0, 0.0, "a VL model, if the server serves it", **_VL_OPEN),
            ),
            key_required=False,  # only needed when vLLM runs with --api-key
        ),
        Provider(
            "ollama",
            "本地 Ollama",
            "Ollama",
            "http://127.0.0.1:11434/v1",
            None,
            (_m("qwen2.5:7b", 32_768, 0.0, 0.0, "pulled with `ollama pull qwen2.5:7b`"),),
            key_required=False,
        ),
    )
}


def resolve(name: str) -> tuple[Provider, str]:
    """Split ``"provider/model"`` (the model id may itself contain ``/``) into the preset and the model id."""
    provider_id, sep, model_id = name.partition("/")
    if sep and model_id and provider_id in PROVIDERS:
        return PROVIDERS[provider_id], model_id
    known = ", ".join(sorted(PROVIDERS))
    raise ModelNotFound(
        f"unknown cloud model {name!r}: expected provider/model with provider one of {known}",
        message_zh=f"未知的云端模型 {name!r}：应为「服务商/模型」，服务商可选 {known}",
        hint="e.g. dashscope/qwen-plus or deepseek/deepseek-chat",
    )
