"""Vendor fine-tuning APIs as data: paths, field names, where the answer keeps the job, status words.

One client (:mod:`lingxi.adapt.finetune`) speaks to every vendor; what differs is a row here, the way chat
quirks live in :mod:`lingxi.models.providers`. A provider's row is looked up by its preset id.

``openai`` is the OpenAI-compatible fine-tuning API (``/files``, ``/fine_tuning/jobs``, ``…/cancel``,
``…/events``; statuses ``validating_files|queued|running|succeeded|failed|cancelled``) — the shape that
self-hosted training stacks imitate; its fields follow OpenAI's published API reference.

``dashscope`` is Alibaba Cloud Model Studio's own fine-tuning API under ``/api/v1`` (not the
compatible-mode base URL). **Verified** against the vendor's page "Get fine-tuning job details"
(help.aliyun.com/en/model-studio/get-fine-tuning-job-api, read 2026-12-06): ``GET /api/v1/fine-tunes/{id}``,
the job inside ``output``, ``job_id``, ``status`` (``SUCCEEDED`` seen), ``finetuned_output`` (the tuned
model's id), ``training_file_ids`` (a list) and ``hyper_parameters`` (``n_epochs``, ``batch_size``,
``learning_rate``…). **Assumed, not verified** (from the same documentation set as remembered, no live
call was possible): create at ``POST /api/v1/fine-tunes``, upload at ``POST /api/v1/files`` as multipart field
``files`` with the id at ``data.uploaded_files.0.file_id``, cancel at ``POST …/{id}/cancel``, logs at
``GET …/{id}/logs`` (``output.logs``), and the other status words (``PENDING``, ``QUEUING``, ``RUNNING``,
``FAILED``, ``CANCELED``). Check these against the vendor's current documentation before relying on them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

__all__ = ["CANONICAL", "FINE_TUNING", "TERMINAL", "FineTuneAPI"]

CANONICAL = ("queued", "running", "succeeded", "failed", "cancelled")
TERMINAL = frozenset({"succeeded", "failed", "cancelled"})


@dataclass(frozen=True)
class FineTuneAPI:
    """How one vendor's fine-tuning API is spelled. Paths are relative to ``base_url``; ``{id}`` is the job."""

    base_url: str
    files_path: str = "/files"
    file_field: str = "file"
    file_purpose: str = "fine-tune"
    file_id_at: str = "id"  # dotted path into the upload answer
    jobs_path: str = "/fine_tuning/jobs"
    job_path: str = "/fine_tuning/jobs/{id}"
    cancel_path: str = "/fine_tuning/jobs/{id}/cancel"
    events_path: str = "/fine_tuning/jobs/{id}/events"
    events_at: str = "data"  # dotted path to the list of events
    training_field: str = "training_file"
    validation_field: str = "validation_file"
    files_as_list: bool = False  # DashScope takes lists of file ids
    hyper_field: str = "hyperparameters"
    suffix_field: str | None = "suffix"
    job_at: str = ""  # where the job object sits in an answer ("" = the answer itself)
    id_field: str = "id"
    status_field: str = "status"
    model_field: str = "fine_tuned_model"
    error_field: str = "error"
    statuses: Mapping[str, str] = field(default_factory=dict)  # vendor word → one of CANONICAL
    verified: str = ""

    def canonical(self, status: str) -> str:
        """The vendor's status word as one of :data:`CANONICAL` (unknown words count as running)."""
        mapped = self.statuses.get(status, status.lower())
        return mapped if mapped in CANONICAL else "running"


_OPENAI_STATUSES = {"validating_files": "queued", "queued": "queued", "running": "running"}

FINE_TUNING: dict[str, FineTuneAPI] = {
    "openai": FineTuneAPI(
        base_url="http://127.0.0.1:8000/v1",
        statuses=_OPENAI_STATUSES,
        verified="fields and statuses from OpenAI's published fine-tuning API reference",
    ),
    "vllm": FineTuneAPI(  # a self-hosted stack that serves the OpenAI-compatible fine-tuning API beside vLLM
        base_url="http://127.0.0.1:8000/v1",
        statuses=_OPENAI_STATUSES,
        verified="same as openai; whether a given self-hosted stack serves these routes is for its operator",
    ),
    "dashscope": FineTuneAPI(
        base_url="https://dashscope.aliyuncs.com/api/v1",
        files_path="/files",
        file_field="files",
        file_id_at="data.uploaded_files.0.file_id",
        jobs_path="/fine-tunes",
        job_path="/fine-tunes/{id}",
        cancel_path="/fine-tunes/{id}/cancel",
        events_path="/fine-tunes/{id}/logs",
        events_at="output.logs",
        training_field="training_file_ids",
        validation_field="validation_file_ids",
        files_as_list=True,
        hyper_field="hyper_parameters",
        suffix_field=None,
        job_at="output",
        id_field="job_id",
        model_field="finetuned_output",
        error_field="message",
        statuses={
            "PENDING": "queued",
            "QUEUING": "queued",
            "RUNNING": "running",
            "SUCCEEDED": "succeeded",
            "FAILED": "failed",
            "CANCELED": "cancelled",
        },
        verified="job fields and SUCCEEDED verified on the vendor's docs page; paths for create/upload/"
        "cancel/logs and other status words assumed (see module docstring)",
    ),
}
