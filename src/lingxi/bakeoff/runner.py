"""Run every candidate model through the same task items, concurrently per provider, resumably.

The run happens in a scratch home inside the output directory (``OUT/home``) that inherits the user's
settings (providers, keys' variable names, routing) and links their keyword library and safety classifier, so
screening is measured as deployed while the bake-off never writes into the user's own data.
A model that cannot be built (no key, no GGUF) is recorded as unavailable with the Chinese reason and the
others go on; a timeout or a provider error on one item is recorded against that item, never crashing the run.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lingxi.bakeoff import probes
from lingxi.bakeoff.probes import Outcome, Target
from lingxi.bakeoff.store import ResultStore
from lingxi.bakeoff.tasks import (
    BUILTIN_MC,
    SHARED_SAFETY,
    Item,
    compliance_items,
    json_items,
    load_mc_dir,
    personal_items,
    tool_items,
)
from lingxi.bakeoff.vision_items import vision_items
from lingxi.config import Settings
from lingxi.context.sample import SAMPLE_NOW_MS, SAMPLE_USER_ID
from lingxi.errors import LingxiError
from lingxi.facade import Lingxi
from lingxi.models import registry
from lingxi.models.base import ChatModel
from lingxi.privacy.consent import Scope

Progress = Callable[[str, int, int], None]  # (provider, done, total)

LITE_INFO: dict[str, Any] = {
    "name": "lite", "provider": "lite", "kind": "classical", "locality": "on_device",
    "cost_input_per_1k_cny": 0.0, "cost_output_per_1k_cny": 0.0,
    "description": "经典算法（TextRank 抽取 / BM25 检索 / 规则），非大模型：作为基线",
}  # fmt: skip


@dataclass
class RunSummary:
    run: str
    out_dir: Path
    asked: dict[str, int] = field(default_factory=dict)  # provider → items asked in this invocation
    kept: dict[str, int] = field(default_factory=dict)  # provider → items already stored and not asked again
    errors: dict[str, str] = field(default_factory=dict)  # provider → why it could not be built


@dataclass
class Bakeoff:
    """One output directory's bake-off. ``limit`` caps the items of every task (for quick looks and tests)."""

    settings: Settings
    out_dir: Path
    run_name: str = "default"
    concurrency: int = 4
    timeout_s: float = 120.0
    mc_data: Path | None = None
    mc_per_file: int | None = 50
    safety_data: Path | None = None
    compliance_limit: int | None = 20
    limit: int | None = None
    retry_failed: bool = True
    now_ms: int = SAMPLE_NOW_MS
    store: ResultStore = field(init=False)

    def __post_init__(self) -> None:
        self.out_dir.mkdir(parents=True, exist_ok=True)
        self.store = ResultStore(self.out_dir)

    def items(self, task: str, lx: Lingxi | None = None) -> list[Item]:
        """The items of ``task`` for this run (quality checks need the facade that will run them)."""
        if task == "mc":
            found = [*BUILTIN_MC, *(load_mc_dir(self.mc_data, per_file=self.mc_per_file) if self.mc_data else [])]
        elif task == "checks":
            from lingxi.evals import all_checks

            found = probes.check_items(all_checks())
        elif task == "personal":
            found = personal_items()
        elif task == "compliance":
            path = self.safety_data or (SHARED_SAFETY if SHARED_SAFETY.is_file() else None)
            found = compliance_items(path, self.compliance_limit)
        elif task == "tools":
            found = tool_items()
        elif task == "vision":
            found = vision_items()
        else:
            found = json_items()
        return found[: self.limit]

    def _resolve(self, specs: list[str]) -> tuple[list[tuple[Target, ChatModel | None]], dict[str, str]]:
        targets: list[tuple[Target, ChatModel | None]] = []
        errors: dict[str, str] = {}
        for spec in specs:
            if spec == "lite":
                targets.append((Target("lite", "lite"), None))
                self.store.set_provider(self.run_name, "lite", LITE_INFO)
                continue
            try:
                model = registry.resolve_spec(spec, self.settings, allow_paths=True)
            except LingxiError as exc:
                errors[spec] = exc.message_zh + (f"（{exc.hint}）" if exc.hint else "")
                self.store.set_provider(self.run_name, spec, {"name": spec, "spec": spec}, errors[spec])
                continue
            info = model.info.model_dump(mode="json", exclude={"tasks"})
            targets.append((Target(spec, model.info.name), model))
            self.store.set_provider(self.run_name, model.info.name, {**info, "spec": spec})
        return targets, errors

    def _facade(self, models: list[ChatModel], name: str = "home") -> Lingxi:
        home = self.out_dir / name
        home.mkdir(parents=True, exist_ok=True)
        # screening as the user's installation does it: their keyword library and trained classifier
        for part in ("lexicon", "models"):
            mine, theirs = home / part, self.settings.home / part
            if theirs.is_dir() and not mine.exists():
                mine.symlink_to(theirs.resolve(), target_is_directory=True)
        scratch = self.settings.model_copy(update={"home": home})
        lx = Lingxi(settings=scratch, models=models)
        lx.load_sample()
        # the sample user (and the facade's default "local" user of the writing checks) are fictional here: let
        # cloud models see their data, so features are compared on every model
        for user in (SAMPLE_USER_ID, "local"):
            lx.consents.grant(user, Scope.CLOUD_PROCESSING, source="bakeoff")
        return lx

    async def arun(self, providers: list[str], tasks: list[str], progress: Progress | None = None) -> RunSummary:
        """Ask every missing (provider, task, item); return what was asked and what was kept."""
        targets, errors = self._resolve(providers)
        summary = RunSummary(self.run_name, self.out_dir, errors=errors)
        lx = self._facade([m for _, m in targets if m is not None])
        checks = {}
        if "checks" in tasks:
            from lingxi.evals import all_checks

            checks = {c.name: c for c in all_checks()}
        items = {t: self.items(t, lx) for t in tasks}
        # feature checks change state (actions, digest watermarks, ingested events): one home per model, so
        # models run at the same time never see each other's side effects
        check_homes: dict[str, Lingxi] = {}

        def check_lx(target: Target) -> Lingxi:
            if target.name not in check_homes:
                slug = re.sub(r"[^A-Za-z0-9_.-]+", "_", target.name)
                check_homes[target.name] = self._facade([m for _, m in targets if m is not None], f"checks/{slug}")
            return check_homes[target.name]

        if "personal" in items:
            probes.seed_personal(lx, items["personal"], self.now_ms)

        def job(target: Target, item: Item) -> Callable[[], Awaitable[Outcome]]:
            runners: dict[str, Callable[[], Awaitable[Outcome]]] = {
                "mc": lambda: probes.run_mc(lx, target, item),
                "checks": lambda: probes.run_check(check_lx(target), target, checks[item.id]),
                "personal": lambda: probes.run_personal(lx, target, item, self.now_ms),
                "compliance": lambda: probes.run_compliance(lx, target, item),
                "tools": lambda: probes.run_tools(lx, target, item),
                "json": lambda: probes.run_json(lx, target, item),
                "vision": lambda: probes.run_vision(lx, target, item),
            }
            return runners[item.task]

        work = []
        for target, _ in targets:
            done = self.store.done(self.run_name, target.name, include_failed=not self.retry_failed)
            # checks that need a language model are not asked of the classical floor (the evals' own rule)
            mine = [i for t in tasks for i in items[t] if not (target.name == "lite" and i.data.get("needs_llm"))]
            todo = [i for i in mine if (i.task, i.id) not in done]
            summary.asked[target.name] = len(todo)
            summary.kept[target.name] = len(mine) - len(todo)
            work.append(self._provider(target, todo, job, progress))
        await asyncio.gather(*work)
        return summary

    async def _provider(
        self,
        target: Target,
        todo: list[Item],
        job: Callable[[Target, Item], Callable[[], Awaitable[Outcome]]],
        progress: Progress | None,
    ) -> None:
        gate = asyncio.Semaphore(self.concurrency)
        finished = 0

        async def one(item: Item) -> None:
            nonlocal finished
            async with gate:
                outcome = await self._guarded(job(target, item))
            self.store.put(self.run_name, target.name, item.task, item.id, item.group, outcome)
            finished += 1
            if progress:
                progress(target.name, finished, len(todo))

        if progress:
            progress(target.name, 0, len(todo))
        await asyncio.gather(*(one(i) for i in todo))

    async def _guarded(self, call: Callable[[], Awaitable[Outcome]]) -> Outcome:
        try:
            return await asyncio.wait_for(call(), self.timeout_s)
        except TimeoutError:
            return Outcome(None, error=f"timeout after {self.timeout_s:g} s", total_ms=self.timeout_s * 1000)
        except LingxiError as exc:
            return Outcome(None, error=f"{type(exc).__name__}: {exc.message_zh}")
        except Exception as exc:  # a provider's failure is a measurement, never the end of the run
            return Outcome(None, error=f"{type(exc).__name__}: {exc}"[:300])

    def run(self, providers: list[str], tasks: list[str], progress: Progress | None = None) -> RunSummary:
        return asyncio.run(self.arun(providers, tasks, progress))
