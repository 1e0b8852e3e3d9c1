"""``lingxi adapt export``: a feature's training set from consented feedback, with a data card.

What comes out (in ``DIR``):

* ``sft_{train,valid,test}.jsonl`` — chat-format SFT (``{"messages": [system, user, assistant]}``), the
  assistant turn being what the user kept: the candidate they accepted, or their own edit of it.
* ``pref_{train,valid,test}.jsonl`` — preference pairs in the OpenAI DPO format (``input`` /
  ``preferred_output`` / ``non_preferred_output``) where a rejected alternative exists: an edit beats the
  candidate it replaced; a chosen reply beats the candidate the user turned down.
* ``eval.jsonl`` — the bake-off's held-out items: the test split's prompts with the user's text as reference.
* ``data_card.json`` and ``data_card.md`` — counts, consent basis, redaction counts, date range, file hashes.

Rules, in order: only users whose *current* consent includes ``model_improvement`` and who are not minors
(:func:`~lingxi.adapt.feedback.may_train_on`); PII redacted with the egress recognizers (typed placeholders
such as ``[手机号_1]``, one mapping per record, which is then dropped: nothing maps back); duplicates (same
redacted prompt and target) kept once, the latest; users split by the time of their first feedback — the
earliest ~80 % train, then valid, then test — so no user is in two splits and test is also the latest data.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

from lingxi.adapt.feedback import may_train_on
from lingxi.context.feedback_events import FeedbackEvent
from lingxi.ports import Configured, Consented, UserEvents
from lingxi.privacy.names_model import model_for
from lingxi.privacy.redact import RedactionMap, Redactor

__all__ = ["SPLITS", "SYSTEM_PROMPTS", "Example", "ExportResult", "export_feature"]

SPLITS = ("train", "valid", "test")
#: The instruction each feature's training examples start with (the feature's job, in Chinese).
SYSTEM_PROMPTS: dict[str, str] = {
    "replies": "你是聊天回复助手：根据对方发来的消息，替用户写一条简短、自然、符合其风格的中文回复。",
    "proofread": "你是中文校对助手：改正句子中的错别字和语病，只输出改好的句子。",
    "rewrite": "你是中文改写助手：按要求改写用户的文字，只输出改写结果。",
    "notifications": "你是通知摘要助手：用一句中文概括这些通知的要点。",
}
_TEXT_ACTIONS = frozenset({"accepted", "edited", "kept", "clicked", "bought"})


class ExportHost(Configured, Consented, UserEvents, Protocol):
    """What exporting a training set uses: the home (its names model), consents, and the feedback events."""


@dataclass(frozen=True)
class Example:
    """One training example after redaction: whose, when, the prompt, the target and (maybe) the loser."""

    user_id: str
    ts: int
    prompt: str
    target: str
    rejected: str


@dataclass
class ExportResult:
    """What the export wrote and the card describing it."""

    out_dir: Path
    card: dict[str, Any]
    files: dict[str, Path] = field(default_factory=dict)

    @property
    def card_sha256(self) -> str:
        return str(self.card["card_sha256"])


def _example(e: FeedbackEvent) -> tuple[str, str, str] | None:
    """(prompt, target, rejected) from one feedback event, or None when it holds no training text."""
    if not e.prompt:
        return None
    if e.action == "edited":
        return e.prompt, e.edited, e.candidate  # the user's edit beats what we suggested
    if e.action in _TEXT_ACTIONS and e.candidate:
        return e.prompt, e.candidate, e.rejected
    return None  # rejected / undone / opened / dismissed: a signal, but no text to imitate


def _redact(redactor: Redactor, texts: tuple[str, ...], counts: Counter[str]) -> tuple[str, ...]:
    mapping = RedactionMap()  # one per record: the same value keeps one placeholder across prompt and target
    out = []
    for text in texts:
        red, spans = redactor.redact_spans(text, mapping)
        counts.update(sp.type for sp in spans)
        out.append(red)
    return tuple(out)


def _split(examples: list[Example]) -> dict[str, list[Example]]:
    """Users ordered by their first example; the earliest ~80 % train, ~10 % valid, the latest test."""
    first: dict[str, int] = {}
    for ex in examples:
        first[ex.user_id] = min(ex.ts, first.get(ex.user_id, ex.ts))
    users = sorted(first, key=lambda u: (first[u], u))
    n = len(users)
    n_test = max(1, round(n * 0.1)) if n >= 3 else 0
    n_valid = max(1, round(n * 0.1)) if n >= 3 else 0
    n_train = n - n_test - n_valid
    of = {u: ("train" if i < n_train else "valid" if i < n_train + n_valid else "test") for i, u in enumerate(users)}
    out: dict[str, list[Example]] = {s: [] for s in SPLITS}
    for ex in sorted(examples, key=lambda x: (x.ts, x.user_id)):
        out[of[ex.user_id]].append(ex)
    return out


def _write_jsonl(path: Path, rows: list[dict[str, Any]]) -> Path:
    with path.open("w", encoding="utf-8") as f:
        for row in rows:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
    return path


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _iso(ms: int | None) -> str | None:
    return datetime.fromtimestamp(ms / 1000, UTC).isoformat() if ms is not None else None


def export_feature(lx: ExportHost, feature: str, out_dir: Path | str, *, limit_per_user: int = 100_000) -> ExportResult:
    """Build the training and evaluation files for ``feature`` into ``out_dir`` (created) and return the card."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    system = SYSTEM_PROMPTS.get(feature, f"你是灵犀的「{feature}」功能，请直接给出答案。")
    redactor = Redactor(names=model_for(lx.settings.home))
    excluded: Counter[str] = Counter()
    actions: Counter[str] = Counter()
    redactions: Counter[str] = Counter()
    raw: list[Example] = []
    for user in lx.events.users_with("feedback"):
        events = [
            e
            for e in lx.events.query(user, types=["feedback"], limit=limit_per_user)
            if isinstance(e, FeedbackEvent) and e.feature == feature
        ]
        if not events:
            continue
        why_not = may_train_on(lx.consents, user)
        if why_not:
            excluded["minor" if "未成年" in why_not else "no_consent"] += len(events)
            continue
        for e in events:
            actions[e.action] += 1
            got = _example(e)
            if got is None:
                excluded["no_training_text"] += 1
                continue
            prompt, target, rejected = _redact(redactor, got, redactions)
            raw.append(Example(user, e.ts, prompt, target, rejected))
    latest: dict[tuple[str, str], Example] = {}
    for ex in sorted(raw, key=lambda x: x.ts):
        latest[(ex.prompt, ex.target)] = ex  # a later identical example replaces the earlier one
    excluded["duplicate"] = len(raw) - len(latest)
    splits = _split(list(latest.values()))
    files: dict[str, Path] = {}
    counts: dict[str, dict[str, int]] = {}
    for name, items in splits.items():
        head = [{"role": "system", "content": system}]
        sft = [
            {"messages": [*head, {"role": "user", "content": x.prompt}, {"role": "assistant", "content": x.target}]}
            for x in items
        ]
        pref = [
            {
                "input": {"messages": [*head, {"role": "user", "content": x.prompt}]},
                "preferred_output": [{"role": "assistant", "content": x.target}],
                "non_preferred_output": [{"role": "assistant", "content": x.rejected}],
            }
            for x in items
            if x.rejected and x.rejected != x.target
        ]
        files[f"sft_{name}"] = _write_jsonl(out / f"sft_{name}.jsonl", sft)
        files[f"pref_{name}"] = _write_jsonl(out / f"pref_{name}.jsonl", pref)
        counts[name] = {"sft": len(sft), "pref": len(pref), "users": len({x.user_id for x in items})}
    evals = [
        {
            "id": hashlib.sha256(f"{x.user_id}\x00{x.ts}\x00{x.prompt}".encode()).hexdigest()[:16],
            "messages": [{"role": "system", "content": system}, {"role": "user", "content": x.prompt}],
            "reference": x.target,
        }
        for x in splits["test"]
    ]
    files["eval"] = _write_jsonl(out / "eval.jsonl", evals)
    stamps = [x.ts for x in latest.values()]
    card: dict[str, Any] = {
        "feature": feature,
        "generated_at": datetime.now(UTC).isoformat(),
        "consent_basis": "separate consent scope `model_improvement` (PIPL Art. 14), checked per user at export "
        "time; users whose latest record withdraws it, and minors (under 18), are excluded. "
        "单独同意的 model_improvement 授权，导出时逐个用户核验；未成年人与未授权用户的数据不导出。",
        "counts": counts,
        "records": sum(c["sft"] for c in counts.values()),
        "eval_items": len(evals),
        "actions": dict(sorted(actions.items())),
        "excluded": dict(sorted(excluded.items())),
        "redactions": dict(sorted(redactions.items())),
        "redaction": "egress recognizers (lingxi.privacy.pii) with typed placeholders; mappings are not kept",
        "date_range": {"first": _iso(min(stamps, default=None)), "last": _iso(max(stamps, default=None))},
        "split": "by user, ordered by first feedback time: earliest ~80% train, ~10% valid, latest ~10% test",
        "files": {name: {"path": p.name, "sha256": _sha256(p)} for name, p in sorted(files.items())},
    }
    card["card_sha256"] = hashlib.sha256(json.dumps(card, sort_keys=True, ensure_ascii=False).encode()).hexdigest()
    (out / "data_card.json").write_text(json.dumps(card, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    (out / "data_card.md").write_text(_card_markdown(card), encoding="utf-8")
    return ExportResult(out, card, files)


def _card_markdown(card: dict[str, Any]) -> str:
    lines = [
        f"# Data card: `{card['feature']}` (数据卡)",
        "",
        f"- Generated: {card['generated_at']}",
        f"- Consent basis: {card['consent_basis']}",
        f"- Date range: {card['date_range']['first']} — {card['date_range']['last']}",
        f"- Split: {card['split']}",
        f"- Redaction: {card['redaction']}",
        f"- Card sha256: `{card['card_sha256']}`",
        "",
        "| split | SFT examples | preference pairs | users |",
        "|---|---|---|---|",
        *(f"| {s} | {c['sft']} | {c['pref']} | {c['users']} |" for s, c in card["counts"].items()),
        "",
        f"Held-out evaluation items: {card['eval_items']}",
        "",
        "| feedback action | count |",
        "|---|---|",
        *(f"| {a} | {n} |" for a, n in card["actions"].items()),
        "",
        "| excluded | count |",
        "|---|---|",
        *(f"| {a} | {n} |" for a, n in card["excluded"].items()),
        "",
        "| redacted PII type | count |",
        "|---|---|",
        *(f"| {a} | {n} |" for a, n in card["redactions"].items()),
        "",
    ]
    return "\n".join(lines)
