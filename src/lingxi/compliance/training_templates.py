"""The hand-written training prompts of the screening models, as :class:`~lingxi.compliance.training.Example`.

Why here: the templates live in their own modules (:mod:`risk_templates`, :mod:`semantic_templates`,
:mod:`everyday_templates`); this one turns them into examples with their targets and puts them in the train
and validation splits only — never the test split, whose numbers must come from licensed data alone.
"""

from __future__ import annotations

from importlib import resources

from lingxi.compliance.classifier import _CATCH_ALL
from lingxi.compliance.everyday_templates import everyday_prompts
from lingxi.compliance.risk_templates import coded_requests
from lingxi.compliance.semantic_templates import risky_requests, topic_questions
from lingxi.compliance.training import Example, split


def templated() -> list[Example]:
    """Risky requests (all A.1–A.4 codes), topic questions on the same words (law, medicine, news: hard
    negatives) and everyday requests (a request form alone must not block)."""
    return (
        [Example(t, True, _CATCH_ALL.get(r), "refuse", "template:risky") for t, r in risky_requests()]
        + [Example(t, True, code, "refuse", "template:coded") for t, code in coded_requests()]
        + [Example(t, False, None, "responsible_answer", "template:topic") for t in topic_questions()]
        # everyday requests weigh like hard negatives (HARD_NEGATIVES): at weight 1, ~800 of them among ~50k
        # items moved no everyday dev sentence's score by more than 0.01
        + [Example(t, False, None, "responsible_answer", "template:everyday") for t in everyday_prompts()]
    )


PASS_LINES = "everyday:lines"  # the source of the caller's must-pass lines (never a licensed source's name)
# weight 5 (hard negatives, like the everyday templates): at main's threshold rule they cost 1.6 points of
# must-refuse on dev (cls14); with the per-source budget rule (train_thresholds) 0.8 point, against 1.0 at weight 1
# and more everyday blocks (benchmarks/README.md, cls16)
PASS_BEHAVIOR = "responsible_answer"


def with_templates(
    train: list[Example], val: list[Example], *, templates: bool = True, pass_lines: list[str] | None = None
) -> tuple[list[Example], list[Example]]:
    """``train`` and ``val`` with the templates and the caller's everyday lines (must-pass prompts, source
    :data:`PASS_LINES`) added, cut by the same text hash as the data (the hash's test share goes to train: they are
    never test items).

    Why the everyday lines (``train``'s default: the package's :func:`package_lines`; ``--pass-lines`` adds more):
    the licensed must-pass prompts hold few requests of an assistant's everyday use (shopping, errands, family), so
    the classifier reads their risky characters (卖 in 外卖, 骗 in 避免被骗) as risk. Trained on as must-pass prompts
    (weight 5) with the per-source budget rule (:mod:`train_thresholds`) they took the blocks of everyday files never
    trained on from 72 to 27 of 1,048 on dev, for 0.8 point of must-refuse out of source (benchmarks/README.md,
    cls16); on the licensed test banks they cost no must-refuse, and on five authors' everyday sets none of them
    trained on they cut wrong blocks by 48–67 %, so ``train`` uses them by default (wave 13, the lead's
    pre-registered rule)."""
    extra = templated() if templates else []
    extra += [Example(t, False, None, PASS_BEHAVIOR, PASS_LINES) for t in dict.fromkeys(pass_lines or ()) if t.strip()]
    t_train, t_val, t_rest = split(extra, frozenset())
    return train + t_train + t_rest, val + t_val


def package_lines() -> list[str]:
    """The everyday lines shipped with the package (``lingxi/data/everyday/pass_zh.txt``: written by hand for lingxi,
    no dataset text), which ``train`` learns as must-pass prompts unless ``--no-shipped-lines`` is given."""
    text = resources.files("lingxi.data").joinpath("everyday/pass_zh.txt").read_text(encoding="utf-8")
    return [x.strip() for x in text.splitlines() if x.strip() and not x.startswith("#")]
