"""Encryption at rest for the shopping tables: item names and search queries are sealed with the Vault.

What a user looked at and searched for is personal data, so the two free-text columns that hold it —
``shop_items.name`` and ``shop_queries.query`` — are sealed like event payloads (AES-GCM, bound to the row).
Category, brand, price and the counts stay in the clear: they are coarse facets the ranker filters and
groups by in SQL, and they say little about one person without the names. Offline evaluation on a public
log passes no vault (:data:`PLAIN`), so its tables hold plain text.
"""

from __future__ import annotations

from lingxi.privacy.crypto import Vault
from lingxi.privacy.sealed import SealedColumn, by_user, register

#: the "user" catalog rows are bound to: the catalog is shared by the device's users, not one person's
CATALOG = "shopping-catalog"

register(  # the tables are shopping.hook's; rows written without a vault hold plain text and are skipped
    SealedColumn("shop_items", "name", ("item_id",), lambda r: CATALOG, lambda r: str(r["item_id"])),
    SealedColumn(
        "shop_queries", "query", ("rowid",), by_user, lambda r: str(r["event_id"]), also=("user_id", "event_id")
    ),
)


class TextSeal:
    """Seal and open the shopping tables' free text (no vault: stored and read as it is)."""

    def __init__(self, vault: Vault | None) -> None:
        self.vault = vault

    def seal(self, text: str, *, owner: str, record_id: str) -> str | bytes:
        if self.vault is None:
            return text
        return self.vault.seal(text.encode(), user_id=owner, record_id=record_id)

    def open(self, stored: str | bytes, *, owner: str, record_id: str) -> str:
        if isinstance(stored, str):  # plaintext (no vault when written)
            return stored
        if self.vault is None:
            raise ValueError("sealed shopping data needs the vault to read")
        return self.vault.open(stored, user_id=owner, record_id=record_id).decode()

    def name(self, stored: str | bytes, item_id: str) -> str:
        return self.open(stored, owner=CATALOG, record_id=item_id)


PLAIN = TextSeal(None)
