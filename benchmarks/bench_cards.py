"""How long printing a whole school's QR cards takes, against reportlab's own QR widget.

    .venv/bin/python benchmarks/bench_cards.py [--pupils 2000] [--sample 100] [--keep FILE]

Builds a temporary school with N pupils and times what ``kiosk cards --out FILE`` does:
read the pupils, sign their payloads and write the PDF (A4 sheets, ten cards a page). As a
baseline from the same run, it draws a sample of the same payloads with reportlab's
``QrCodeWidget`` (QR codes only, no card text) and extrapolates to N, alongside our own QR
drawing on the same sample.
"""

from __future__ import annotations

import argparse
import io
import time
from collections.abc import Callable
from pathlib import Path

from _common import temporary_school
from reportlab.graphics import renderPDF
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from kiosk.printing.cards import QR_SIDE
from kiosk.printing.qr import draw_qr, qr_matrix
from kiosk.services.pupils import card_payload, pupils_for_cards, write_cards_pdf


def draw_codes_ours(payloads: list[str]) -> bytes:
    return _codes_pdf(
        payloads, lambda canvas, payload, x, y: draw_qr(canvas, qr_matrix(payload), x, y, QR_SIDE)
    )


def draw_codes_widget(payloads: list[str]) -> bytes:
    def draw(canvas: Canvas, payload: str, x: float, y: float) -> None:
        widget = QrCodeWidget(payload, barLevel="M", barBorder=0)
        left, bottom, right, top = widget.getBounds()
        drawing = Drawing(
            QR_SIDE,
            QR_SIDE,
            transform=[QR_SIDE / (right - left), 0, 0, QR_SIDE / (top - bottom), 0, 0],
        )
        drawing.add(widget)
        renderPDF.draw(drawing, canvas, x, y)

    return _codes_pdf(payloads, draw)


def _codes_pdf(payloads: list[str], draw: Callable[[Canvas, str, float, float], None]) -> bytes:
    """Codes laid out ten to a page, as on a sheet of cards."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, pageCompression=1)
    for index, payload in enumerate(payloads):
        slot = index % 10
        draw(canvas, payload, 60 + (slot % 2) * 250, 40 + (slot // 2) * 155)
        if slot == 9:
            canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def timed(action: Callable[[], object]) -> tuple[float, object]:
    start = time.perf_counter()
    result = action()
    return time.perf_counter() - start, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pupils", type=int, default=2000, help="cards to print (default 2000)")
    parser.add_argument(
        "--sample", type=int, default=100, help="codes drawn for the QR comparison (default 100)"
    )
    parser.add_argument("--keep", type=Path, help="also keep the cards PDF at this path")
    args = parser.parse_args()

    with temporary_school(args.pupils) as ctx:
        out = args.keep or Path(ctx.key_path).with_name("cards.pdf")

        def print_cards() -> int:
            return write_cards_pdf(ctx, pupils_for_cards(ctx), out)

        whole_seconds, count = timed(print_cards)
        size = out.stat().st_size
        payloads = [card_payload(ctx, p) for p in pupils_for_cards(ctx)[: args.sample]]

    ours_seconds, _ = timed(lambda: draw_codes_ours(payloads))
    widget_seconds, _ = timed(lambda: draw_codes_widget(payloads))
    sample = len(payloads)
    ours_ms = ours_seconds / sample * 1000
    widget_ms = widget_seconds / sample * 1000
    widget_extrapolated = widget_ms * count / 1000

    print(f"Pupil cards PDF: {count} cards, {-(-count // 10)} A4 pages, {size / 1e6:.2f} MB")
    print()
    print(f"{'':44} {'per card':>10} {f'{count} cards':>12}")
    print(
        f"{'kiosk cards: whole sheets, written to a file':44} "
        f"{whole_seconds / count * 1000:>7.2f} ms {whole_seconds:>10.2f} s"
        f"   ({count / whole_seconds:,.0f} cards/s)"
    )
    print(
        f"{'our QR codes only (sample of ' + str(sample) + ')':44} "
        f"{ours_ms:>7.2f} ms {ours_ms * count / 1000:>10.2f} s   (extrapolated)"
    )
    print(
        f"{'reportlab QrCodeWidget only (same sample)':44} "
        f"{widget_ms:>7.2f} ms {widget_extrapolated:>10.2f} s   (extrapolated)"
    )
    print()
    print(f"QR drawing, widget / ours:                 {widget_ms / ours_ms:.1f}x")
    print(f"Widget's QR codes alone / our whole sheets: {widget_extrapolated / whole_seconds:.1f}x")


if __name__ == "__main__":
    main()
