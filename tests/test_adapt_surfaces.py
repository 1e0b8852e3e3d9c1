"""The adapt loop's surfaces: ``POST /v1/feedback``, the ``lingxi adapt`` command sequence, DashScope's API shape."""

from __future__ import annotations

import json
from pathlib import Path

from fastapi import FastAPI
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from fake_finetune import FakeDashScopeFineTune, FakeFineTune
from fake_openai import Script
from lingxi.adapt.finetune import FineTuneClient, api_for
from lingxi.adapt.promote import promoted_routes
from lingxi.cli.adapt import adapt_app
from lingxi.facade import Lingxi
from lingxi.privacy.consent import Scope
from lingxi.server import feedback_api, problems
from test_adapt import _consent, _feedback, _toml


def test_http_feedback_is_kept_only_with_consent(lx: Lingxi) -> None:
    app = FastAPI()
    problems.install(app)
    app.include_router(feedback_api.router(lx))
    api = TestClient(app)
    body = {"user_id": "u1", "feature": "replies", "answer_id": "req-1", "action": "accepted"}
    body |= {"prompt": "明天见？", "candidate": "好的，明天见"}
    r = api.post("/v1/feedback", json=body)
    assert r.status_code == 200 and r.json()["recorded"] is False and "model_improvement" in r.json()["reason"]
    lx.consents.grant("u1", Scope.MODEL_IMPROVEMENT)
    r = api.post("/v1/feedback", json=body | {"event_id": "fb-1"})
    assert r.json() == {"recorded": True, "event_id": "fb-1", "reason": ""}
    stored = lx.events.query("u1", types=["feedback"])
    assert [e.event_id for e in stored] == ["fb-1"]
    r = api.post("/v1/feedback", json=body | {"action": "liked"})
    assert r.status_code in (400, 422) and r.headers["content-type"].startswith("application/problem+json")


def test_cli_command_sequence(home: Path, tmp_path: Path) -> None:
    """The sequence docs/adapt.md documents, command by command."""
    runner = CliRunner()
    h = ["--home", str(home)]
    with FakeFineTune({"base-7b": Script(reply="收到，我稍后回复您。")}) as fake:
        _toml(home, fake.base_url)
        lx = Lingxi(home)
        users = [f"user-{i:02d}" for i in range(12)]
        _consent(lx, users)
        _feedback(lx, users)
        out = tmp_path / "export"
        r = runner.invoke(adapt_app, ["export", "--feature", "replies", "--out", str(out), *h])
        assert r.exit_code == 0, r.output
        assert "已导出 36 条训练样本" in r.output
        r = runner.invoke(
            adapt_app,
            ["submit", str(out), "--provider", "selfhost", "-m", "base-7b", "--base-url", fake.base_url, *h],
        )
        assert r.exit_code == 0, r.output
        job_id = next(iter(fake.jobs))
        r = runner.invoke(adapt_app, ["status", job_id, "--wait", "--interval", "0", *h])
        assert r.exit_code == 0 and '"succeeded"' in r.output, r.output
        r = runner.invoke(adapt_app, ["register", job_id, *h])
        assert r.exit_code == 0, r.output
        tuned = json.loads(r.output)["name"]
        report = tmp_path / "bake"
        r = runner.invoke(
            adapt_app,
            [
                "bakeoff", "--feature", "replies", "--base", "selfhost/base-7b", "--adapted", tuned,
                "--items", str(out / "eval.jsonl"), "--out", str(report), *h,
            ],
        )  # fmt: skip
        assert r.exit_code == 0, r.output
        assert "95% CI" in r.output and "adapted wins" in r.output
        r = runner.invoke(adapt_app, ["promote", str(report / "report.json"), *h])
        assert r.exit_code == 0 and "路由已切换" in r.output, r.output
        assert promoted_routes(home)["replies"]["candidates"][0] == tuned


def test_cli_refuses_a_route_without_a_win(home: Path, tmp_path: Path) -> None:
    report = tmp_path / "report.json"
    report.write_text(
        json.dumps(
            {
                "feature": "replies",
                "base": {"model": "a"},
                "adapted": {"model": "b"},
                "quality_diff": {"ci_low": 0.0, "ci_high": 0.1},
            }
        )
    )
    r = CliRunner().invoke(adapt_app, ["promote", str(report), "--home", str(home)])
    assert r.exit_code == 1 and "路由保持不变" in r.output


def test_dashscope_shape_through_the_same_client(tmp_path: Path) -> None:
    train = tmp_path / "sft_train.jsonl"
    train.write_text('{"messages": []}\n')
    with FakeDashScopeFineTune() as fake:
        client = FineTuneClient(api_for("dashscope", fake.base_url))
        file_id = client.upload(train)
        job = client.create("qwen3-8b", file_id, hyperparameters={"n_epochs": 3}, suffix="ignored")
        assert fake.bodies[0] == {
            "model": "qwen3-8b",
            "training_file_ids": ["f-1"],
            "hyper_parameters": {"n_epochs": 3},
        }
        assert (job.status, job.vendor_status) == ("queued", "PENDING")
        final = client.wait(job.id, interval_s=0)
        assert final.status == "succeeded" and final.fine_tuned_model == f"qwen3-8b-ft-{job.id}"
        second = client.create("qwen3-8b", file_id)
        assert client.cancel(second.id).status == "cancelled"
        assert client.events(second.id) == ["status CANCELED"]
