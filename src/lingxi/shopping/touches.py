"""What one shopping event says about one item: its stable id and the weight of the interaction.

Split from :mod:`lingxi.shopping.hook` (which writes the tables) so the rules of *what counts how much* read in
one place: a browse by its dwell time, an order, an add-to-cart or favourite — first-class ``cart`` and
``favorite`` events (event model v2) and, for apps that still send them, ``app_action`` events whose action
means the same (:data:`INTEREST_ACTIONS`).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from lingxi.context.events import AppActionEvent, CartEvent, FavoriteEvent

# weight of one interaction per kind: an order says more than a glance; a payment confirms an order
W_ORDER, W_PAYMENT, W_BROWSE_MIN, W_BROWSE_MAX = 1.0, 0.3, 0.2, 0.8
# putting an item in the cart or the favourites says more than any look at it, a little less than buying
W_INTEREST = {"cart": 1.0, "favorite": 0.9}
#: ``app_action`` actions that mean "added to cart" / "favourited" (the assistant's add_to_cart tool included)
INTEREST_ACTIONS = {
    "add_to_cart": "cart", "cart": "cart", "加购": "cart", "加入购物车": "cart",
    "favorite": "favorite", "favourite": "favorite", "收藏": "favorite",
}  # fmt: skip
_DWELL_FULL_MS = 30_000


def item_id_for(platform: str, name: str) -> str:
    """A stable id for an item that came without one: platform + normalized name, hashed."""
    digest = hashlib.sha1(f"{platform}\x1f{' '.join(name.split())}".encode()).hexdigest()[:16]
    return f"{platform}:n:{digest}"


def browse_weight(dwell_ms: int) -> float:
    """A glance counts little, half a minute on the page counts fully."""
    return W_BROWSE_MIN + (W_BROWSE_MAX - W_BROWSE_MIN) * min(dwell_ms, _DWELL_FULL_MS) / _DWELL_FULL_MS


@dataclass(frozen=True)
class Touch:
    """One interaction with one item, as the shopping tables record it."""

    item_id: str
    name: str
    category: str
    brand: str
    price_fen: int | None
    platform: str
    weight: float


def interest_touch(e: AppActionEvent) -> Touch | None:
    """An add-to-cart or favourite action as an interaction with its item (``params``: ``item_name`` or ``item``,
    ``platform``, ``category``, ``brand``, ``price_fen``; the name falls back to ``target``); None otherwise."""
    kind = INTEREST_ACTIONS.get(e.action)
    p = e.params
    name = str(p.get("item_name") or p.get("item") or e.target).strip()
    if kind is None or not name:
        return None
    platform = str(p.get("platform") or e.app)
    price = p.get("price_fen")
    return Touch(
        item_id_for(platform, name), name, str(p.get("category") or ""), str(p.get("brand") or ""),
        price if isinstance(price, int) and price >= 0 else None, platform, W_INTEREST[kind],
    )  # fmt: skip


def item_touch(e: CartEvent | FavoriteEvent) -> Touch | None:
    """A ``cart``/``favorite`` event (event model v2) as an interaction with its item; None for a removal
    (taking an item out again adds no interest, and what the earlier add said about taste stays true)."""
    if e.action != "add":
        return None
    return Touch(
        item_id_for(e.platform, e.item_name), e.item_name, e.category, e.brand, e.price_fen, e.platform,
        W_INTEREST[e.type],
    )  # fmt: skip
