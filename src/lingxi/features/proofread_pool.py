"""Proofreading's rule edits for long texts: computed in the writing pool's worker process, once per text.

:mod:`lingxi.features.writing_pool` says why a process; this module adds what proofreading needs on top: the
worker reloads the built models (language model, confusable classifiers) when ``lingxi features proofread
build`` has rebuilt them (the build's manifest stamp travels with each call, as the ``forget`` the build calls
cannot reach another process), and the last few texts' edits are kept, because a proofread's prompt and its
finish both need them.
The rules function is passed in (not imported) so that :mod:`lingxi.features.proofread` can use this module.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import TypeVar

from lingxi.features import confusable, lmcheck, writing_pool

E = TypeVar("E")
Rules = Callable[..., Sequence[E]]  # rule_edits(text, home=...)

_seen_model: list[int | None] = [None]  # in the worker process: the stamp of the built model it has loaded


def _as_of(text: str, rules: Rules[E], home: Path | None, stamp: int | None) -> tuple[E, ...]:
    """``rules(text, home=home)`` with the built model as of ``stamp``: the worker reloads it after a rebuild."""
    if stamp != _seen_model[0]:
        lmcheck.forget()
        confusable.forget()
        _seen_model[0] = stamp
    return tuple(rules(text, home=home))


@lru_cache(maxsize=4)
def _pooled(rules: Rules[E], text: str, home: Path | None, stamp: int | None) -> tuple[E, ...]:
    return writing_pool.run(_as_of, text, rules, home, stamp)


def long_rule_edits(rules: Rules[E], text: str, home: Path | None) -> list[E]:
    """``rules(text, home=home)``, in the worker process when ``text`` is long, computed once per text."""
    built = lmcheck.manifest_path(home) if home is not None else None
    return list(_pooled(rules, text, home, built.stat().st_mtime_ns if built is not None and built.is_file() else None))
