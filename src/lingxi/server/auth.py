"""Who is calling: the API key's app and the end user it acts for.

Placeholder contract for the feature endpoints (filled in by the production-service work): every endpoint
that reads or changes a user's data calls :func:`require_user` with the user id it is about to touch.
"""

from __future__ import annotations

from fastapi import Request


def require_user(request: Request, user_id: str) -> None:
    """Raise unless the authenticated caller may act for ``user_id`` (a no-op while auth is off)."""
    del request, user_id
