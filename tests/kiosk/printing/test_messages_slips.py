"""The telephone message pad and filled message slips, read back with pdftotext."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pypdfium2
import pytest

from kiosk.cli import main
from kiosk.printing.message_slips import (
    message_lines_per_slip,
    message_slips_pdf_bytes,
    slip_content,
)
from kiosk.services.messages import take_message

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs pdftotext")

FIELDS = (
    "For",
    "From",
    "Telephone",
    "Date",
    "Time",
    "Message",
    "Urgent",
    "Can wait",
    "Please call back",
    "Will call again",
    "Taken by",
)


def _text(pdf: Path | bytes, tmp_path: Path) -> str:
    if isinstance(pdf, bytes):
        path = tmp_path / "slips.pdf"
        path.write_bytes(pdf)
        pdf = path
    return subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout


def test_pad_has_four_slips_a_page_each_with_every_field(db_url, tmp_path) -> None:
    out = tmp_path / "pad.pdf"
    assert main(["--db", db_url, "pad", "--out", str(out), "--pages", "3"]) == 0

    pdf = pypdfium2.PdfDocument(out)
    assert len(pdf) == 3
    assert round(pdf[0].get_width() / 72 * 25.4) == 210
    text = _text(out, tmp_path)
    for field in FIELDS:
        assert text.count(field) >= 12, field
    assert text.count("Telephone message") == 12


def test_pad_refuses_zero_pages(db_url, tmp_path, capsys) -> None:
    assert main(["--db", db_url, "pad", "--out", str(tmp_path / "p.pdf"), "--pages", "0"]) == 1
    assert "between 1 and 500" in capsys.readouterr().err


def test_filled_slip_carries_every_field_exactly_as_typed(ctx, manager, tmp_path) -> None:
    message = take_message(
        ctx,
        manager,
        for_name="Mrs Zoë O'Brien & <Co>",
        caller_name='Łukasz "Luke" Nowak',
        caller_number="+44 1632 960 123",
        text="Ring about the coach: Nguyễn's bag <b>left</b> on it.",
        urgent=True,
        call_back=True,
    )
    pdf = message_slips_pdf_bytes([slip_content(message, ctx.timezone)], "Test")
    # Lines of the message may wrap: compare with runs of white space made single.
    text = " ".join(_text(pdf, tmp_path).split())
    for expected in (
        "Mrs Zoë O'Brien & <Co>",
        'Łukasz "Luke" Nowak',
        "+44 1632 960 123",
        "Tue 24 Nov 2026",
        "08:40",
        "Nguyễn's bag <b>left</b> on it.",
        "Ms Ada Manager",
    ):
        assert expected in text


def test_a_very_long_message_continues_on_further_slips_and_nothing_is_lost(
    ctx, manager, tmp_path
) -> None:
    words = [f"word{n:04d}" for n in range(600)]  # about 5,400 characters
    message = take_message(
        ctx, manager, for_name="Mr A", caller_name="B", text=" ".join(words), urgent=False
    )
    pdf = message_slips_pdf_bytes([slip_content(message, ctx.timezone)], "Test", four_to_a4=True)
    text = _text(pdf, tmp_path)
    assert all(word in text for word in words)
    assert "continued, 1 of" in text
    assert message_lines_per_slip() >= 6
