"""Who answered a feature request: the fields every parsed feature result carries.

A feature's parser turns the pipeline's :class:`~lingxi.pipeline.Answer` into its own result (a digest, reply
candidates); whatever the shape, the caller must still see which model wrote it, the AI-content label, whether
it was refused and where the audit record is. One base class keeps those fields identical everywhere.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from lingxi.pipeline import Answer


class AnsweredBy(BaseModel):
    model: str | None
    model_kind: str | None
    label: str | None
    refused: bool
    request_id: str
    audit_id: str | None

    @staticmethod
    def of(answer: Answer) -> dict[str, Any]:
        """The fields for ``answer``, to pass on when building a result: ``Result(**AnsweredBy.of(a), ...)``."""
        return {
            "model": answer.model,
            "model_kind": answer.model_kind,
            "label": answer.label.explicit if answer.label else None,
            "refused": answer.refused,
            "request_id": answer.request_id,
            "audit_id": answer.audit_id,
        }
