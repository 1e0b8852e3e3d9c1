"""A fake OpenAI-compatible fine-tuning server on loopback: files, jobs, events, cancel — and the tuned model.

``FakeFineTune`` is a :class:`~fake_openai.FakeOpenAI` (so it also serves chat completions) with the
fine-tuning routes added. A job moves one step per status read (queued → running → ``outcome``), so tests
follow the lifecycle without waiting on a clock. When a job succeeds, its tuned model id gets a chat script
that answers with the assistant turn of the training example whose user turn shares the most characters
with the question: a stand-in for a model that learnt the users' replies (its quality in a test is a
property of the data, not a constant).
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from email.parser import BytesParser
from email.policy import default
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from fake_openai import FakeOpenAI, Script


@dataclass
class FakeJob:
    id: str
    model: str
    training_file: str
    suffix: str
    steps: list[str]
    status: str = "queued"
    events: list[dict[str, Any]] = field(default_factory=list)
    fine_tuned_model: str | None = None


def _multipart(content_type: str, body: bytes) -> dict[str, bytes]:
    """Field name → bytes of a multipart/form-data body (the stdlib email parser; no extra dependency)."""
    message = BytesParser(policy=default).parsebytes(f"Content-Type: {content_type}\r\n\r\n".encode() + body)
    fields = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        if isinstance(name, str):
            fields[name] = part.get_payload(decode=True) or b""
    return fields


def _overlap(a: str, b: str) -> int:
    return sum((Counter(a) & Counter(b)).values())


class FakeFineTune(FakeOpenAI):
    """``outcome``: how jobs end ("succeeded" or "failed")."""

    def __init__(self, scripts: dict[str, Script] | None = None, outcome: str = "succeeded") -> None:
        super().__init__(scripts)
        self.outcome = outcome
        self.files: dict[str, bytes] = {}
        self.jobs: dict[str, FakeJob] = {}
        self.app.router.routes.extend(
            [
                Route("/v1/files", self._upload, methods=["POST"]),
                Route("/v1/fine_tuning/jobs", self._create, methods=["POST"]),
                Route("/v1/fine_tuning/jobs/{id}", self._get, methods=["GET"]),
                Route("/v1/fine_tuning/jobs/{id}/cancel", self._cancel, methods=["POST"]),
                Route("/v1/fine_tuning/jobs/{id}/events", self._events_list, methods=["GET"]),
            ]
        )

    def _job_json(self, job: FakeJob) -> dict[str, Any]:
        error = {"code": "fake", "message": "training diverged (scripted)"} if job.status == "failed" else None
        return {
            "id": job.id,
            "object": "fine_tuning.job",
            "model": job.model,
            "status": job.status,
            "fine_tuned_model": job.fine_tuned_model,
            "training_file": job.training_file,
            "error": error,
        }

    async def _upload(self, request: Request) -> Response:
        form = _multipart(request.headers.get("content-type", ""), await request.body())
        data = form.get("file")
        if data is None or form.get("purpose") != b"fine-tune":
            return JSONResponse({"error": {"message": "file and purpose=fine-tune required"}}, status_code=400)
        for n, line in enumerate(data.decode().splitlines(), 1):  # the vendor validates the format
            if "messages" not in json.loads(line):
                return JSONResponse({"error": {"message": f"line {n}: no messages"}}, status_code=400)
        file_id = f"file-{len(self.files) + 1}"
        self.files[file_id] = data
        return JSONResponse({"id": file_id, "object": "file", "bytes": len(data), "purpose": "fine-tune"})

    async def _create(self, request: Request) -> Response:
        body = await request.json()
        if body.get("training_file") not in self.files:
            return JSONResponse({"error": {"message": "unknown training_file"}}, status_code=400)
        job_id = f"ftjob-{len(self.jobs) + 1}"
        job = FakeJob(job_id, body["model"], body["training_file"], body.get("suffix", ""), ["running", self.outcome])
        job.events.append({"level": "info", "message": "queued"})
        self.jobs[job_id] = job
        return JSONResponse(self._job_json(job))

    def _finish(self, job: FakeJob) -> None:
        job.fine_tuned_model = f"ft:{job.model}:{job.suffix}:{job.id}"
        pairs = []
        for line in self.files[job.training_file].decode().splitlines():
            msgs = json.loads(line)["messages"]
            pairs.append((msgs[-2]["content"], msgs[-1]["content"]))

        def respond(body: dict[str, Any]) -> Script:
            question = body["messages"][-1]["content"]
            best = max(pairs, key=lambda p: _overlap(p[0], question))
            return Script(reply=best[1])

        self.scripts[job.fine_tuned_model] = Script(respond=respond)

    async def _get(self, request: Request) -> Response:
        job = self.jobs.get(request.path_params["id"])
        if job is None:
            return JSONResponse({"error": {"message": "no such job"}}, status_code=404)
        if job.status not in ("succeeded", "failed", "cancelled") and job.steps:
            job.status = job.steps.pop(0)
            job.events.append({"level": "info", "message": job.status})
            if job.status == "succeeded":
                self._finish(job)
        return JSONResponse(self._job_json(job))

    async def _cancel(self, request: Request) -> Response:
        job = self.jobs.get(request.path_params["id"])
        if job is None:
            return JSONResponse({"error": {"message": "no such job"}}, status_code=404)
        if job.status in ("succeeded", "failed", "cancelled"):
            return JSONResponse({"error": {"message": f"job already {job.status}"}}, status_code=400)
        job.status, job.steps = "cancelled", []
        job.events.append({"level": "info", "message": "cancelled"})
        return JSONResponse(self._job_json(job))

    async def _events_list(self, request: Request) -> Response:
        job = self.jobs.get(request.path_params["id"])
        if job is None:
            return JSONResponse({"error": {"message": "no such job"}}, status_code=404)
        return JSONResponse({"object": "list", "data": job.events})


class FakeDashScopeFineTune(FakeOpenAI):
    """DashScope's own fine-tuning shape (``/api/v1/files``, ``/api/v1/fine-tunes``, the job in ``output``,
    upper-case statuses), as :mod:`lingxi.adapt.ft_presets` describes it; ``base_url`` ends in ``/api/v1``."""

    def __init__(self) -> None:
        super().__init__()
        self.base_url = self.base_url.removesuffix("/v1") + "/api/v1"
        self.bodies: list[dict[str, Any]] = []
        self.jobs: dict[str, list[str]] = {}
        self.app.router.routes.extend(
            [
                Route("/api/v1/files", self._upload, methods=["POST"]),
                Route("/api/v1/fine-tunes", self._create, methods=["POST"]),
                Route("/api/v1/fine-tunes/{id}", self._get, methods=["GET"]),
                Route("/api/v1/fine-tunes/{id}/cancel", self._cancel, methods=["POST"]),
                Route("/api/v1/fine-tunes/{id}/logs", self._logs, methods=["GET"]),
            ]
        )

    def _job(self, job_id: str) -> JSONResponse:
        status = self.jobs[job_id][0]
        output = {"job_id": job_id, "status": status, "model": "qwen3-8b", "training_file_ids": ["f-1"]}
        if status == "SUCCEEDED":
            output["finetuned_output"] = f"qwen3-8b-ft-{job_id}"
        return JSONResponse({"request_id": "r", "output": output})

    async def _upload(self, request: Request) -> Response:
        form = _multipart(request.headers.get("content-type", ""), await request.body())
        if "files" not in form:
            return JSONResponse({"code": "InvalidParameter", "message": "files required"}, status_code=400)
        return JSONResponse({"request_id": "r", "data": {"uploaded_files": [{"file_id": "f-1", "name": "x"}]}})

    async def _create(self, request: Request) -> Response:
        body = await request.json()
        self.bodies.append(body)
        if body.get("training_file_ids") != ["f-1"]:
            return JSONResponse({"code": "InvalidParameter", "message": "training_file_ids"}, status_code=400)
        job_id = f"ft-{len(self.jobs) + 1}"
        self.jobs[job_id] = ["PENDING", "RUNNING", "SUCCEEDED"]
        return self._job(job_id)

    async def _get(self, request: Request) -> Response:
        steps = self.jobs[request.path_params["id"]]
        if len(steps) > 1:
            steps.pop(0)
        return self._job(request.path_params["id"])

    async def _cancel(self, request: Request) -> Response:
        self.jobs[request.path_params["id"]] = ["CANCELED"]
        return self._job(request.path_params["id"])

    async def _logs(self, request: Request) -> Response:
        return JSONResponse({"output": {"logs": [f"status {s}" for s in self.jobs[request.path_params["id"]][:1]]}})
