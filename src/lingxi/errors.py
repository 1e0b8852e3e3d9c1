"""One error hierarchy for the library, the CLI and the HTTP API.

Every error carries an English message (for developers and logs), a Chinese message (for the end user),
an optional hint saying what to do next, and an HTTP status. The CLI prints ``reason`` + ``hint`` on one
line each and exits non-zero; the API turns the same object into RFC 9457 problem JSON. Keeping both
renderings on the error itself means a new error type needs no change in either front end.
"""

from __future__ import annotations

from typing import Any, ClassVar


class LingxiError(Exception):
    """Base class: every error lingxi raises on purpose is one of these."""

    code: ClassVar[str] = "lingxi_error"
    status: ClassVar[int] = 500
    title: ClassVar[str] = "Internal error"

    def __init__(self, message: str, *, message_zh: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.message_zh = message_zh
        self.hint = hint

    def reason(self) -> str:
        """One line for a person: Chinese first, English after."""
        return f"{self.message_zh} ({self.message})"

    def to_problem(self, instance: str | None = None) -> dict[str, Any]:
        """RFC 9457 problem details; ``detail_zh`` and ``hint`` are extension members."""
        problem: dict[str, Any] = {
            "type": f"https://lingxi.dev/problems/{self.code}",
            "title": self.title,
            "status": self.status,
            "detail": self.message,
            "detail_zh": self.message_zh,
            "code": self.code,
        }
        if self.hint:
            problem["hint"] = self.hint
        if instance:
            problem["instance"] = instance
        return problem


class InvalidInput(LingxiError):
    """The caller sent something malformed: a bad event, bad JSON, an out-of-range option."""

    code = "invalid_input"
    status = 400
    title = "Invalid input"


class NotFound(LingxiError):
    """A named thing (file, user, model, feature) does not exist."""

    code = "not_found"
    status = 404
    title = "Not found"


class ConsentRequired(LingxiError):
    """The user has not granted a consent scope this operation needs (PIPL: no scope, no use)."""

    code = "consent_required"
    status = 403
    title = "Consent required"

    def __init__(self, scopes: list[str]) -> None:
        joined = ", ".join(scopes)
        super().__init__(
            f"the user has not granted consent for: {joined}",
            message_zh=f"用户尚未授权以下数据范围：{joined}",
            hint=f"ask the user to grant the scope(s) first, e.g. `lingxi privacy grant USER {scopes[0]}`",
        )
        self.scopes = scopes


class ModelNotFound(NotFound):
    """A model name that no tier knows."""

    code = "model_not_found"
    title = "Unknown model"


class ModelUnavailable(LingxiError):
    """Every candidate model failed or was excluded by policy."""

    code = "model_unavailable"
    status = 503
    title = "No model available"


class PolicyForbidden(LingxiError):
    """The operator's routing policy does not allow what the caller asked for (e.g. a model it named)."""

    code = "policy_forbidden"
    status = 403
    title = "Forbidden by routing policy"


class LoopDetected(LingxiError):
    """A request came from lingxi itself (a model whose base URL points back at this server)."""

    code = "loop_detected"
    status = 508
    title = "Loop detected"


class StorageError(LingxiError):
    """The local store could not be read or written (disk full, locked, corrupt)."""

    code = "storage_error"
    status = 507
    title = "Storage error"


class MasterKeyError(LingxiError):
    """The database holds sealed data the master key at hand cannot open (key lost, or another home's key).

    Raised at start-up, before anything is read or written, so a copied database never gets a new key
    generated beside it (which would seal new data under a key that opens none of the old).
    """

    code = "master_key"
    status = 500
    title = "Master key missing or wrong"


class ProviderError(LingxiError):
    """A model backend failed. ``retryable`` says whether trying again (or elsewhere) may help."""

    code = "provider_error"
    status = 502
    title = "Model provider error"

    def __init__(
        self,
        message: str,
        *,
        message_zh: str,
        provider: str,
        retryable: bool,
        status_code: int | None = None,
        retry_after_s: float | None = None,
        hint: str | None = None,
    ) -> None:
        super().__init__(message, message_zh=message_zh, hint=hint)
        self.provider = provider
        self.retryable = retryable
        self.status_code = status_code
        self.retry_after_s = retry_after_s


class ProviderTimeout(ProviderError):
    """A backend did not answer (or stopped answering) in time."""

    code = "provider_timeout"
    status = 504
    title = "Model provider timeout"


class MalformedToolCall(ProviderError):
    """The model started a tool call the backend could not parse (one bad sample, not a broken model).

    Small or quantized models do this now and then; the generate stage answers it by asking the same
    model again without tools rather than handing the turn to the next (possibly cloud) candidate.
    """

    code = "malformed_tool_call"
    title = "Malformed tool call"


class MissingCredentials(LingxiError):
    """A cloud provider needs an API key that is not in the server's environment.

    503, not 401: the caller's own key is fine — the server is not set up for that provider — and an OpenAI
    client reading 401 would tell its user to fix a key they cannot change.
    """

    code = "missing_credentials"
    status = 503
    title = "Model provider not configured"


class DownloadError(LingxiError):
    """No mirror delivered the file, or the file could not be trusted."""

    code = "download_failed"
    status = 502
    title = "Download failed"


class DigestMismatch(DownloadError):
    """The downloaded bytes do not hash to the expected sha256."""

    code = "digest_mismatch"
    title = "Downloaded file failed verification"
