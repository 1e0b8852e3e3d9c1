"""The holders of one :class:`~lingxi.Lingxi` home: every store that keeps user data, on either backend.

Registered by the facade right after it has created the stores (:func:`register_holders`), so this is the one
list a reviewer reads to see what export and delete cover. It names stores of every layer (events, audit,
shopping, the assistant's sessions), so it sits just below the facade that builds them and receives them as
:class:`HoldersHost`; :mod:`lingxi.privacy.subject_rights` only walks the registry (``lx.holders``). Stores on
PostgreSQL (events, audit, complaints) are reached through their own interfaces, never through SQL on their
tables; the rest live in the home's SQLite file. Tables written only by ``lingxi serve`` (``user_owner``,
``usage_daily``) are registered here too, because a deletion run from the CLI must erase them while no server
is running.
"""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING, Any, Protocol

# Each store that seals a column (or keeps data derived with the key) registers it when its module is
# imported (lingxi.privacy.sealed); importing every one here is what makes that registry complete.
import lingxi.compliance.complaints
import lingxi.context.index
import lingxi.context.profile
import lingxi.context.store
import lingxi.context.vectors
import lingxi.features.sessions
import lingxi.shopping.sealing  # noqa: F401
from lingxi.ids import ms_to_datetime
from lingxi.privacy import sealed
from lingxi.privacy.holders import Holder, TableHolder
from lingxi.privacy.pseudonyms import user_ref

if TYPE_CHECKING:
    from lingxi.compliance.audit import AuditLog
    from lingxi.compliance.complaints import ComplaintStore
    from lingxi.context.index import SearchIndex
    from lingxi.context.profile import Profile
    from lingxi.context.store import EventStore
    from lingxi.context.vectors import VectorIndex
    from lingxi.features.assistant import Assistant
    from lingxi.privacy.consent import ConsentStore
    from lingxi.privacy.egress import EgressLog
    from lingxi.privacy.holders import Holders
    from lingxi.shopping.hook import ShoppingHook
    from lingxi.storage.sqlite import Database

sealed.mark_complete()

BLANK = ""  # what replaces the user id and request id in egress rows (no real user id is empty)
SHOP_TABLES = ("shop_inter", "shop_queries", "shop_orders", "shop_item_users", "shop_contrib")


#: how the receipt names each component to a person
NAMES_ZH = {
    "events": "事件",
    "search_index": "搜索索引",
    "profile": "画像",
    "vectors": "语义向量",
    "shopping": "购物记录",
    "assistant_sessions": "助手会话",
    "notification_watermarks": "通知已读位置",
    "minors_usage": "未成年人使用时长",
    "suspension": "暂停服务记录",
    "api_ownership": "应用归属",
    "quota_usage": "调用额度",
    "egress": "出境记录（去标识化）",
    "complaints": "投诉",
    "audit_pseudonymous": "假名审计记录（依法保留）",
    "consent": "授权记录",
}


class HoldersHost(Protocol):
    """Every store of a home that keeps data about users, and the registry they go into (the facade)."""

    @property
    def db(self) -> Database: ...
    @property
    def holders(self) -> Holders: ...
    @property
    def events(self) -> EventStore: ...
    @property
    def index(self) -> SearchIndex: ...
    @property
    def profile(self) -> Profile: ...
    @property
    def vectors(self) -> VectorIndex | None: ...
    @property
    def shopping_hook(self) -> ShoppingHook: ...
    @property
    def assistant(self) -> Assistant: ...
    @property
    def egress(self) -> EgressLog: ...
    @property
    def complaints(self) -> ComplaintStore: ...
    @property
    def audit(self) -> AuditLog: ...
    @property
    def consents(self) -> ConsentStore: ...


def _iso(ms: int) -> str:
    return ms_to_datetime(ms).isoformat()


def quota_subject(user_id: str) -> str:
    """The server's daily-quota key for a user (:func:`lingxi.server.limits.user_subject`, without the import)."""
    return "user:" + hashlib.sha256(user_id.encode("utf-8")).hexdigest()[:32]


def register_holders(lx: HoldersHost) -> None:
    """Register a holder for every store of ``lx`` that keeps data about users (see the module doc)."""
    db, add = lx.db, lx.holders.register

    # -- events, on SQLite or PostgreSQL; their delete hooks also clear the index, profile, shopping, vectors
    def all_events(user_id: str) -> list[dict[str, Any]]:
        total = sum(lx.events.count(user_id).values())
        events = lx.events.query(user_id, limit=total) if total else []
        return [e.model_dump(mode="json") for e in sorted(events, key=lambda e: (e.ts, e.event_id))]

    add(Holder("events", all_events, lx.events.delete_user, lambda u: sum(lx.events.count(u).values())))

    def erase_via_hook(hook: Any) -> Any:
        def erase(user_id: str) -> int:
            with db.transaction() as conn:
                hook.on_delete(conn, user_id)
            return 0  # counted by the receipt as held before minus held after

        return erase

    add(
        Holder(
            "search_index",
            lambda u: {"indexed_events": lx.index.count(u), "note": "words are stored as keyed hashes only"},
            erase_via_hook(lx.index),
            lx.index.count,
        )
    )
    add(
        TableHolder(
            "profile",
            db,
            ("profiles",),
            export=lambda u: lx.profile.get(u).model_dump(mode="json"),
            erase=erase_via_hook(lx.profile),
        )
    )
    vector_erase = erase_via_hook(lx.vectors) if lx.vectors is not None else None
    add(TableHolder("vectors", db, ("event_vectors", "vector_queue"), erase=vector_erase))
    add(
        TableHolder(
            "shopping", db, SHOP_TABLES, export=lambda u: _shopping(lx, u), erase=erase_via_hook(lx.shopping_hook)
        )
    )
    add(
        TableHolder(
            "assistant_sessions",
            db,
            ("assistant_sessions", "assistant_messages"),
            export=lx.assistant.sessions.export_user,
            erase=lx.assistant.sessions.delete_user,
        )
    )
    add(TableHolder("notification_watermarks", db, ("notification_watermarks",)))
    add(TableHolder("minors_usage", db, ("minors_usage",)))
    add(
        TableHolder("suspension", db, ("suspension_state", "suspension_strike", "suspension_log"), "user_ref", user_ref)
    )
    add(TableHolder("api_ownership", db, ("user_owner",)))
    add(TableHolder("quota_usage", db, ("usage_daily",), "subject", quota_subject))
    add(
        TableHolder(
            "egress", db, ("egress_log",), export=lambda u: _egress(lx, u), erase=lambda u: _anonymize_egress(lx, u)
        )
    )
    # complaints before the audit log: they are found through the audit records of the user's requests
    add(
        Holder(
            "complaints",
            lambda u: _complaints(lx, u),
            lambda u: lx.complaints.erase([c["id"] for c in _complaints(lx, u)]),
            lambda u: len(_complaints(lx, u)),
        )
    )
    add(
        Holder(
            "audit_pseudonymous",
            lambda u: lx.audit.entries_for(lx.audit.pseudonym(u), user_ref(u)),
            lambda u: 0,
            lambda u: len(lx.audit.entries_for(lx.audit.pseudonym(u), user_ref(u))),
            retained=True,
        )
    )
    # consents last: while a deletion runs, the user's scopes still say what was consented to
    add(
        TableHolder(
            "consent",
            db,
            ("consent_log", "consent_settings_log"),
            export=lambda u: _consent(lx, u),
            erase=lx.consents.forget,
        )
    )


def _consent(lx: HoldersHost, user_id: str) -> dict[str, Any]:
    return {
        "status": lx.consents.status(user_id).model_dump(mode="json"),
        "history": [
            {"kind": r.kind, "name": r.name, "value": r.value, "time": _iso(r.ts), "source": r.source}
            for r in lx.consents.history(user_id)
        ],
    }


def _egress(lx: HoldersHost, user_id: str) -> list[dict[str, Any]]:
    with lx.db.connect() as conn:
        (n,) = conn.execute("SELECT COUNT(*) FROM egress_log WHERE user_id = ?", (user_id,)).fetchone()
    rows = lx.egress.for_user(user_id, limit=n) if n else []
    return [
        {
            "id": r.id,
            "time": _iso(r.ts),
            "request_id": r.request_id,
            "model": r.model,
            "provider": r.provider,
            "bytes": r.bytes,
            "redactions": r.redactions,
            "payload_sha256": r.payload_sha256,
            "consents": r.consents,  # which consent let it leave (PIPL Art. 23)
            "images": r.images,  # pictures that left as pixels (0: text only)
        }
        for r in reversed(rows)
    ]


def _anonymize_egress(lx: HoldersHost, user_id: str) -> int:
    """Keep the non-personal facts of each transfer (Art. 23: who received data); blank who and which request."""
    with lx.db.transaction() as conn:
        sql = "UPDATE egress_log SET user_id = ?, request_id = ? WHERE user_id = ?"
        return int(conn.execute(sql, (BLANK, BLANK, user_id)).rowcount)


def _complaints(lx: HoldersHost, user_id: str) -> list[dict[str, Any]]:
    entries = lx.audit.entries_for(lx.audit.pseudonym(user_id), user_ref(user_id))
    audit_ids = [str(e["id"]) for e in entries]
    request_ids = [str(e["request_id"]) for e in entries if e.get("request_id")]
    if not entries:
        return []
    return [c.model_dump(mode="json") for c in lx.complaints.linked(audit_ids, request_ids)]


def _shopping(lx: HoldersHost, user_id: str) -> dict[str, Any]:
    """The user's shopping interactions and (decrypted) searches; shared item counts hold no user id."""
    seal = lx.shopping_hook.seal
    with lx.db.connect() as conn:
        inter = conn.execute(
            "SELECT ts, item_id, kind, weight, session, event_id FROM shop_inter WHERE user_id = ? ORDER BY ts",
            (user_id,),
        ).fetchall()
        queries = conn.execute(
            "SELECT ts, query, event_id FROM shop_queries WHERE user_id = ? ORDER BY ts", (user_id,)
        ).fetchall()
        orders = conn.execute(
            "SELECT order_id, ts, cancelled FROM shop_orders WHERE user_id = ? ORDER BY ts", (user_id,)
        ).fetchall()
    return {
        "interactions": [dict(r) for r in inter],
        "searches": [
            {
                "ts": r["ts"],
                "event_id": r["event_id"],
                "query": seal.open(r["query"], owner=user_id, record_id=str(r["event_id"])),
            }
            for r in queries
        ],
        "orders": [dict(r) for r in orders],
    }
