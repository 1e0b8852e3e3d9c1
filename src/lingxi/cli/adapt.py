"""``lingxi adapt``: feedback → training set → fine-tuning job → registered model → bake-off → route.

Each command is a thin shell over :mod:`lingxi.adapt` (see ``docs/adapt.md`` for the whole sequence).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer

from lingxi.cli.common import HomeOpt, out, print_error
from lingxi.config import Settings
from lingxi.errors import LingxiError

adapt_app = typer.Typer(
    no_args_is_help=True, help="adapt a feature to a model from consented feedback, and prove the gain"
)

FeatureOpt = Annotated[str, typer.Option("--feature", "-f", help="replies, proofread, rewrite, notifications…")]
ProviderOpt = Annotated[str, typer.Option("--provider", help="a [providers.KEY] of lingxi.toml, or a preset id")]
BaseUrlOpt = Annotated[
    str | None, typer.Option("--base-url", help="the fine-tuning API's base URL (default: the preset's)")
]


@contextmanager
def _errors() -> Iterator[None]:
    try:
        yield
    except LingxiError as exc:
        print_error(exc)
        raise typer.Exit(1) from None


def _json(value: object) -> None:
    out.print_json(json.dumps(value, ensure_ascii=False, default=str))


def _show_job(job: object, events: list[object] | None = None) -> None:
    from lingxi.adapt.finetune import Job

    assert isinstance(job, Job)
    row: dict[str, object] = {
        "id": job.id,
        "status": job.status,
        "vendor_status": job.vendor_status,
        "model": job.fine_tuned_model,
    }
    if job.error:
        row["error"] = job.error
    if events is not None:
        row["events"] = events
    _json(row)


@adapt_app.command()
def export(
    feature: FeatureOpt,
    out_dir: Annotated[Path, typer.Option("--out", help="directory to write")],
    home: HomeOpt = None,
) -> None:
    """Build SFT + preference JSONL, eval items and a data card from consented feedback."""
    from lingxi.adapt.export import export_feature
    from lingxi.facade import Lingxi

    with _errors():
        result = export_feature(Lingxi(home), feature, out_dir)
    out.print((out_dir / "data_card.md").read_text(encoding="utf-8"), markup=False, highlight=False)
    out.print(f"已导出 {result.card['records']} 条训练样本 → {out_dir}", highlight=False)


@adapt_app.command()
def submit(
    dir: Annotated[Path, typer.Argument(help="an `adapt export` directory")],
    provider: ProviderOpt,
    model: Annotated[str, typer.Option("--model", "-m", help="the base model id at the vendor")],
    base_url: BaseUrlOpt = None,
    suffix: Annotated[str | None, typer.Option(help="name suffix for the tuned model")] = None,
    epochs: Annotated[int | None, typer.Option(help="n_epochs hyperparameter")] = None,
    home: HomeOpt = None,
) -> None:
    """Upload the training set and start a fine-tuning job."""
    from lingxi.adapt.jobs import submit as do_submit

    with _errors():
        rec = do_submit(
            Settings.load(home),
            dir,
            provider=provider,
            base_model=model,
            base_url=base_url,
            suffix=suffix,
            hyperparameters={"n_epochs": epochs} if epochs else None,
        )
    out.print(f"已提交微调任务 {rec.job_id}（{rec.provider}，基座 {rec.base_model}）", highlight=False)


@adapt_app.command()
def status(
    job_id: Annotated[str | None, typer.Argument(help="a job id; none lists submitted jobs")] = None,
    wait: Annotated[bool, typer.Option(help="poll until the job ends")] = False,
    interval: Annotated[float, typer.Option(help="seconds between polls with --wait")] = 10.0,
    home: HomeOpt = None,
) -> None:
    """A job's status and events (or the list of submitted jobs)."""
    from dataclasses import asdict

    from lingxi.adapt.jobs import client_for, poll_job
    from lingxi.models.tuned import job, jobs

    settings = Settings.load(home)
    with _errors():
        if job_id is None:
            _json([asdict(j) for j in jobs(settings.home)])
            return
        if wait:
            rec = job(settings.home, job_id)
            client, _, _ = client_for(settings, rec.provider, rec.base_url)
            show: Callable[[object], None] = _show_job
            client.wait(job_id, interval_s=interval, on_poll=show)
            client.close()
            return
        current, events = poll_job(settings, job_id)
    _show_job(current, events)


@adapt_app.command()
def cancel(job_id: str, home: HomeOpt = None) -> None:
    """Cancel a running or queued job."""
    from lingxi.adapt.jobs import cancel_job

    with _errors():
        _show_job(cancel_job(Settings.load(home), job_id))


@adapt_app.command()
def register(
    job_id: str,
    name: Annotated[str | None, typer.Option(help="routable name (default: PROVIDER/TUNED_MODEL_ID)")] = None,
    home: HomeOpt = None,
) -> None:
    """Register a succeeded job's model as routable, with its lineage."""
    from dataclasses import asdict

    from lingxi.adapt.jobs import register_job

    with _errors():
        _json(asdict(register_job(Settings.load(home), job_id, name)))


@adapt_app.command()
def bakeoff(
    feature: FeatureOpt,
    base: Annotated[str, typer.Option(help="the base model's name")],
    adapted: Annotated[str, typer.Option(help="the adapted model's name")],
    items: Annotated[Path, typer.Option(help="eval.jsonl from `adapt export`")],
    out_dir: Annotated[Path, typer.Option("--out", help="where report.json and report.md go")],
    home: HomeOpt = None,
) -> None:
    """Compare base vs adapted on held-out items: quality, latency, cost, 95% CI of the difference."""
    from lingxi.bakeoff.adapted import compare, load_items, render_markdown
    from lingxi.facade import Lingxi

    with _errors():
        lx = Lingxi(home)  # names as routing knows them: configured, tuned (registered) and NAME+FEATURE adapters
        result = compare(feature, lx.router.get(base), lx.router.get(adapted), load_items(items))
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "report.json").write_text(json.dumps(result.to_json(), ensure_ascii=False, indent=2), encoding="utf-8")
    text = render_markdown(result)
    (out_dir / "report.md").write_text(text, encoding="utf-8")
    out.print(text, markup=False, highlight=False)


@adapt_app.command()
def promote(
    report: Annotated[Path, typer.Argument(help="report.json of `adapt bakeoff`")], home: HomeOpt = None
) -> None:
    """Route the feature to the adapted model — only if the CI's lower bound is above 0."""
    from lingxi.adapt.promote import promote as do_promote

    with _errors():
        route = do_promote(Settings.load(home).home, report)
    out.print(f"路由已切换：{' → '.join(route['candidates'])}（CI 下限 {route['ci_low']:+.3f}）", highlight=False)


@adapt_app.command()
def demote(feature: FeatureOpt, home: HomeOpt = None) -> None:
    """Remove a feature's promoted route."""
    from lingxi.adapt.promote import demote as do_demote

    removed = do_demote(Settings.load(home).home, feature)
    out.print("已移除" if removed else "该功能没有已切换的路由", highlight=False)
