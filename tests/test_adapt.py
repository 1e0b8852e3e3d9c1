"""The adapt loop: feedback under consent → export → fine-tuning job → registered model → bake-off → route."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from fake_finetune import FakeFineTune
from fake_openai import Script
from lingxi.adapt.export import export_feature
from lingxi.adapt.finetune import FineTuneClient, api_for
from lingxi.adapt.jobs import cancel_job, poll_job, register_job, submit
from lingxi.adapt.promote import promote, promoted_routes
from lingxi.bakeoff.adapted import compare, load_items, paired_bootstrap
from lingxi.errors import InvalidInput, PolicyForbidden
from lingxi.facade import Lingxi
from lingxi.models.tuned import tuned_models
from lingxi.privacy.classify import PrivacyClass
from lingxi.privacy.consent import AgeBand, Scope, parse_scopes

T0 = 1_795_000_000_000
PLACES = ["西湖", "灵隐寺", "河坊街", "西溪", "滨江", "良渚", "千岛湖", "九溪", "龙井村", "湘湖", "运河", "植物园"]
TOPICS = [
    ("周六一起去{p}玩吗？", "好呀，周六{p}见，我带水！"),
    ("晚上在{p}吃饭怎么样？", "可以，晚上{p}见，我订位子。"),
    ("明天{p}开会你来吗？", "来的，明天准时到{p}。"),
]


def _feedback(lx: Lingxi, users: list[str]) -> int:
    """Each user edits three reply candidates into their own style; returns how many were kept."""
    kept = 0
    for i, user in enumerate(users):
        for j, (prompt, reply) in enumerate(TOPICS):
            place = PLACES[(i + j) % len(PLACES)]
            receipt = lx.feedback(
                user,
                feature="replies",
                answer_id=f"req-{user}-{j}",
                action="edited",
                prompt=prompt.format(p=place),
                candidate="收到。",
                edited=reply.format(p=place),
                ts=T0 + i * 3_600_000 + j * 60_000,
            )
            kept += receipt.recorded
    return kept


def _consent(lx: Lingxi, users: list[str]) -> None:
    for u in users:
        lx.consents.grant(u, Scope.MESSAGES, Scope.MODEL_IMPROVEMENT)


def test_all_never_includes_model_improvement() -> None:
    assert Scope.MODEL_IMPROVEMENT not in parse_scopes(["all"], granting=True)
    assert Scope.MODEL_IMPROVEMENT in parse_scopes(["all"], granting=False)  # withdrawing all does withdraw it


def test_without_the_scope_nothing_is_kept_and_export_has_zero_records(lx: Lingxi, tmp_path: Path) -> None:
    lx.consents.grant_all_except_sensitive("u-all")  # "agree to all" does not cover model improvement
    assert _feedback(lx, ["u-all"]) == 0
    receipt = lx.feedback("u-all", feature="replies", answer_id="r", action="accepted", prompt="在吗", candidate="在")
    assert not receipt.recorded and "model_improvement" in receipt.reason
    # consented once, then withdrawn: what was kept is no longer exported
    _consent(lx, ["u-later"])
    assert _feedback(lx, ["u-later"]) == 3
    lx.consents.withdraw("u-later", Scope.MODEL_IMPROVEMENT)
    card = export_feature(lx, "replies", tmp_path / "out").card
    assert card["records"] == 0 and card["eval_items"] == 0
    assert card["excluded"]["no_consent"] == 3
    assert all(not p.read_text() for p in (tmp_path / "out").glob("*.jsonl"))


def test_minors_are_excluded_even_with_the_scope(lx: Lingxi, tmp_path: Path) -> None:
    _consent(lx, ["teen", "kid-later"])
    lx.consents.set_age_band("teen", AgeBand.FROM_14_TO_17)
    assert _feedback(lx, ["teen"]) == 0
    assert _feedback(lx, ["kid-later"]) == 3  # recorded as an adult, then the app learns the user is a minor
    lx.consents.set_age_band("kid-later", AgeBand.FROM_14_TO_17)
    card = export_feature(lx, "replies", tmp_path / "out").card
    assert card["records"] == 0 and card["excluded"]["minor"] == 3


def test_feedback_is_validated(lx: Lingxi) -> None:
    _consent(lx, ["u"])
    with pytest.raises(InvalidInput):
        lx.feedback("u", feature="replies", answer_id="r", action="edited", candidate="x")  # no edited text
    with pytest.raises(InvalidInput):
        lx.feedback("u", feature="replies", answer_id="r", action="liked")


def test_export_redacts_dedups_and_splits_by_user(lx: Lingxi, tmp_path: Path) -> None:
    users = [f"user-{i:02d}" for i in range(10)]
    _consent(lx, users)
    assert _feedback(lx, users) == 30
    phone = "13812345678"
    for _ in range(2):  # the same example twice: kept once
        lx.feedback(
            "user-00",
            feature="replies",
            answer_id="req-phone",
            action="accepted",
            prompt=f"我的新号码是{phone}，记一下",
            candidate="好的，已经记下了",
            rejected="不用了",
            ts=T0 + 999,
        )
    result = export_feature(lx, "replies", tmp_path / "out")
    card = result.card
    text = "".join(p.read_text(encoding="utf-8") for p in (tmp_path / "out").iterdir())
    assert phone not in text and "[手机号_1]" in text
    assert card["redactions"].get("手机号") == 2  # counted per stored record before dedup
    assert card["excluded"]["duplicate"] == 1
    assert card["records"] == 31
    split_users: dict[str, set[str]] = {}
    for split in ("train", "valid", "test"):
        rows = [json.loads(line) for line in (tmp_path / "out" / f"sft_{split}.jsonl").read_text().splitlines()]
        assert all([m["role"] for m in r["messages"]] == ["system", "user", "assistant"] for r in rows)
        split_users[split] = {u for u in users if any(PLACES[users.index(u) % 12] in str(r) for r in rows)}
    assert card["counts"]["train"]["users"] == 8 and card["counts"]["valid"]["users"] == 1
    assert card["counts"]["test"]["users"] == 1 and card["eval_items"] == 3
    assert card["counts"]["train"]["pref"] >= 24  # every edit is a pair: the edit beats the candidate
    assert json.loads((tmp_path / "out" / "data_card.json").read_text())["card_sha256"] == result.card_sha256
    assert "Consent basis" in (tmp_path / "out" / "data_card.md").read_text()


def test_job_lifecycle_success_failure_cancel(tmp_path: Path) -> None:
    train = tmp_path / "train.jsonl"
    chat = [{"role": "user", "content": "在吗"}, {"role": "assistant", "content": "在的"}]
    train.write_text(json.dumps({"messages": chat}, ensure_ascii=False) + "\n")
    for outcome in ("succeeded", "failed"):
        with FakeFineTune(outcome=outcome) as fake:
            client = FineTuneClient(api_for("openai", fake.base_url))
            job = client.create("base-7b", client.upload(train), suffix="replies")
            assert job.status == "queued"
            seen = []
            final = client.wait(job.id, interval_s=0, on_poll=lambda j, seen=seen: seen.append(j.status))
            assert seen == ["running", outcome] and final.status == outcome
            assert (final.fine_tuned_model is not None) == (outcome == "succeeded")
            assert (final.error != "") == (outcome == "failed")
            assert [e["message"] for e in client.events(job.id)] == ["queued", "running", outcome]
    with FakeFineTune() as fake:
        client = FineTuneClient(api_for("openai", fake.base_url))
        job = client.create("base-7b", client.upload(train))
        assert client.cancel(job.id).status == "cancelled"
        assert client.get(job.id).status == "cancelled"  # stays cancelled: no model ever appears


def test_dashscope_status_words_map_to_ours() -> None:
    api = api_for("dashscope")
    assert [api.canonical(s) for s in ("QUEUING", "RUNNING", "SUCCEEDED", "FAILED", "CANCELED")] == [
        "queued",
        "running",
        "succeeded",
        "failed",
        "cancelled",
    ]
    assert api.jobs_path == "/fine-tunes" and api.training_field == "training_file_ids" and api.files_as_list


def test_bootstrap_ci_brackets_the_mean_and_is_above_zero_only_for_a_real_gain() -> None:
    low, high = paired_bootstrap([0.2, 0.3, 0.25, 0.22, 0.28])
    assert 0 < low < 0.25 < high
    low, high = paired_bootstrap([0.2, -0.3, 0.1, -0.1, 0.05])
    assert low < 0 < high


def _toml(home: Path, base_url: str) -> None:
    home.mkdir(parents=True, exist_ok=True)
    (home / "lingxi.toml").write_text(
        f'[providers.selfhost]\npreset = "vllm"\nbase_url = "{base_url}"\nmodels = ["base-7b"]\n', encoding="utf-8"
    )


def test_whole_loop_feedback_to_route_switch(home: Path, tmp_path: Path) -> None:
    with FakeFineTune({"base-7b": Script(reply="收到，我稍后回复您。")}) as fake:
        _toml(home, fake.base_url)
        lx = Lingxi(home)
        users = [f"user-{i:02d}" for i in range(12)]
        _consent(lx, users)
        assert _feedback(lx, users) == 36
        export = export_feature(lx, "replies", tmp_path / "export")
        assert export.card["eval_items"] > 0
        rec = submit(
            lx.settings, tmp_path / "export", provider="selfhost", base_model="base-7b", base_url=fake.base_url
        )
        assert poll_job(lx.settings, rec.job_id)[0].status == "running"
        tuned = register_job(lx.settings, rec.job_id)  # this poll sees it succeed
        assert tuned.base_model == "base-7b" and tuned.data_card_sha256 == export.card_sha256
        assert tuned.job_id == rec.job_id and tuned_models(home) == [tuned]

        lx = Lingxi(home)  # the tuned model is now routable
        assert tuned.name in {m.name for m in lx.models()}
        result = compare(
            "replies",
            lx.router.get("selfhost/base-7b"),
            lx.router.get(tuned.name),
            load_items(tmp_path / "export" / "eval.jsonl"),
        )
        assert result.adapted.answered == result.items and result.wins
        ask = {"feature": "replies.suggest", "requested": None, "task": None}
        ask |= {"privacy": PrivacyClass.PERSONAL, "cloud_ok": True}
        before = lx.router.decide(**ask).candidates[0].info.name  # type: ignore[arg-type]
        report = tmp_path / "report.json"
        report.write_text(json.dumps(result.to_json()))
        route = promote(home, report)
        assert route["candidates"] == [tuned.name, "selfhost/base-7b"]

        assert promoted_routes(home)["replies"]["ci_low"] > 0
        after = Lingxi(home).router.decide(**ask).candidates[0].info.name  # type: ignore[arg-type]
        assert before != tuned.name and after == tuned.name


def test_no_route_without_a_win(home: Path, tmp_path: Path) -> None:
    report = tmp_path / "report.json"
    report.write_text(
        json.dumps(
            {
                "feature": "replies",
                "base": {"model": "a"},
                "adapted": {"model": "b"},
                "quality_diff": {"ci_low": -0.01, "ci_high": 0.2},
            }
        )
    )
    with pytest.raises(PolicyForbidden):
        promote(home, report)
    assert promoted_routes(home) == {}


def test_cancel_through_the_recorded_job(home: Path, tmp_path: Path) -> None:
    with FakeFineTune() as fake:
        _toml(home, fake.base_url)
        lx = Lingxi(home)
        _consent(lx, ["a", "b", "c"])
        _feedback(lx, ["a", "b", "c"])
        export_feature(lx, "replies", tmp_path / "e")
        rec = submit(lx.settings, tmp_path / "e", provider="selfhost", base_model="base-7b", base_url=fake.base_url)
        assert cancel_job(lx.settings, rec.job_id).status == "cancelled"
        with pytest.raises(InvalidInput):
            register_job(lx.settings, rec.job_id)
