"""Gold answers: a small, obviously-right evaluator of a question's spec over the raw events.

Independent of lingxi's code by design. Entity state at "now" = for each id, the version with the greatest
``ts`` at or before now (equal ``ts``: the later one in arrival order). Every gold answer carries the event ids
it rests on (``required``) and the ids a careful answer may also cite (``acceptable``: other versions of the
same entities, the payment ↔ order link, corrections of a cited message, the sender's contact card).
"""

from __future__ import annotations

from typing import Any

Event = dict[str, Any]
Gold = dict[str, Any]
LINK_MS = 72 * 3_600_000


def latest(events: list[Event], kind: str, key: str, now: int) -> dict[str, tuple[Event, list[str]]]:
    """Entity id → (current version, ids of all its versions so far)."""
    state: dict[str, tuple[Event, list[str]]] = {}
    for e in events:
        if e["type"] != kind or e["ts"] > now:
            continue
        eid = e.get(key) or e["event_id"]
        cur = state.get(eid)
        versions = [*cur[1], e["event_id"]] if cur else [e["event_id"]]
        state[eid] = (e if cur is None or e["ts"] >= cur[0]["ts"] else cur[0], versions)
    return state


def messages(events: list[Event], now: int) -> list[tuple[Event, list[str]]]:
    """Messages with deletions and corrections applied: (message as it reads now, ids of it and its updates)."""
    updates: dict[str, list[Event]] = {}
    for e in events:
        if e["type"] == "message_update" and e["ts"] <= now:
            updates.setdefault(e["target_event_id"], []).append(e)
    out = []
    for e in events:
        if e["type"] != "message" or e["ts"] > now:
            continue
        ups = updates.get(e["event_id"], [])
        cur = dict(e)
        for u in sorted(ups, key=lambda u: u["ts"]):
            if u["op"] == "delete":
                cur = {}
                break
            cur["text"] = u["text"]
        if cur:
            out.append((cur, [e["event_id"], *(u["event_id"] for u in ups)]))
    return out


def _order_links(events: list[Event], now: int) -> dict[str, str]:
    """payment event_id → order_id (by id, else same platform, amount, within 72 h after the order was placed)."""
    orders = latest(events, "order", "order_id", now)
    placed = {oid: min(x["ts"] for x in events if x["type"] == "order" and x["order_id"] == oid) for oid in orders}
    links = {}
    for e in events:
        if e["type"] != "payment" or e["ts"] > now:
            continue
        if e["order_id"]:
            links[e["event_id"]] = e["order_id"]
            continue
        for oid, (o, _) in orders.items():
            if (
                o["platform"] == e["merchant"]
                and o["total_fen"] == e["amount_fen"]
                and 0 <= e["ts"] - placed[oid] <= LINK_MS
            ):
                links[e["event_id"]] = oid
                break
    return links


def _pays(events: list[Event], spec: dict[str, Any], now: int) -> list[Event]:
    out = []
    for e in events:
        if e["type"] != "payment" or e["direction"] != "out" or e["ts"] > now:
            continue
        if not spec["start"] <= e["ts"] < spec["end"]:
            continue
        if "category" in spec and e["category"] != spec["category"]:
            continue
        if "merchant" in spec and e["merchant"] != spec["merchant"]:
            continue
        if "exclude_category" in spec and e["category"] == spec["exclude_category"]:
            continue
        out.append(e)
    return out


def _with_orders(events: list[Event], pay_ids: list[str], now: int) -> list[str]:
    links = _order_links(events, now)
    orders = latest(events, "order", "order_id", now)
    extra = [v for pid in pay_ids if pid in links and links[pid] in orders for v in orders[links[pid]][1]]
    return [*pay_ids, *extra]


def _orders_in(events: list[Event], spec: dict[str, Any], now: int) -> list[tuple[Event, list[str]]]:
    """Orders placed in the window on the given platforms: (current version, version ids), placed-first."""
    out = []
    for cur, versions in latest(events, "order", "order_id", now).values():
        first = next(e for e in events if e["event_id"] == versions[0])
        if cur["platform"] in spec["platforms"] and spec["start"] <= first["ts"] < spec["end"]:
            out.append((cur, versions))
    return sorted(out, key=lambda x: x[1][0])


def _gold(kind: str, value: Any, required: list[str], acceptable: list[str] | None = None) -> Gold:
    return {"kind": kind, "value": value, "required": required, "acceptable": sorted({*required, *(acceptable or [])})}


NONE: Gold = {"kind": "none", "value": None, "required": [], "acceptable": []}


def evaluate(spec: dict[str, Any], events: list[Event], now: int) -> Gold:
    op = spec["op"]
    if op in ("sum_pay", "count_pay", "pick_pay"):
        pays = _pays(events, spec, now)
        if not pays:
            return NONE if op != "count_pay" or spec.get("zero_is_none") else _gold("count", 0, [])
        if op == "sum_pay":
            ids = [p["event_id"] for p in pays]
            return _gold("money", sum(p["amount_fen"] for p in pays), ids, _with_orders(events, ids, now))
        if op == "count_pay":
            ids = [p["event_id"] for p in pays]
            return _gold("count", len(pays), ids, _with_orders(events, ids, now))
        which = spec["which"]
        if which in ("max", "min"):
            amounts = [p["amount_fen"] for p in pays]
            target = max(amounts) if which == "max" else min(amounts)
            # equal amounts: the earliest is required, citing any of them is acceptable
            ties = [p["event_id"] for p in pays if p["amount_fen"] == target]
            return _gold("money", target, ties[:1], _with_orders(events, ties, now))
        pick = max(pays, key=lambda p: p["ts"]) if which == "last" else min(pays, key=lambda p: p["ts"])
        return _gold("money", pick["amount_fen"], [pick["event_id"]], _with_orders(events, [pick["event_id"]], now))
    if op in ("count_orders", "list_orders", "exists_orders"):
        found = _orders_in(events, spec, now)
        req = [v[0] for _, v in found]
        acc = [x for _, v in found for x in v]
        if op == "count_orders":
            return _gold("count", len(found), req, acc)
        if op == "exists_orders":
            return _gold("yesno", bool(found), req, acc)
        if not found:
            return NONE
        return _gold("list", [i["name"] for o, _ in found for i in o["items"]], req, acc)
    if op in ("order_status", "order_eta"):
        cur, versions = latest(events, "order", "order_id", now)[spec["order_id"]]
        if op == "order_status":
            return _gold("status", cur["status"], [cur["event_id"]], versions)
        if not cur.get("eta_day"):
            return NONE
        return _gold("date", cur["eta_day"], [cur["event_id"]], versions)
    if op in ("free", "list_cal", "count_cal"):
        entries = latest(events, "calendar", "entry_id", now)
        live = [(e, v) for e, v in entries.values() if e.get("status", "confirmed") != "cancelled"]
        if op == "free":
            hit = [(e, v) for e, v in live if e["start_ts"] < spec["end"] and e["end_ts"] > spec["start"]]
            touched = [
                x
                for e, v in entries.values()
                for x in v
                if any(
                    spec["start"] < o["end_ts"] and o["start_ts"] < spec["end"] for o in events if o["event_id"] in v
                )
            ]
            return _gold("yesno", not hit, [e["event_id"] for e, _ in hit], touched)
        day = sorted(
            [(e, v) for e, v in live if spec["start"] <= e["start_ts"] < spec["end"]], key=lambda x: x[0]["start_ts"]
        )
        req, acc = [e["event_id"] for e, _ in day], [x for _, v in day for x in v]
        if op == "count_cal":
            return _gold("count", len(day), req, acc)
        return _gold("list", [e["title"] for e, _ in day], req, acc) if day else NONE
    if op in ("attendees", "start_time"):
        cur, versions = latest(events, "calendar", "entry_id", now)[spec["entry_id"]]
        if cur.get("status") == "cancelled":
            return _gold("text", ["取消"], [cur["event_id"]], versions)
        if op == "attendees":
            return _gold("list", list(cur["attendees"]), [cur["event_id"]], versions)
        return _gold("time", cur["start_ts"], [cur["event_id"]], versions)
    if op in ("count_msgs", "last_msg", "who_said", "pickup_code"):
        msgs = messages(events, now)
        contacts = [e["event_id"] for e in events if e["type"] == "contact" and e["name"] == spec.get("sender")]
        if op == "who_said":
            hits = [(m, v) for m, v in msgs if spec["needle"] in m["text"] and m["direction"] == "in"]
            if not hits:
                return NONE
            m, v = hits[-1]
            return _gold("names", spec["names"], [m["event_id"]], v)
        sender = spec.get("sender", "菜鸟驿站")
        mine = [(m, v) for m, v in msgs if m["sender"] == sender and m["direction"] == "in"]
        if op == "count_msgs":
            mine = [(m, v) for m, v in mine if spec["start"] <= m["ts"] < spec["end"]]
            return _gold(
                "count", len(mine), [m["event_id"] for m, _ in mine], [x for _, v in mine for x in v] + contacts
            )
        if not mine:
            return NONE
        m, v = max(mine, key=lambda x: x[0]["ts"])
        text = m["text"].rsplit("取件码", 1)[-1] if op == "pickup_code" else m["text"]
        return _gold("text", [text], [m["event_id"]], v + contacts)
    if op in ("open_reminders", "reminder_due"):
        rems = latest(events, "reminder", "reminder_id", now)
        if op == "reminder_due":
            cur, versions = rems[spec["reminder_id"]]
            return _gold("date_ms", cur["due_ts"], [cur["event_id"]], versions)
        live = sorted([(e, v) for e, v in rems.values() if e["status"] == "open"], key=lambda x: x[0]["due_ts"] or 0)
        return _gold(
            "list", [e["title"] for e, _ in live], [e["event_id"] for e, _ in live], [x for _, v in live for x in v]
        )
    if op in ("cart", "favorited"):
        kind = "cart" if op == "cart" else "favorite"
        have: dict[str, Event] = {}
        all_ids: dict[str, list[str]] = {}
        for e in events:
            if e["type"] == kind and e["ts"] <= now:
                all_ids.setdefault(e["item_id"], []).append(e["event_id"])
                if e["action"] == "add":
                    have[e["item_id"]] = e
                else:
                    have.pop(e["item_id"], None)
        if op == "favorited":
            hit = [e for e in have.values() if e["item_name"] == spec["item_name"]]
            req = [hit[0]["event_id"]] if hit else []
            return _gold("yesno", bool(hit), req, [x for e in hit for x in all_ids[e["item_id"]]])
        items = list(have.values())
        return (
            _gold(
                "list",
                [e["item_name"] for e in items],
                [e["event_id"] for e in items],
                [x for e in items for x in all_ids[e["item_id"]]],
            )
            if items
            else NONE
        )
    if op == "none":
        return NONE
    raise ValueError(f"unknown op {op}")
