"""``lingxi features see IMAGE [QUESTION]``: read a screenshot or photo on the device, answer, propose actions.

Without a question it prints the recognized text (rows in reading order), any QR codes, what kind of picture
it is with its fields, and the actions it proposes (a calendar entry, a payment, a parcel update), each
confirmed before it is done. With a question (「我付了多少？」) it answers from the recognized text through
the pipeline. Needs the user's ``camera_photos`` consent: ``lingxi privacy grant USER camera_photos``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from lingxi.cli.common import HomeOpt, err, out, provenance
from lingxi.facade import Lingxi


def register(app: typer.Typer) -> None:
    @app.command("see")
    def see(
        image: Annotated[Path, typer.Argument(help="a PNG/JPEG/WEBP screenshot or photo / 图片文件")],
        question: Annotated[str | None, typer.Argument(help="a question about it, e.g. 我付了多少？")] = None,
        user_id: Annotated[str, typer.Option("--user", help="whose picture (consent camera_photos)")] = "local",
        model: Annotated[str | None, typer.Option("-m", "--model", help="model name (default: settings)")] = None,
        yes: Annotated[bool, typer.Option("--yes", help="confirm the proposed actions without asking")] = False,
        home: HomeOpt = None,
    ) -> None:
        """Read a picture on the device; answer a question about it or propose what to do / 识图。

        示例：lingxi features see 截图.png "我付了多少？"
        """
        lx = Lingxi(home)
        if question:
            _, answer = lx.vision.ask(user_id, image, question, model=model)
            out.print(answer.text, highlight=False, markup=False)
            out.print(provenance(answer.model, answer.model_kind, audit=answer.audit_id))
            return
        result = lx.vision.extract(user_id, image)
        out.print(result.reading.text or "（没有识别到文字）", highlight=False, markup=False)
        for code in result.reading.codes:
            out.print(f"[二维码] {code['text']}", highlight=False, markup=False)
        ex = result.extracted
        fields = ex.model_dump(exclude={"kind", "kind_zh", "messages"}, exclude_none=True)
        out.print(f"[dim]类型：{ex.kind_zh} · {fields}[/]", highlight=False)
        for note in result.proposals.notes_zh:
            err.print(note, highlight=False)
        session = result.proposals.session_id
        for p in result.proposals.items:
            out.print(f"建议：{p.summary_zh}。{p.note_zh}", highlight=False, markup=False)
            approve = yes or typer.confirm(f"执行「{p.summary_zh}」？", default=False, err=True)
            done = lx.assistant.confirm(user_id, session or "", p.action_id, approve)
            (out if approve else err).print(done.text, highlight=False, markup=False)
