"""Choosing the models for a request: policy, privacy, capability, budget and health, in that order.

The router turns (feature, requested model, task, privacy class, cloud consent, budget) into an ordered list
of candidates; the generate stage tries them in order and falls back on failure. Policy decides first: the
first rule matching the feature and privacy class (from ``lingxi.toml``), else the default model, and the
lite tier always last. A model the caller named is only a *preference inside* what policy allows: with a
matching rule it must be one of the rule's candidates (it then moves to the front), otherwise the request is
refused with :class:`~lingxi.errors.PolicyForbidden` naming the rule — a client cannot talk its way past a
rule such as "personal → on device". With no rule, any model the operator configured may be preferred.
A request that turns fallback off gets its named model alone (still inside the rule).
A turn carrying a picture that may leave (``images``: the caller checked the operator's switch and both of
the user's consents, see :mod:`lingxi.vision.outbound`) prefers the models that see: those among the rule's
candidates, or with no rule any configured one, move ahead of the others (after a model the caller named,
which stays first); a model that does not see still follows, and gets the recognized text only.
Then candidates are dropped, never reordered, by four rules that live here and nowhere else:

1. privacy — personal data (anything but ``public``) never goes to an off-device model without the user's
   separate ``cloud_processing`` consent (PIPL Art. 23: providing personal information to another
   processor needs separate consent); when that leaves nothing, the request fails with
   :class:`~lingxi.errors.ConsentRequired` naming the scope;
2. capability — a model must be able to do the task (classical models list their tasks);
3. budget — a cloud model whose estimated cost exceeds the request's cost budget, or whose measured median
   time-to-first-token exceeds its latency budget, is skipped;
4. health — a provider whose circuit breaker is open is skipped.

The lite tier is exempt from budget and health: it is the floor that keeps every feature answering.
"""

from __future__ import annotations

import fnmatch
import math
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from lingxi.errors import ConsentRequired, ModelNotFound, ModelUnavailable, PolicyForbidden
from lingxi.models.base import ChatModel, Locality, Message, ModelInfo, Task
from lingxi.models.health import Health
from lingxi.privacy.classify import PrivacyClass

LITE_ALIAS = "lite"
#: the model name an OpenAI-style client (which must name one) sends to let the policy choose
AUTO_ALIAS = "auto"
LITE_PROVIDER = "lite"
#: Chinese text averages about 1.4 characters per token in Qwen-family tokenizers; used for cost estimates.
CHARS_PER_TOKEN = 1.4
DEFAULT_OUTPUT_TOKENS = 512
#: The skip reason of the privacy rule; a request left with no model only because of it needs consent.
NEEDS_CLOUD_CONSENT = "personal data goes to a cloud model only with the user's separate cloud_processing consent"


@dataclass(frozen=True)
class Rule:
    """``feature`` is a glob (``notifications.*``); ``privacy`` None matches every class."""

    feature: str
    candidates: tuple[str, ...]
    privacy: PrivacyClass | None = None

    def matches(self, feature: str, privacy: PrivacyClass) -> bool:
        return fnmatch.fnmatchcase(feature, self.feature) and self.privacy in (None, privacy)


@dataclass(frozen=True)
class Budget:
    """Per-request limits; None means no limit."""

    max_cost_cny: float | None = None
    max_latency_ms: float | None = None


def estimate_cost_cny(info: ModelInfo, messages: Sequence[Message], max_tokens: int | None) -> float:
    """Upper-bound-ish cost of one request from list prices (input estimated from characters)."""
    prompt_tokens = math.ceil(sum(len(m.content) for m in messages) / CHARS_PER_TOKEN)
    output_tokens = max_tokens or DEFAULT_OUTPUT_TOKENS
    return (prompt_tokens * info.cost_input_per_1k_cny + output_tokens * info.cost_output_per_1k_cny) / 1000


@dataclass(frozen=True)
class Decision:
    """The candidates, plus why each other model was left out (for the audit trail and debugging)."""

    candidates: list[ChatModel]
    skipped: dict[str, str]


class Router:
    """A registry of models plus the candidate policy."""

    def __init__(
        self,
        models: Iterable[ChatModel],
        default: str,
        rules: Sequence[Rule] = (),
        health: Health | None = None,
        resolver: Callable[[str], ChatModel] | None = None,
    ) -> None:
        self._models: dict[str, ChatModel] = {}
        for m in models:
            self.register(m)
        self.default = default
        self.rules = list(rules)
        self.health = health or Health()
        self._resolver = resolver
        self._lock = threading.Lock()

    def register(self, model: ChatModel) -> None:
        self._models[model.info.name] = model

    async def aclose(self) -> None:
        """Close the connection pools the models opened on the running loop (a server's shutdown): an aiohttp
        session collected unclosed is logged as an error."""
        for model in list(self._models.values()):
            aclose = getattr(model, "aclose", None)
            if aclose is not None:
                await aclose()

    def infos(self) -> list[ModelInfo]:
        return [m.info for m in self._models.values()]

    def get(self, name: str) -> ChatModel:
        """A registered model, or one the resolver can build on demand (then registered for reuse)."""
        if name not in self._models and self._resolver is not None and "/" in name:
            with self._lock:
                if name not in self._models:
                    self._models[name] = self._resolver(name)
        if name not in self._models:
            known = ", ".join(sorted([LITE_ALIAS, *self._models]))
            raise ModelNotFound(
                f"unknown model {name!r}; known: {known}",
                message_zh=f"未知的模型 {name!r}",
                hint="`lingxi models list` shows what is available",
            )
        return self._models[name]

    def _expand(self, name: str) -> list[ChatModel]:
        if name == LITE_ALIAS:
            return [m for m in self._models.values() if m.info.provider == LITE_PROVIDER]
        return [self.get(name)]

    def decide(
        self,
        *,
        feature: str,
        requested: str | None,
        task: Task | None,
        privacy: PrivacyClass,
        cloud_ok: bool,
        messages: Sequence[Message] = (),
        max_tokens: int | None = None,
        budget: Budget = Budget(),
        fallback: bool = True,
        images: bool = False,
    ) -> Decision:
        """Ordered candidates and the reasons for every skip; raises when policy leaves none.

        With ``fallback`` off a requested model is the only candidate: a caller that named a model learns
        that it cannot be used rather than getting another tier's answer under a 200.
        """
        rule = next((r for r in self.rules if r.matches(feature, privacy)), None)
        names = [*(rule.candidates if rule else (self.default,)), LITE_ALIAS]
        policy = [m for n in names for m in self._expand(n)]
        if images:  # a picture that may leave: the models that see first, within what the policy allows
            pool = policy if rule is not None else [*self._models.values(), *policy]
            policy = [*(m for m in pool if m.info.supports_vision), *policy]
        if requested:
            preferred = self._expand(requested)
            if rule is not None and not all(any(p is m for m in policy) for p in preferred):
                allowed = ", ".join(dict.fromkeys(m.info.name for m in policy))
                raise PolicyForbidden(
                    f"routing rule feature={rule.feature!r} privacy={rule.privacy or '*'} does not allow model "
                    f"{requested!r} for {feature!r} ({privacy.value} data); allowed: {allowed}",
                    message_zh=f"路由策略（功能 {rule.feature}，数据类别 {rule.privacy or '任意'}）不允许使用模型 "
                    f"{requested}；可用：{allowed}",
                    hint="leave the model out to let the policy choose, or ask the operator to change routing.rules",
                )
            policy = [*preferred, *policy] if fallback else preferred
        result: list[ChatModel] = []
        skipped: dict[str, str] = {}
        for m in policy:
            info = m.info
            if info.name in skipped or any(r.info.name == info.name for r in result):
                continue
            reason = self._exclusion(info, task, privacy, cloud_ok, messages, max_tokens, budget)
            if reason:
                skipped[info.name] = reason
            else:
                result.append(m)
        if not result:
            if NEEDS_CLOUD_CONSENT in skipped.values():
                raise ConsentRequired(["cloud_processing"])
            kind = task.kind if task else "chat"
            why = "; ".join(f"{k}: {v}" for k, v in skipped.items())
            if requested and not fallback:
                raise ModelUnavailable(
                    f"model {requested!r} cannot serve this request ({why})",
                    message_zh=f"所指定的模型 {requested} 无法处理该请求（{why}）",
                    hint="choose another model (GET /v1/models), or send X-Lingxi-Fallback: allow to let lingxi pick",
                )
            raise ModelUnavailable(
                f"no model can do {kind!r} for this request under the current policy ({why})",
                message_zh=f"当前没有可处理该请求（{kind}）的模型",
                hint="choose another model, relax the budget, or grant cloud_processing",
            )
        return Decision(result, skipped)

    def _exclusion(
        self,
        info: ModelInfo,
        task: Task | None,
        privacy: PrivacyClass,
        cloud_ok: bool,
        messages: Sequence[Message],
        max_tokens: int | None,
        budget: Budget,
    ) -> str | None:
        if not info.can_do(task):
            return f"cannot do {task.kind if task else 'chat'}"
        if info.locality is Locality.CLOUD and privacy is not PrivacyClass.PUBLIC and not cloud_ok:
            return NEEDS_CLOUD_CONSENT
        if info.provider == LITE_PROVIDER:
            return None
        if budget.max_cost_cny is not None:
            cost = estimate_cost_cny(info, messages, max_tokens)
            if cost > budget.max_cost_cny:
                return f"estimated cost {cost:.4f} CNY over budget {budget.max_cost_cny}"
        if budget.max_latency_ms is not None:
            p50 = self.health.p50_ttft_ms(info.provider)
            if p50 is not None and p50 > budget.max_latency_ms:
                return f"median time to first token {p50:.0f} ms over budget {budget.max_latency_ms:.0f} ms"
        if not self.health.available(info.provider):
            return "circuit open after repeated failures"
        return None
