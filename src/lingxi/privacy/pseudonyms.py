"""The unkeyed user pseudonym of early audit records, kept to find them for a subject-rights request.

It sits in the privacy layer (not in :mod:`lingxi.compliance.audit`, which re-exports it) because the
subject-rights code below the compliance layer needs it too; new records use the keyed
:meth:`~lingxi.compliance.audit.AuditKeys.pseudonym`.
"""

from __future__ import annotations

import hashlib


def user_ref(user_id: str) -> str:
    """The *unkeyed* pseudonym audit records carried before keyed ones (``AuditKeys.pseudonym``).

    Kept to find those legacy records for a subject-rights request; anyone can recompute it from a guessed
    id, so new audit records never use it.
    """
    return hashlib.sha256(("lingxi-user:" + user_id).encode("utf-8")).hexdigest()[:32]
