"""Shopping recommendations for one user: consent, minors and non-personalized rules around the core ranker.

Why a service and not a pipeline feature: ranking is classical (no LLM, see :mod:`lingxi.shopping.core`), so
no prompt or model is involved; what this layer adds is the policy — the shopping scope is required, a
user in non-personalized mode (PIPL Art. 24) gets popularity only, and a minor gets no personalized
shopping (``allows_personalized_shopping``) — and the user's profile facts as ranking signals.
"""

from __future__ import annotations

import asyncio
import time
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, Field

from lingxi.compliance.minors import allows_personalized_shopping
from lingxi.errors import InvalidInput
from lingxi.ids import now_ms as clock_ms
from lingxi.privacy.consent import Scope
from lingxi.shopping import core
from lingxi.shopping.sealing import TextSeal

if TYPE_CHECKING:
    from lingxi.features.host import ShoppingHost

Mode = Literal["personalized", "popularity", "none"]


class RecommendedItem(BaseModel):
    item_id: str
    name: str
    category: str
    brand: str
    price: float | None = Field(description="yuan, when known")
    score: float
    reasons_zh: list[str]


class Recommendations(BaseModel):
    user_id: str
    mode: Mode
    reason_zh: str
    items: list[RecommendedItem]
    as_of_ms: int
    took_ms: float = Field(description="time spent ranking, milliseconds")
    method: str = "规则式推荐（共现+序列+画像+热度，非大模型）"


class Shopping:
    """``lx.shopping``: real-time recommendations from the :class:`~lingxi.shopping.hook.ShoppingHook` tables."""

    def __init__(self, lx: ShoppingHost, weights: core.Weights | None = None) -> None:
        self.lx = lx
        self.weights = weights or core.Weights()
        self.seal = TextSeal(lx.vault)  # the hook sealed item names and queries with the same vault

    def _signals(self, user_id: str, now: int) -> core.UserSignals:
        """The user's profile (categories, brands, price bands) as ranking signals, with its own wording."""
        p = self.lx.profile.get(user_id, now_ms=now, top=10)
        bought_brands = {b.name for b in p.brands if "买" in b.explanation_zh}
        return core.UserSignals(
            categories={f.name: f.score for f in p.categories},
            brands={f.name: f.score * (1.0 if f.name in bought_brands else 0.6) for f in p.brands},
            price_bands={b.category: (b.p25_fen, b.p75_fen) for b in p.price_bands if b.category},
        )

    async def arecommend(self, user_id: str, k: int = 10, now_ms: int | None = None) -> Recommendations:
        if not 1 <= k <= 100:
            raise InvalidInput(f"k must be between 1 and 100 (got {k})", message_zh=f"k 须在 1 到 100 之间（收到 {k}）")
        return await asyncio.to_thread(self._recommend, user_id, k, now_ms)

    def recommend(self, user_id: str, k: int = 10, now_ms: int | None = None) -> Recommendations:
        """Top ``k`` items with Chinese reasons; raises ``ConsentRequired`` without the shopping scope."""
        return asyncio.run(self.arecommend(user_id, k, now_ms))

    def _recommend(self, user_id: str, k: int, now_ms: int | None) -> Recommendations:
        status = self.lx.consents.require(user_id, frozenset({Scope.SHOPPING}))
        now = now_ms if now_ms is not None else clock_ms()
        mode: Mode = "personalized"
        reason = "根据你最近的浏览、购买、搜索和画像推荐"
        if not allows_personalized_shopping(status):
            mode, reason = "popularity", "未成年人不提供个性化购物推荐，以下为近期热门商品"
        elif status.non_personalized:
            mode, reason = "popularity", "你已关闭个性化推荐，以下为不基于个人信息的近期热门商品"
        started = time.perf_counter()
        personalized = mode == "personalized"
        signals = self._signals(user_id, now) if personalized else None
        with self.lx.db.connect() as conn:
            ranked = core.recommend(
                conn,
                user_id,
                now_ms=now,
                k=k,
                weights=self.weights,
                signals=signals,
                personalized=personalized,
                seal=self.seal,
            )
        took = (time.perf_counter() - started) * 1000
        if not ranked:
            mode, reason = ("none", "暂无可推荐的商品（还没有足够的购物数据）")
        items = [
            RecommendedItem(
                item_id=s.item_id,
                name=s.name,
                category=s.category,
                brand=s.brand,
                price=None if s.price_fen is None else s.price_fen / 100,
                score=s.score,
                reasons_zh=s.reasons_zh if personalized else ["近期热门"],
            )
            for s in ranked
        ]
        return Recommendations(user_id=user_id, mode=mode, reason_zh=reason, items=items, as_of_ms=now, took_ms=took)
