"""Consent under PIPL: scopes, non-personalized mode, and minors — no scope, no use.

Everything here is an append-only history (what a regulator or the user may ask to see); the current state
is the latest record, read on every request, so a withdrawal takes effect on the very next one.

- **Scopes** (``consent_log``): one grant or withdrawal per row. Three scopes need a *separate* consent, so
  no bulk grant ever includes them: financial data (``payments``) is sensitive personal information
  (PIPL Art. 29); ``camera_photos`` (screenshots and photos the user hands in) may show faces, which are
  biometric and so sensitive (Art. 28), and routinely show other people's names, numbers and addresses;
  ``cloud_processing`` provides the user's personal information to another processor, a cloud model vendor
  (Art. 23); and ``model_improvement`` uses the user's feedback on answers as training data (a purpose of its
  own, Art. 14/17; see :mod:`lingxi.adapt`). :meth:`ConsentStore.grant_all_except_sensitive` (and
  ``lingxi privacy grant USER all``) grants every other scope; these four are granted only when named.
- **Non-personalized mode** (Art. 24; ``consent_settings_log``): when on, every feature runs without the
  user's profile or stored context — the pipeline's ``Context`` stage reads nothing and marks the turn.
- **Minors** (Art. 28, 31): the personal information of a child under 14 is sensitive, and processing it
  needs the consent of a parent or guardian. A user's ``age_band`` and a ``guardian_consent`` flag live in
  the same settings log; an under-14 user's scopes count only while guardian consent is recorded, and
  :meth:`ConsentStore.require` then refuses *every* request (even one that reads no stored data: what the
  child types is the child's personal information too) with :class:`GuardianConsentRequired`.

The guardian flag is one per user, not per scope: the app records it after the guardian has reviewed the
scopes being granted (the guardian's identity is not stored here — that is the app's record to keep).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from pydantic import BaseModel, Field

from lingxi.errors import ConsentRequired, InvalidInput, LingxiError
from lingxi.ids import now_ms
from lingxi.storage.sqlite import Database


class Scope(StrEnum):
    MESSAGES = "messages"
    NOTIFICATIONS = "notifications"
    SHOPPING = "shopping"
    PAYMENTS = "payments"
    CALENDAR = "calendar"
    LOCATION = "location"
    CAMERA_PHOTOS = "camera_photos"
    CLOUD_PROCESSING = "cloud_processing"
    MODEL_IMPROVEMENT = "model_improvement"


SCOPE_NAMES_ZH: dict[Scope, str] = {
    Scope.MESSAGES: "聊天消息",
    Scope.NOTIFICATIONS: "通知",
    Scope.SHOPPING: "购物与订单",
    Scope.PAYMENTS: "支付与金融信息（单独同意）",
    Scope.CALENDAR: "日程",
    Scope.LOCATION: "位置",
    Scope.CAMERA_PHOTOS: "照片与截图（单独同意）",
    Scope.CLOUD_PROCESSING: "云端模型处理",
    Scope.MODEL_IMPROVEMENT: "用于改进模型（单独同意）",
}

SEPARATE_CONSENT: frozenset[Scope] = frozenset(
    {Scope.PAYMENTS, Scope.CAMERA_PHOTOS, Scope.CLOUD_PROCESSING, Scope.MODEL_IMPROVEMENT}
)
"""Scopes that need their own, explicit grant: sensitive personal information (PIPL Art. 28, 29: financial
data; photos, which may show faces), providing personal information to another processor, here a cloud model
vendor (Art. 23), and using what the user did with answers to train models (``model_improvement``: a purpose
beyond the service asked for, Art. 14/17)."""

ALL_EXCEPT_SENSITIVE = "all"
"""What a user may type instead of a scope list: every scope except :data:`SEPARATE_CONSENT`."""


class AgeBand(StrEnum):
    """What the app knows of the user's age; only ``under_14`` changes what lingxi does (Art. 31)."""

    UNKNOWN = "unknown"
    UNDER_14 = "under_14"
    FROM_14_TO_17 = "14_17"
    ADULT = "adult"


AGE_BAND_NAMES_ZH: dict[AgeBand, str] = {
    AgeBand.UNKNOWN: "未知",
    AgeBand.UNDER_14: "未满十四周岁",
    AgeBand.FROM_14_TO_17: "十四至十七周岁",
    AgeBand.ADULT: "成年",
}


class Setting(StrEnum):
    """Per-user settings kept in the settings history."""

    NON_PERSONALIZED = "non_personalized"
    AGE_BAND = "age_band"
    GUARDIAN_CONSENT = "guardian_consent"


_MIGRATIONS = (
    """CREATE TABLE consent_log (
        user_id TEXT NOT NULL,
        scope TEXT NOT NULL,
        granted INTEGER NOT NULL,
        ts INTEGER NOT NULL,
        source TEXT NOT NULL
    )""",
    "CREATE INDEX consent_by_user ON consent_log(user_id, scope, ts)",
    """CREATE TABLE consent_settings_log (
        user_id TEXT NOT NULL,
        setting TEXT NOT NULL,
        value TEXT NOT NULL,
        ts INTEGER NOT NULL,
        source TEXT NOT NULL
    )""",
    "CREATE INDEX consent_settings_by_user ON consent_settings_log(user_id, setting, ts)",
)


class GuardianConsentRequired(ConsentRequired):
    """An under-14 user's data may be processed only with a parent's or guardian's consent (PIPL Art. 31)."""

    code = "guardian_consent_required"
    title = "Guardian consent required"

    def __init__(self, scopes: list[str]) -> None:
        LingxiError.__init__(
            self,
            "the user is under 14: processing their personal information needs the consent of a parent or "
            "guardian (PIPL Art. 31), and none is recorded",
            message_zh="该用户未满十四周岁，处理其个人信息须取得其父母或其他监护人的同意（《个人信息保护法》第三十一条），"
            "目前尚未记录监护人同意",
            hint="record the guardian's consent first, e.g. `lingxi privacy minor USER --guardian`",
        )
        self.scopes = scopes


def parse_scope(value: str) -> Scope:
    """A scope from user input, with a clear error listing the valid ones."""
    try:
        return Scope(value)
    except ValueError:
        valid = ", ".join(s.value for s in Scope)
        raise InvalidInput(
            f"unknown consent scope {value!r}; valid: {valid}",
            message_zh=f"未知的授权范围 {value!r}，可选：{valid}",
        ) from None


def parse_scopes(values: Iterable[str], *, granting: bool) -> list[Scope]:
    """Scopes from user input, where ``all`` is allowed.

    Granting ``all`` means every scope except :data:`SEPARATE_CONSENT` (``payments``, ``camera_photos``,
    ``cloud_processing`` and ``model_improvement`` must be named);
    withdrawing ``all`` means every scope, since withdrawal needs no such care.
    """
    out: list[Scope] = []
    for v in values:
        if v == ALL_EXCEPT_SENSITIVE:
            out.extend(s for s in Scope if not granting or s not in SEPARATE_CONSENT)
        else:
            out.append(parse_scope(v))
    return list(dict.fromkeys(out))


def parse_age_band(value: str) -> AgeBand:
    try:
        return AgeBand(value)
    except ValueError:
        valid = ", ".join(b.value for b in AgeBand)
        raise InvalidInput(
            f"unknown age band {value!r}; valid: {valid}", message_zh=f"未知的年龄段 {value!r}，可选：{valid}"
        ) from None


class ConsentStatus(BaseModel):
    """A user's consent state as a UI shows it.

    ``scopes`` are what the user (or guardian) granted; ``effective_scopes`` are what requests may use now —
    empty for an under-14 user without guardian consent.
    """

    user_id: str
    scopes: list[Scope]
    effective_scopes: list[Scope]
    non_personalized: bool = Field(description="PIPL Art. 24: features run without profile or stored context")
    age_band: AgeBand
    minor: bool = Field(description="under 14 (PIPL Art. 28/31)")
    guardian_consent: bool
    needs_guardian_consent: bool = Field(description="minor without recorded guardian consent: every request refused")


@dataclass(frozen=True)
class ConsentRecord:
    """One row of a user's history: a scope grant/withdrawal, or a setting change."""

    kind: str  # "scope" or "setting"
    name: str  # the scope or setting
    value: str  # "granted"/"withdrawn" for scopes; the setting's value
    ts: int
    source: str


def _truth(value: bool) -> str:
    return "1" if value else "0"


class ConsentStore:
    """Grants, withdrawals and settings per user; the latest record of each wins."""

    def __init__(self, db: Database) -> None:
        self.db = db
        db.migrate("consent", _MIGRATIONS)

    # -- writing ------------------------------------------------------------------------------------
    def update(
        self,
        user_id: str,
        *,
        grant: tuple[Scope, ...] | list[Scope] = (),
        withdraw: tuple[Scope, ...] | list[Scope] = (),
        non_personalized: bool | None = None,
        age_band: AgeBand | None = None,
        guardian_consent: bool | None = None,
        source: str = "api",
    ) -> None:
        """Record several changes in one transaction (what a consent screen submits at once)."""
        both = set(grant) & set(withdraw)
        if both:
            names = ", ".join(sorted(both))
            raise InvalidInput(
                f"a scope cannot be granted and withdrawn at once: {names}",
                message_zh=f"同一授权范围不能同时授权和撤回：{names}",
            )
        ts = now_ms()
        scope_rows = [(user_id, s.value, 1, ts, source) for s in grant]
        scope_rows += [(user_id, s.value, 0, ts, source) for s in withdraw]
        settings: list[tuple[Setting, str]] = []
        if non_personalized is not None:
            settings.append((Setting.NON_PERSONALIZED, _truth(non_personalized)))
        if age_band is not None:
            settings.append((Setting.AGE_BAND, age_band.value))
        if guardian_consent is not None:
            settings.append((Setting.GUARDIAN_CONSENT, _truth(guardian_consent)))
        with self.db.transaction() as conn:
            conn.executemany(
                "INSERT INTO consent_log(user_id, scope, granted, ts, source) VALUES (?, ?, ?, ?, ?)", scope_rows
            )
            conn.executemany(
                "INSERT INTO consent_settings_log(user_id, setting, value, ts, source) VALUES (?, ?, ?, ?, ?)",
                [(user_id, name.value, value, ts, source) for name, value in settings],
            )

    def grant(self, user_id: str, *scopes: Scope, source: str = "api") -> None:
        """Grant exactly the named scopes: the only way a scope of :data:`SEPARATE_CONSENT` is ever granted."""
        self.update(user_id, grant=scopes, source=source)

    def withdraw(self, user_id: str, *scopes: Scope, source: str = "api") -> None:
        self.update(user_id, withdraw=scopes, source=source)

    def grant_all_except_sensitive(self, user_id: str, *, source: str = "api") -> list[Scope]:
        """Grant every scope except those needing separate consent (:data:`SEPARATE_CONSENT`); return them.

        An "agree to all" button must not carry them along: Art. 28, 29 and 23 ask for a separate consent, so
        ``payments``, ``camera_photos``, ``cloud_processing`` and ``model_improvement`` are only granted by naming
        them in :meth:`grant`.
        """
        scopes = [s for s in Scope if s not in SEPARATE_CONSENT]
        self.grant(user_id, *scopes, source=source)
        return scopes

    def set_non_personalized(self, user_id: str, on: bool, *, source: str = "api") -> None:
        self.update(user_id, non_personalized=on, source=source)

    def set_age_band(self, user_id: str, band: AgeBand, *, source: str = "api") -> None:
        self.update(user_id, age_band=band, source=source)

    def set_guardian_consent(self, user_id: str, given: bool, *, source: str = "api") -> None:
        self.update(user_id, guardian_consent=given, source=source)

    def forget(self, user_id: str) -> int:
        """Delete the user's whole history (right to deletion); returns the number of rows removed.

        Only :mod:`lingxi.privacy.subject_rights` should call this: it keeps a pseudonymous record that the
        consent was withdrawn and the data deleted. With no rows left the user has no scope, so nothing of
        theirs is processed again unless they consent anew.
        """
        with self.db.transaction() as conn:
            n = conn.execute("DELETE FROM consent_log WHERE user_id = ?", (user_id,)).rowcount
            n += conn.execute("DELETE FROM consent_settings_log WHERE user_id = ?", (user_id,)).rowcount
        return int(n)

    # -- reading ------------------------------------------------------------------------------------
    def recorded(self, user_id: str) -> set[Scope]:
        """Scopes whose latest record is a grant (before the minors rule is applied)."""
        with self.db.connect() as conn:
            rows = conn.execute(
                "SELECT scope, granted FROM consent_log WHERE user_id = ? ORDER BY ts, rowid", (user_id,)
            ).fetchall()
        state: dict[str, bool] = {}
        for row in rows:
            state[row["scope"]] = bool(row["granted"])
        return {Scope(s) for s, ok in state.items() if ok}

    def settings(self, user_id: str) -> dict[Setting, str]:
        """The latest value of each setting the user has."""
        with self.db.connect() as conn:
            rows = conn.execute(
                "SELECT setting, value FROM consent_settings_log WHERE user_id = ? ORDER BY ts, rowid", (user_id,)
            ).fetchall()
        return {Setting(row["setting"]): str(row["value"]) for row in rows}

    def status(self, user_id: str) -> ConsentStatus:
        """Everything a consent screen shows, and what the gate enforces."""
        scopes = sorted(self.recorded(user_id))
        settings = self.settings(user_id)
        band = AgeBand(settings.get(Setting.AGE_BAND, AgeBand.UNKNOWN.value))
        guardian = settings.get(Setting.GUARDIAN_CONSENT) == "1"
        minor = band is AgeBand.UNDER_14
        blocked = minor and not guardian
        return ConsentStatus(
            user_id=user_id,
            scopes=scopes,
            effective_scopes=[] if blocked else scopes,
            non_personalized=settings.get(Setting.NON_PERSONALIZED) == "1",
            age_band=band,
            minor=minor,
            guardian_consent=guardian,
            needs_guardian_consent=blocked,
        )

    def granted(self, user_id: str) -> set[Scope]:
        """Scopes requests may use now: the recorded grants, or none for a minor without guardian consent."""
        return set(self.status(user_id).effective_scopes)

    def history(self, user_id: str) -> list[ConsentRecord]:
        """Every grant, withdrawal and setting change of the user, oldest first."""
        with self.db.connect() as conn:
            scopes = conn.execute(
                "SELECT scope, granted, ts, source FROM consent_log WHERE user_id = ? ORDER BY ts, rowid", (user_id,)
            ).fetchall()
            settings = conn.execute(
                "SELECT setting, value, ts, source FROM consent_settings_log WHERE user_id = ? ORDER BY ts, rowid",
                (user_id,),
            ).fetchall()
        records = [
            ConsentRecord("scope", r["scope"], "granted" if r["granted"] else "withdrawn", r["ts"], r["source"])
            for r in scopes
        ]
        records += [ConsentRecord("setting", r["setting"], r["value"], r["ts"], r["source"]) for r in settings]
        return sorted(records, key=lambda r: r.ts)  # stable: same-ts records keep their table order

    def require(self, user_id: str, scopes: frozenset[Scope]) -> ConsentStatus:
        """Raise unless the request may go ahead; return the status it was decided on.

        An under-14 user without guardian consent is refused outright (:class:`GuardianConsentRequired`),
        whatever the scopes; otherwise :class:`ConsentRequired` names every missing scope.
        """
        status = self.status(user_id)
        if status.needs_guardian_consent:
            raise GuardianConsentRequired(sorted(s.value for s in scopes))
        missing = sorted(s.value for s in scopes - set(status.effective_scopes))
        if missing:
            raise ConsentRequired(missing)
        return status
