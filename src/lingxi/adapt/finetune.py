"""A small client for vendors' fine-tuning APIs: upload files, create a job, poll it, cancel it, read events.

Why our own and not the ``openai`` SDK: the vendors differ in paths and field names (DashScope's own
``/api/v1/fine-tunes``, lists of file ids, the job inside ``output``), which the SDK cannot express; the
differences are data (:mod:`lingxi.adapt.ft_presets`) and this client has one code path, on ``httpx``.
Jobs are returned as :class:`Job` with the status in lingxi's words (queued, running, succeeded, failed,
cancelled) and the vendor's raw answer kept beside it.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import httpx

from lingxi.adapt.ft_presets import FINE_TUNING, TERMINAL, FineTuneAPI
from lingxi.errors import InvalidInput, MissingCredentials, ProviderError

__all__ = ["FineTuneClient", "Job", "api_for"]


@dataclass(frozen=True)
class Job:
    """A fine-tuning job as lingxi sees it."""

    id: str
    status: str  # one of ft_presets.CANONICAL
    vendor_status: str
    fine_tuned_model: str | None
    error: str = ""
    raw: Mapping[str, Any] = field(default_factory=dict)

    @property
    def done(self) -> bool:
        return self.status in TERMINAL


def _at(data: Any, path: str) -> Any:
    """``data`` followed along a dotted path (list indices as numbers); None where it ends early."""
    for part in [p for p in path.split(".") if p]:
        if isinstance(data, list) and part.isdigit() and int(part) < len(data):
            data = data[int(part)]
        elif isinstance(data, dict):
            data = data.get(part)
        else:
            return None
    return data


def api_for(preset: str, base_url: str | None = None) -> FineTuneAPI:
    """The fine-tuning row for a provider preset, with ``base_url`` overriding the preset's."""
    if preset not in FINE_TUNING:
        known = ", ".join(sorted(FINE_TUNING))
        raise InvalidInput(
            f"no fine-tuning API is known for preset {preset!r}; known: {known}",
            message_zh=f"预设 {preset!r} 没有已知的微调接口，可选：{known}",
        )
    api = FINE_TUNING[preset]
    if base_url:
        api = replace(api, base_url=base_url)
    return api


class FineTuneClient:
    """Talks to one vendor's fine-tuning API; ``key_env`` set means a key is required (else optional)."""

    def __init__(
        self, api: FineTuneAPI, *, api_key: str | None = None, key_env: str | None = None, timeout_s: float = 60.0
    ) -> None:
        key = api_key or (os.environ.get(key_env) if key_env else None)
        if key_env and not key:
            raise MissingCredentials(
                f"fine-tuning needs an API key: set {key_env}",
                message_zh=f"微调需要 API 密钥：请设置环境变量 {key_env}",
            )
        self.api = api
        headers = {"Authorization": f"Bearer {key}"} if key else {}
        self._http = httpx.Client(base_url=api.base_url.rstrip("/"), headers=headers, timeout=timeout_s)

    def close(self) -> None:
        self._http.close()

    def _send(self, method: str, path: str, **kw: Any) -> Any:
        try:
            r = self._http.request(method, path, **kw)
        except httpx.HTTPError as exc:
            raise ProviderError(
                f"fine-tuning API unreachable at {self.api.base_url}: {exc}",
                message_zh=f"无法连接微调接口：{self.api.base_url}",
                provider="finetune",
                retryable=True,
            ) from exc
        if r.status_code >= 400:
            raise ProviderError(
                f"fine-tuning API answered HTTP {r.status_code}: {r.text[:300]}",
                message_zh=f"微调接口返回错误 HTTP {r.status_code}",
                provider="finetune",
                retryable=r.status_code >= 500 or r.status_code == 429,
            )
        return r.json()

    def upload(self, path: Path) -> str:
        """Upload a JSONL training file; return the vendor's file id."""
        with path.open("rb") as f:
            files = {self.api.file_field: (path.name, f, "application/jsonl")}
            data = self._send("POST", self.api.files_path, files=files, data={"purpose": self.api.file_purpose})
        file_id = _at(data, self.api.file_id_at)
        if not isinstance(file_id, str):
            raise ProviderError(
                f"upload answer has no file id at {self.api.file_id_at!r}",
                message_zh="上传训练文件后未返回文件 ID",
                provider="finetune",
                retryable=False,
            )
        return file_id

    def _job(self, data: Any) -> Job:
        job = _at(data, self.api.job_at) if self.api.job_at else data
        if not isinstance(job, dict) or not isinstance(job.get(self.api.id_field), str):
            raise ProviderError(
                "fine-tuning answer holds no job",
                message_zh="微调接口的回答中没有任务",
                provider="finetune",
                retryable=False,
            )
        vendor = str(job.get(self.api.status_field, ""))
        err = job.get(self.api.error_field) or ""
        if isinstance(err, dict):
            err = str(err.get("message", err))
        return Job(
            id=job[self.api.id_field],
            status=self.api.canonical(vendor),
            vendor_status=vendor,
            fine_tuned_model=job.get(self.api.model_field) or None,
            error=str(err),
            raw=job,
        )

    def create(
        self,
        model: str,
        training_file: str,
        *,
        validation_file: str | None = None,
        hyperparameters: Mapping[str, Any] | None = None,
        suffix: str | None = None,
    ) -> Job:
        """Start a job on ``model`` with uploaded file ids."""
        api = self.api

        def ids(file_id: str) -> str | list[str]:
            return [file_id] if api.files_as_list else file_id

        body: dict[str, Any] = {"model": model, api.training_field: ids(training_file)}
        if validation_file:
            body[api.validation_field] = ids(validation_file)
        if hyperparameters:
            body[api.hyper_field] = dict(hyperparameters)
        if suffix and api.suffix_field:
            body[api.suffix_field] = suffix
        return self._job(self._send("POST", api.jobs_path, json=body))

    def get(self, job_id: str) -> Job:
        return self._job(self._send("GET", self.api.job_path.format(id=job_id)))

    def cancel(self, job_id: str) -> Job:
        return self._job(self._send("POST", self.api.cancel_path.format(id=job_id)))

    def events(self, job_id: str) -> list[Any]:
        data = self._send("GET", self.api.events_path.format(id=job_id))
        found = _at(data, self.api.events_at)
        return list(found) if isinstance(found, list) else []

    def wait(
        self,
        job_id: str,
        *,
        interval_s: float = 10.0,
        timeout_s: float = 24 * 3600,
        on_poll: Callable[[Job], None] | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> Job:
        """Poll until the job ends (succeeded, failed, cancelled) or ``timeout_s`` passes (then the last state)."""
        deadline = time.monotonic() + timeout_s
        while True:
            job = self.get(job_id)
            if on_poll is not None:
                on_poll(job)
            if job.done or time.monotonic() >= deadline:
                return job
            sleep(interval_s)
