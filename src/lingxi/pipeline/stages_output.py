"""The stages after generation: each wraps ``turn.output`` (an async stream of text deltas) in its own generator.

Restore puts real values back where a cloud answer has placeholders, OutputScreen cuts a stream before a
blocked phrase is shown, LabelOutput adds the AI-content label, Audit records the turn. The same stage serves
streaming and non-streaming callers and sees the answer as it is produced. The stages before generation are
in :mod:`lingxi.pipeline.stages`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import anyio.to_thread

from lingxi.compliance.audit import AuditEntry, AuditLog, sha256
from lingxi.compliance.label_sign import LabelSigner
from lingxi.compliance.labels import Label, Placement, label_for
from lingxi.compliance.layers import CLOSERS, SENTENCE_END
from lingxi.compliance.refusal import refusal_text
from lingxi.compliance.screen import PASS, Screener, ScreenResult
from lingxi.pipeline.turn import Turn
from lingxi.privacy.redact import StreamRestorer

#: texts longer than this are screened in a worker thread (screening costs ~1 ms per 1,000 characters); a
#: thread hop for every short streamed delta would cost more than it saves
SCREEN_INLINE_CHARS = 1_000
_CLOSERS = frozenset(CLOSERS)


async def screen_off_loop(screener: Screener, text: str) -> ScreenResult:
    """``screener.screen(text)``, in a worker thread when the text is long enough to hold up other requests."""
    if len(text) <= SCREEN_INLINE_CHARS:
        return screener.screen(text)
    return await anyio.to_thread.run_sync(screener.screen, text)


class Restore:
    """Put real values back where the cloud answer has placeholders; on device, as the text streams.

    A placeholder inside a URL, link target, HTML tag or code stays a placeholder (it could carry the value
    off the device) and is listed in ``turn.withheld`` for the answer's metadata.
    """

    async def run(self, turn: Turn) -> None:
        turn.output = self._wrap(turn, _need(turn))

    async def _wrap(self, turn: Turn, stream: AsyncIterator[str]) -> AsyncIterator[str]:
        restorer = StreamRestorer(turn.redaction)
        turn.withheld = restorer.withheld
        async for delta in stream:
            if out := restorer.feed(delta):
                yield out
        if tail := restorer.flush():
            yield tail


class OutputScreen:
    """Screen the answer as it arrives; cut the stream and say why if it turns bad.

    Three screeners, because the layers differ in cost and in what "in time" means:

    * ``window`` re-screens the newest text (plus its look-behind) on every delta; for a layered screener
      this is its streaming view, where the classifier and guard run only when a sentence ends;
    * ``hold`` characters are held back before they are shown — the keyword layer's look-behind — so an
      exact blocked phrase is caught before any of its characters reach the user;
    * ``screener`` judges the whole answer once more at the end, so the text after the last sentence mark
      and the answer as a whole are screened too. A statistical layer that fires late cannot take back
      text already shown; it cuts the rest and says why.

    A caller that waits for the whole answer (``turn.streaming`` false) is shown nothing before the end, so
    there is nothing to cut in time: its answer is judged once, whole, by ``screener`` (the windows would only
    repeat, on the same text, a subset of the same layers: ~8 % of a non-streamed request's CPU).
    """

    def __init__(self, screener: Screener, *, window: Screener | None = None, hold: int | None = None) -> None:
        self.screener = screener
        self.window = window or screener
        self.hold = screener.lookbehind if hold is None else hold

    async def run(self, turn: Turn) -> None:
        turn.output = self._wrap(turn, _need(turn))

    async def _wrap(self, turn: Turn, stream: AsyncIterator[str]) -> AsyncIterator[str]:
        if turn.refusal is not None:  # our own refusal text needs no screening
            async for delta in stream:
                yield delta
            return
        if not turn.streaming:
            whole = "".join([delta async for delta in stream])
            result = await screen_off_loop(self.screener, whole) if whole else PASS
            if result.blocked:
                yield self._cut(turn, result, 0)
            elif whole:
                yield whole
            return
        hold, reach = self.hold, self.window.lookbehind
        text, emitted, checked = "", 0, 0
        async for delta in stream:
            # A delta of several sentences (what arrived in one network read) is screened up to its last
            # sentence end first: a sentence-gated window runs its expensive layers there, as it would have
            # token by token, rather than only at the next delta that happens to end a sentence.
            cut = _after_last_sentence(delta)
            for piece in (delta[:cut], delta[cut:]) if 0 < cut < len(delta) else (delta,):
                text += piece
                result = await screen_off_loop(self.window, text[max(0, checked - reach) :])
                checked = len(text)
                if result.blocked:
                    yield self._cut(turn, result, emitted)
                    await _close(stream)
                    return
            if len(text) - hold > emitted:
                yield text[emitted : len(text) - hold]
                emitted = len(text) - hold
        result = await screen_off_loop(self.screener, text) if text else PASS
        if result.blocked:
            yield self._cut(turn, result, emitted)
        elif emitted < len(text):
            yield text[emitted:]

    @staticmethod
    def _cut(turn: Turn, result: ScreenResult, emitted: int) -> str:
        turn.output_screen = result
        turn.finish_reason = "content_filter"
        return ("\n" if emitted else "") + refusal_text(result, "output")


class LabelOutput:
    """Attach the explicit and implicit AI-content label once the answering model is known.

    With placement ``start`` or ``end`` the explicit label also goes into the text as its own paragraph
    (GB 45438-2025); with ``interface`` the text stays clean and the app shows ``turn.label``. Our own
    refusals carry no label: they are not generated content. With a ``signer``, once the answer is complete
    the implicit label's ``ReservedCode1`` is signed over the delivered text (see ``label_sign``).
    """

    def __init__(
        self, placement: Placement = Placement.INTERFACE, producer: str = "", signer: LabelSigner | None = None
    ) -> None:
        self.placement = placement
        self.producer = producer  # the deployer's provider name/code (Settings.provider) for ContentProducer
        self.signer = signer

    async def run(self, turn: Turn) -> None:
        turn.output = self._wrap(turn, _need(turn))

    async def _wrap(self, turn: Turn, stream: AsyncIterator[str]) -> AsyncIterator[str]:
        delivered: list[str] = []
        async for delta in stream:
            if turn.label is None and turn.answered_by is not None:
                info = turn.answered_by
                turn.label = label_for(info.kind, turn.request_id, self.producer, method=info.method)
                if self.placement is Placement.START:
                    yield f"【{turn.label.explicit}】\n\n"
            delivered.append(delta)
            yield delta
        if turn.label is not None and self.placement is Placement.END:
            yield f"\n\n【{turn.label.explicit}】"
        if turn.label is not None and self.signer is not None:
            turn.label = Label(turn.label.explicit, self.signer.sign(turn.label.implicit, "".join(delivered)))


class Audit:
    """When the stream ends (finished, cut, failed or abandoned), append one hash-chained record."""

    def __init__(self, log: AuditLog) -> None:
        self.log = log

    async def run(self, turn: Turn) -> None:
        turn.output = self._wrap(turn, _need(turn))

    async def _wrap(self, turn: Turn, stream: AsyncIterator[str]) -> AsyncIterator[str]:
        parts: list[str] = []
        ending = "aborted"  # the consumer stopped reading (e.g. the client disconnected)
        try:
            async for delta in stream:
                parts.append(delta)
                yield delta
            ending = turn.finish_reason
        except Exception:
            ending = "error"
            raise
        finally:
            turn.text = "".join(parts)
            info = turn.answered_by
            turn.audit_id = await self.log.append_async(
                AuditEntry(
                    request_id=turn.request_id,
                    user_ref=self.log.pseudonym(turn.user_id),
                    feature=turn.feature.name,
                    model=info.name if info else None,
                    model_kind=info.kind.value if info else None,
                    input_sha256=sha256("\n".join(m.content for m in turn.messages)),
                    output_sha256=sha256(turn.text),
                    input_verdict=turn.input_screen.verdict,
                    input_risks=list(turn.input_screen.risks),
                    output_verdict=turn.output_screen.verdict,
                    output_risks=list(turn.output_screen.risks),
                    refused=turn.refusal is not None or turn.output_screen.blocked,
                    egress_id=turn.egress[-1].id if turn.egress else None,
                    label=turn.label.explicit if turn.label else None,
                    finish_reason=ending,
                    fallbacks=[f.model for f in turn.fallbacks],
                )
            )


def _after_last_sentence(delta: str) -> int:
    """Where the last sentence of ``delta`` ends (after its closing quotes and spaces, as ``ends_sentence``
    reads them), 0 when no sentence ends in it."""
    at = max(delta.rfind(mark) for mark in SENTENCE_END)
    if at < 0:
        return 0
    at += 1
    while at < len(delta) and delta[at] in _CLOSERS:
        at += 1
    return at


def _need(turn: Turn) -> AsyncIterator[str]:
    if turn.output is None:
        raise RuntimeError(f"{turn.feature.name}: a post-generation stage ran before Generate")
    return turn.output


async def _close(stream: AsyncIterator[str]) -> None:
    aclose = getattr(stream, "aclose", None)
    if aclose is not None:
        await aclose()
