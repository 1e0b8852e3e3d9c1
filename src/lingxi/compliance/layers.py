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

from collections.abc import Sequence
from pathlib import Path

from lingxi.compliance.classifier import ClassifierScreener, default_dir
from lingxi.compliance.screen import PASS, KeywordScreener, Screener, ScreenResult, Term, seed_library

SENTENCE_END = frozenset("。！？!?；;…\n")
CHEAP_LAYERS = frozenset({"keyword"})


def ends_sentence(text: str) -> bool:
    """True when ``text`` (ignoring trailing spaces and closing quotes/brackets) ends a sentence."""
    tail = text.rstrip(" \t\u3000”’\"')）】」』")
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
) -> LayeredScreener:
    """The installation's screener: keyword layer (``terms``, default the seed library), the classifier when
    ``<home>/models/safety-classifier/`` holds a trained model, then ``guard`` when given."""
    layers: list[Screener] = [KeywordScreener(seed_library() if terms is None else terms)]
    model_dir = default_dir(Path(home))
    if (model_dir / "manifest.json").is_file():
        layers.append(ClassifierScreener.load(model_dir, threshold=threshold))
    if guard is not None:
        layers.append(guard)
    return LayeredScreener(layers)
