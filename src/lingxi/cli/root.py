"""The ``lingxi`` command line (Typer).

Every command takes ``--home`` (default: ``LINGXI_HOME`` or the user data dir). Errors lingxi expects are
printed as one line of reason (Chinese, then English) and one line of hint, with exit code 1; there is no
traceback unless ``LINGXI_DEBUG=1``.
"""

from __future__ import annotations

import asyncio
import functools
import os
import sys
from datetime import datetime
from typing import Annotated
from zoneinfo import ZoneInfo

import typer
from rich.table import Table

from lingxi.__about__ import __version__
from lingxi.cli.common import HomeOpt, err, language, out, print_error, user_now, zh_help
from lingxi.cli.ingest import ingest
from lingxi.cli.lazy import GROUPS, LazyGroup
from lingxi.cli.serve import serve
from lingxi.errors import InvalidInput, LingxiError

# Commands import what they run inside their bodies (and groups load through cli/lazy.py): `lingxi --help`
# must not pay ~3 s for jieba, numpy and the screening libraries that the facade pulls in.

#: The top-level help in both languages; `--lang` / LINGXI_LANG / LANG picks one (Chinese by default).
HELP: dict[str, tuple[str, str]] = {
    "": (
        "灵犀 lingxi —— 中文个人智能功能，端侧或云端运行。\n\n第一步：lingxi demo（载入虚构样例用户并演示）；"
        "自己的用户先授权：lingxi privacy grant 用户ID notifications messages\n\n"
        "示例：\n\n  lingxi demo\n\n  lingxi notifications demo-user\n\n  lingxi serve --port 8000",
        "lingxi — personal AI features in Chinese, on device or in the cloud.\n\nStart with `lingxi demo` "
        "(a fictional sample user); for your own users, consent comes first: "
        "lingxi privacy grant USER notifications messages\n\n"
        "Examples:\n\n  lingxi demo\n\n  lingxi notifications demo-user\n\n  lingxi serve --port 8000",
    ),
    "features": (
        "AI 功能：写作工具、通知摘要、智能回复、个人助理、购物推荐",
        "AI features: writing tools, notifications, smart replies, assistant, shopping",
    ),
    "models": (
        "端侧模型目录、下载/删除，以及当前可用的模型",
        "on-device model catalog, pull/rm, and what is usable now",
    ),
    "bakeoff": (
        "厂商评测：同一组任务比较各模型，生成排名报告",
        "vendor bake-off: compare models on the same tasks, ranked report",
    ),
    "keys": (
        "`lingxi serve` 的应用 API 密钥：创建、列出、吊销",
        "API keys per app for `lingxi serve`: create, list, revoke",
    ),
    "index": ("语义检索：向量索引状态，立即处理积压", "semantic search: vector index status, embed the backlog now"),
    "lexicon": ("关键词库：构建、下载、覆盖率", "keyword library: build, pull, coverage"),
    "compliance": (
        "内容安全（TC260 风险）、分类器、安全评估",
        "content screening (TC260 risks), classifier, self-assessment",
    ),
    "audit": ("哈希链审计日志：校验、导出、清理", "hash-chained audit log: verify, export, prune"),
    "label": ("导出文件中的人工智能生成标识（GB 45438-2025）", "AI-content labels in exported files (GB 45438-2025)"),
    "complaints": ("投诉举报（《暂行办法》第十五条）", "complaints and reports (Interim Measures Art. 15)"),
    "adapt": (
        "按功能适配模型：反馈 → 训练集 → 微调 → 注册 → 对比 → 切换路由",
        "adapt a feature: feedback → training set → fine-tune → register → bake-off → route",
    ),
    "privacy": (
        "用户权利（个保法）：授权、非个性化、未成年人、导出、删除",
        "user rights (PIPL): consents, non-personalized mode, minors, export, delete",
    ),
}


def _help(name: str) -> str:
    zh, en = HELP[name]
    return en if language() == "en" else zh


app = typer.Typer(
    name="lingxi",
    cls=LazyGroup,
    help=_help(""),
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)


def _features() -> typer.Typer:
    from lingxi.cli.features import features_app

    return features_app


def _models() -> typer.Typer:
    from lingxi.cli.models import models_app

    models_app.command("list")(models_list)
    return models_app


def _bakeoff() -> typer.Typer:
    from lingxi.cli.adapt import bakeoff as adapted
    from lingxi.cli.bakeoff import bakeoff_app

    bakeoff_app.command("adapted")(adapted)  # base vs adapted on a feature's held-out items (lingxi adapt)
    return bakeoff_app


def _keys() -> typer.Typer:
    from lingxi.cli.keys import keys_app

    return keys_app


def _index() -> typer.Typer:
    from lingxi.cli.index import index_app

    return index_app


def _compliance() -> typer.Typer:
    from lingxi.cli.assess import assess_app
    from lingxi.cli.compliance import compliance_app
    from lingxi.cli.lexicon import lexicon_app

    compliance_app.add_typer(lexicon_app, name="lexicon", help=_help("lexicon"))
    compliance_app.add_typer(assess_app, name="assess")
    return compliance_app


def _audit() -> typer.Typer:
    from lingxi.cli.audit import audit_app

    return audit_app


def _label() -> typer.Typer:
    from lingxi.cli.labels import label_app

    return label_app


def _complaints() -> typer.Typer:
    from lingxi.cli.complaints import complaints_app

    return complaints_app


def _adapt() -> typer.Typer:
    from lingxi.cli.adapt import adapt_app

    return adapt_app


def _privacy() -> typer.Typer:
    from lingxi.cli.privacy import privacy_app

    return privacy_app


for _name, _load in {
    "features": _features,
    "models": _models,
    "bakeoff": _bakeoff,
    "keys": _keys,
    "index": _index,
    "compliance": _compliance,
    "audit": _audit,
    "label": _label,
    "complaints": _complaints,
    "privacy": _privacy,
    "adapt": _adapt,
}.items():
    GROUPS[_name] = (_load, functools.partial(_help, _name))

ModelOpt = Annotated[str | None, typer.Option("--model", "-m", help="model name, or 'lite' (see /v1/models)")]


def _version(value: bool) -> None:
    if value:
        out.print(f"lingxi {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="print the version and exit")
    ] = False,
    lang: Annotated[
        str, typer.Option("--lang", help="zh (default) or en: messages and help (also LINGXI_LANG, LANG)")
    ] = "zh",
) -> None:
    """灵犀 lingxi."""
    del version, lang  # both act before parsing: _version eagerly, --lang through language()


def _parse_now(now: str | None) -> int | None:
    if now is None:
        return None
    try:
        moment = datetime.fromisoformat(now)
    except ValueError:
        raise InvalidInput(
            f"--now {now!r} is not an ISO-8601 time",
            message_zh="--now 不是合法的 ISO-8601 时间",
            hint="e.g. --now 2026-11-22T21:30:00+08:00",
        ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=ZoneInfo("Asia/Shanghai"))
    return int(moment.timestamp() * 1000)


@app.command()
@zh_help("载入内置的虚构样例用户一周数据（移到最近一周，可重复运行），演示各项功能，再演示一条实时到达的事件。")
def demo(
    home: HomeOpt = None,
    model: ModelOpt = None,
    today: Annotated[
        str | None, typer.Option("--today", help="ISO-8601 time to move the sample week to (default: now)")
    ] = None,
) -> None:
    """Load the bundled sample user's week, run the features on it, then show one event arriving live.

    The week is moved (whole weeks) to end shortly before today; running it again reloads the same week.

    示例：lingxi demo --home /tmp/lingxi-demo
    """
    from lingxi.cli.demo import run_demo
    from lingxi.facade import Lingxi

    run_demo(Lingxi(home), out, model, today_ms=_parse_now(today))


app.command()(ingest)


@app.command()
@zh_help("按应用汇总用户最近的通知，紧急在前。")
def notifications(
    user_id: Annotated[str, typer.Argument(help="whose notifications")],
    home: HomeOpt = None,
    model: ModelOpt = None,
    now: Annotated[str | None, typer.Option(help="ISO-8601 time to treat as now")] = None,
) -> None:
    """Summarize a user's recent notifications by app, urgent first.

    示例：lingxi notifications demo-user
    """
    from lingxi.cli.demo import print_digest
    from lingxi.facade import Lingxi

    lx = Lingxi(home)
    now_ms = user_now(lx, user_id, _parse_now(now))
    print_digest(out, lx.notification_summary(user_id, model=model, now_ms=now_ms), lx.settings.timezone)


@app.command()
@zh_help("单次对话，流式输出；-m 可以是 GGUF 路径、已下载或已配置的模型名、provider/model 或 lite/*。")
def chat(
    prompt: Annotated[str, typer.Argument(help="the prompt, or - to read it from stdin")],
    model: ModelOpt = None,
    home: HomeOpt = None,
    system: Annotated[str | None, typer.Option(help="system prompt")] = None,
    max_tokens: Annotated[int | None, typer.Option(min=1, help="upper bound on generated tokens")] = None,
    temperature: Annotated[float | None, typer.Option(min=0.0, max=2.0)] = None,
    seed: Annotated[int | None, typer.Option(help="sampling seed")] = None,
) -> None:
    """One-shot chat, streamed to the terminal; MODEL is a GGUF path, a pulled or configured name, or provider/model.

    示例：lingxi chat -m dashscope/qwen-plus "用一句话介绍杭州"
          echo "帮我总结：……" | lingxi chat -m qwen2.5-0.5b-instruct -
    """
    text = sys.stdin.read() if prompt == "-" else prompt
    if not text.strip():
        raise InvalidInput("the prompt is empty", message_zh="提示词为空", hint='lingxi chat -m MODEL "提示"')
    from lingxi.config import Settings
    from lingxi.facade import Lingxi
    from lingxi.features.chat import Chat
    from lingxi.models import registry
    from lingxi.models.base import Message
    from lingxi.pipeline import Answer, Options

    settings = Settings.load(home)
    extra = [registry.resolve_spec(model, settings, allow_paths=True)] if model else []
    lx = Lingxi(settings=settings, models=extra)
    messages = ([Message(role="system", content=system)] if system else []) + [Message(role="user", content=text)]
    # a model named with -m answers or fails: no silent answer from another tier
    options = Options(max_tokens=max_tokens, temperature=temperature, seed=seed, fallback=not extra)
    name = extra[0].info.name if extra else None
    turn = lx.turn(Chat(), "local", model=name, inputs={"messages": messages}, options=options)

    async def run() -> None:
        async for delta in await lx.astream(turn):
            sys.stdout.write(delta)
            sys.stdout.flush()

    asyncio.run(run())
    sys.stdout.write("\n")
    answer = Answer.of(turn)
    label = answer.label.explicit if answer.label else "无"
    err.print(f"[dim]模型：{answer.model}（{answer.model_kind}）· 标识：{label}[/]", highlight=False)


@zh_help("本机可以使用的所有模型，以及其他模型不可用的原因（缺少密钥或文件、服务未运行）。")
def models_list(home: HomeOpt = None) -> None:
    """Every model this installation can use now, and why the others cannot (missing key or file, server down).

    示例：lingxi models list
    """
    from lingxi.config import Settings
    from lingxi.models import registry

    settings = Settings.load(home)
    built, configured = registry.build(settings)
    sees = {m.info.name for m in built if m.info.supports_vision}  # 识图: takes pictures (image_url parts)
    rows = registry.probe(configured + registry.pulled_report(settings.home) + registry.presets_report(), settings)
    table = Table(title="模型（可用 / 不可用原因）")
    for col in ("名称", "层级", "可用", "识图", "说明"):
        table.add_column(col)
    tiers = {"lite": "轻量（无权重）", "on_device": "端侧", "cloud": "云端"}
    for r in rows:
        usable = "[green]是[/]" if r.usable else "[red]否[/]"
        table.add_row(r.name, tiers[r.tier], usable, "是" if r.name in sees else "", r.reason)
    out.print(table)


app.command()(serve)


def main() -> None:
    """Console entry point: run the app, turning expected errors into one-line messages."""
    try:
        app()
    except LingxiError as exc:
        if os.environ.get("LINGXI_DEBUG"):
            raise
        print_error(exc)
        sys.exit(1)
    except Exception as exc:  # a bug: still one line for the user, the traceback on request
        if os.environ.get("LINGXI_DEBUG"):
            raise
        if language() == "en":
            err.print(f"[red]internal error[/]: {type(exc).__name__}: {exc}", highlight=False)
            err.print("hint: rerun with LINGXI_DEBUG=1 for the traceback and report it", highlight=False)
        else:
            err.print(f"[red]内部错误[/]：{type(exc).__name__}: {exc}", highlight=False)
            err.print("提示：请设置 LINGXI_DEBUG=1 重新运行以查看调用栈，并报告该问题", highlight=False)
        sys.exit(1)
