"""The layered screener: keyword (cheap) → classifier → optional LLM guard, as one ``Screener``.

Why layers: the keyword layer is exact and costs microseconds but misses paraphrase; the classifier catches
paraphrase at well under a millisecond; a guard model understands context but costs hundreds of
milliseconds. Running them in cost order and stopping at the first block keeps the common (clean) path cheap
while every layer still gets a say on clean text.

* Precedence: the first layer that blocks decides ``verdict``, ``risks`` and ``layer``.
* Scores: merged from every layer that ran, each key prefixed by its layer (``keyword:A.1.4``,
  ``classifier:unsafe``), so a reviewer sees why the later layers did or did not agree.
* Streaming: ``lookbehind`` is the max of the layers. The output stage re-screens each new delta plus
  ``lookbehind`` characters (the classifier's window is a few sentences, 128 characters by default, so the
  classifier sees the recent context, not only the delta). Running the classifier and guard on every token
  would multiply their cost by the token count, so :meth:`LayeredScreener.streaming` gives the stage a view
  whose ``screen`` runs them only when the window ends a sentence (``。！？!?；;…`` or a newline); the
  keyword layer still checks every delta. The tail after the last sentence mark must then be checked once
  more at the end of the stream with :meth:`LayeredScreener.screen` (the ungated call, also used on input).
"""

from __future__ import annotations

import copy
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from lingxi import plugins
from lingxi.compliance.classifier import ClassifierScreener, default_dir
from lingxi.compliance.english import EnglishIntentScreener
from lingxi.compliance.guard import GuardScreener
from lingxi.compliance.intent import IntentScreener
from lingxi.compliance.lexicon import current_dir, load_library
from lingxi.compliance.ordinary_use import OrdinaryKeywordScreener
from lingxi.compliance.restored import RestoredScreener
from lingxi.compliance.screen import PASS, KeywordScreener, Screener, ScreenResult, Term, seed_library
from lingxi.compliance.semantic import SemanticScreener
from lingxi.compliance.semantic import default_dir as semantic_dir
from lingxi.config import Settings
from lingxi.errors import InvalidInput
from lingxi.models import registry

log = logging.getLogger(__name__)

SENTENCE_END = frozenset("。！？!?；;…\n")
#: what may follow a sentence mark and still end the sentence: spaces, closing quotes and brackets
CLOSERS = " \t\u3000”’\"')）】」』"
CHEAP_LAYERS = frozenset({"keyword"})


def ends_sentence(text: str) -> bool:
    """True when ``text`` (ignoring trailing spaces and closing quotes/brackets) ends a sentence."""
    tail = text.rstrip(CLOSERS)
    return bool(tail) and tail[-1] in SENTENCE_END


def _layer_name(layer: Screener) -> str:
    return str(getattr(layer, "layer", type(layer).__name__))


class LayeredScreener:
    """Several screeners as one; see the module docstring for precedence, scores and streaming."""

    layer = "layered"

    def __init__(self, layers: Sequence[Screener], *, sentence_gate: bool = True) -> None:
        self.layers = list(layers)
        self.sentence_gate = sentence_gate

    @property
    def lookbehind(self) -> int:
        return max((layer.lookbehind for layer in self.layers), default=0)

    def screen(self, text: str) -> ScreenResult:
        """Run every layer in order until one blocks (input screening, whole answers)."""
        return self._run(text, gated=False)

    def screen_window(self, window: str) -> ScreenResult:
        """Streaming re-screen of one window: expensive layers only when the window ends a sentence."""
        return self._run(window, gated=self.sentence_gate and not ends_sentence(window))

    def streaming(self) -> Screener:
        """A view for the output stage: its ``screen`` is :meth:`screen_window`."""
        return _StreamingView(self)

    def _run(self, text: str, *, gated: bool) -> ScreenResult:
        scores: dict[str, float] = {}
        for layer in self.layers:
            name = _layer_name(layer)
            if gated and name not in CHEAP_LAYERS:
                continue
            result = layer.screen(text)
            scores.update({f"{name}:{k}": v for k, v in result.scores.items()})
            if result.blocked:
                return ScreenResult("block", result.risks, scores, result.layer or name)
        return ScreenResult("pass", (), scores, None) if scores else PASS


class _StreamingView:
    def __init__(self, inner: LayeredScreener) -> None:
        self._inner = inner

    @property
    def lookbehind(self) -> int:
        return self._inner.lookbehind

    def screen(self, text: str) -> ScreenResult:
        return self._inner.screen_window(text)


def build_screener(
    home: Path | str,
    terms: list[Term] | None = None,
    *,
    guard: Screener | None = None,
    threshold: float | None = None,
    extra: Sequence[Screener] = (),
    ordinary_use: bool = True,
    ordinary_frames: bool = True,
    ordinary_games: bool = False,
) -> LayeredScreener:
    """A screener from parts: keyword layer (``terms``, default the seed library), the request-intent layers
    (Chinese and English; code, always there), the classifier when ``<home>/models/safety-classifier/`` holds
    a trained model, the semantic layer when ``<home>/models/semantic-screen/`` does, those layers again on the
    text's restored readings (:mod:`~lingxi.compliance.restored`), the ``extra`` layers (plug-ins'), then
    ``guard`` when given. ``ordinary_use``: risk words used in an ordinary way (a keyword match across two words,
    a weapon or kill word in a game or household frame, terms only asked about) do not block the keyword layer or
    a grey-band classifier block (:mod:`~lingxi.compliance.ordinary_use`; config ``screen_ordinary_use``).
    ``ordinary_frames``: a grey-band classifier block on a work talked about, food prepared or a word mistyped does
    not stand (:mod:`~lingxi.compliance.ordinary_frames`), and a same-sound reading that only respells Cantonese
    words is not judged (:mod:`~lingxi.compliance.dialect`; config ``screen_ordinary_frames``). ``ordinary_games``
    (opt-in): a grey-band classifier block on a game played does not stand either (config ``screen_ordinary_games``)."""
    keyword = OrdinaryKeywordScreener if ordinary_use else KeywordScreener
    layers: list[Screener] = [keyword(seed_library() if terms is None else terms)]
    layers += [IntentScreener(asked=ordinary_use), EnglishIntentScreener()]
    model_dir = default_dir(Path(home))
    if (model_dir / "manifest.json").is_file():
        classifier = ClassifierScreener.load(model_dir, threshold=threshold)
        classifier.ordinary_use = ordinary_use
        classifier.ordinary_frames = ordinary_frames
        classifier.ordinary_games = ordinary_games
        layers.append(classifier)
    if (semantic_dir(Path(home)) / "manifest.json").is_file():
        layers.append(SemanticScreener.load(semantic_dir(Path(home))))
    # the same layers on pinyin and same-sound text spelled back (not on a respelling of Cantonese words only)
    layers.append(RestoredScreener(layers, dialect=ordinary_frames))
    layers.extend(extra)
    if guard is not None:
        layers.append(guard)
    return LayeredScreener(layers)


# Minors get every classifier threshold scaled by this (blocks more; their wrong blocks cost less than misses).
MINOR_STRICTNESS = 0.7


def for_minors(screener: LayeredScreener, strictness: float = MINOR_STRICTNESS) -> LayeredScreener:
    """The same layers with each model's (classifier, semantic) thresholds scaled by ``strictness``."""
    layers: list[Screener] = []
    for layer in screener.layers:
        if isinstance(layer, ClassifierScreener | SemanticScreener):
            layer = copy.copy(layer)
            layer.strict = strictness
        elif isinstance(layer, RestoredScreener):  # its own copies of the layers before it, made strict too
            layer = RestoredScreener(layers, margin=layer.margin, dialect=layer.dialect)
        layers.append(layer)
    return LayeredScreener(layers, sentence_gate=screener.sentence_gate)


@dataclass(frozen=True)
class ServiceInfo:
    """What the installation's screening service uses, for ``lingxi compliance status`` and the start-up log."""

    keyword_terms: int
    library: str | None  # the built keyword library's version, None when only the seed list is in use
    classifier: dict[str, object] | None  # the trained classifier's manifest summary, None when not trained
    guard: bool
    layers: tuple[str, ...] = ()  # the layers loaded, in order (keyword, intent, english, classifier, semantic…)

    def warnings(self) -> list[str]:
        out = []
        if self.library is None:
            out.append(
                f"关键词库仅有内置种子词表（{self.keyword_terms} 条）："
                "请运行 lingxi compliance lexicon build --from DIR (keyword layer uses only the built-in seed list)"
            )
        if self.classifier is None:
            out.append(
                "尚未训练安全分类器，只能按关键词筛查：请运行 lingxi compliance train --from DIR "
                "(no trained classifier: screening is keyword-only)"
            )
        elif not self.classifier.get("everyday_lines"):
            out.append(
                "安全分类器训练时未用 lingxi 自带的日常语句，日常消息误拦较多：重新运行 lingxi compliance train "
                "--from DIR (classifier trained without lingxi's everyday lines: retrain for far fewer everyday "
                "messages blocked)"
            )
        if self.layers and "semantic" not in self.layers:
            out.append(
                "尚未训练语义筛查层：请运行 lingxi compliance train --from DIR "
                "(no semantic layer: requests are judged by keywords, intent rules and the classifier only)"
            )
        return out


def screening_service(settings: Settings, *, warn: bool = True) -> tuple[LayeredScreener, ServiceInfo]:
    """The one screener of an installation — used by the pipeline (API, SDK) and ``lingxi compliance screen``
    alike: seed + built + custom keyword library (plus plug-ins' keyword sources), the trained classifier,
    plug-ins' screen layers, and the guard model when configured. Logs a warning when it runs on the seed list
    or without a classifier, so nobody mistakes that for a full screen."""
    home = settings.home
    guard_spec = settings.guard_model
    guard = GuardScreener(registry.resolve_spec(guard_spec, settings, allow_paths=True)) if guard_spec else None
    terms = load_library(home) + [t for source in plugins.collect("register_keyword_sources") for t in source]
    if bad := [type(t).__name__ for t in terms if not isinstance(t, Term)]:
        raise InvalidInput(
            f"plug-in keyword sources must yield Term, got {bad[:3]}", message_zh="插件注册的关键词类型无效"
        )
    extra = plugins.collect("register_screen_layers", settings=settings)
    if bad := [type(x).__name__ for x in extra if not callable(getattr(x, "screen", None))]:
        raise InvalidInput(f"plug-in screen layers need screen(text), got {bad}", message_zh="插件注册的筛查层无效")
    screener = build_screener(
        home,
        terms=terms,
        guard=guard,
        extra=extra,
        ordinary_use=settings.screen_ordinary_use,
        ordinary_frames=settings.screen_ordinary_frames,
        ordinary_games=settings.screen_ordinary_games,
    )
    keyword = screener.layers[0]
    built = current_dir(home)
    clf = next((layer for layer in screener.layers if isinstance(layer, ClassifierScreener)), None)
    summary: dict[str, object] | None = None
    if clf is not None:
        m = clf.manifest
        summary = {"trained_at": m.get("trained_at"), "records": m.get("data", {}).get("records"),
                   "everyday_lines": m.get("counts", {}).get("pass_lines", 0),
                   "thresholds": clf.thresholds or clf.threshold}  # fmt: skip
    names = tuple(_layer_name(layer) for layer in screener.layers)
    info = ServiceInfo(getattr(keyword, "size", 0), built.name if built else None, summary, guard is not None, names)
    for line in info.warnings() if warn else ():
        log.warning(line)
    return screener, info
