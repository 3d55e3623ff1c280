"""Visitor badge PDFs: both sizes, names as typed, and a QR code that signs the visitor out."""

from __future__ import annotations

import pypdfium2 as pdfium
import pytest
import zxingcpp
from sqlalchemy import inspect

from kiosk.persistence.models import Base
from kiosk.printing.badges import NO_PHONES, PAGE_SIZES
from kiosk.services import visitors
from tests.factories import make_visit

SCAN_DPI = 150


def decode(pdf_bytes: bytes) -> list[str]:
    page = pdfium.PdfDocument(pdf_bytes)[0]
    image = page.render(scale=SCAN_DPI / 72).to_pil()
    return [
        code.text for code in zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)
    ]


def text_of(pdf_bytes: bytes) -> str:
    return pdfium.PdfDocument(pdf_bytes)[0].get_textpage().get_text_range()


@pytest.mark.parametrize("size", ["a6", "label62"])
def test_badge_qr_decodes_at_150_dpi_and_signs_the_visitor_out(ctx, size) -> None:
    signed = make_visit(ctx)
    pdf = visitors.badge_pdf(ctx, signed, size)
    width, height = pdfium.PdfDocument(pdf)[0].get_size()
    assert (round(width), round(height)) == tuple(round(v) for v in PAGE_SIZES[size])
    assert decode(pdf) == [signed.badge_code]
    visitors.sign_out_by_badge(ctx, decode(pdf)[0])
    assert visitors.on_site(ctx) == []


def test_badge_shows_name_organisation_host_time_category_and_the_phone_rule(ctx) -> None:
    signed = make_visit(ctx, name="Zoë O'Brien & <Sons>", organisation='Łukasz "Builders" Ltd')
    text = " ".join(text_of(visitors.badge_pdf(ctx, signed, "a6")).split())
    for expected in [
        "Zoë O'Brien & <Sons>",
        'Łukasz "Builders" Ltd',
        "Visiting: Site manager",
        "Tue 24 Nov 2026 · in at 08:40",
        "CONTRACTOR",
        "ESCORTED AT ALL TIMES",
    ]:
        assert expected in text
    assert " ".join(NO_PHONES.split()[:3]) in text


def test_unescorted_badge_says_so(ctx, receptionist) -> None:
    signed = make_visit(ctx)
    visitors.record_checks(
        ctx, receptionist, signed.visit.id, id_checked=True, dbs_assured=True, escorted=False
    )
    again = visitors.reissue_badge(ctx, receptionist, signed.visit.id)
    text = text_of(visitors.badge_pdf(ctx, again, "label62"))
    assert "UNESCORTED" in text and "ESCORTED AT ALL TIMES" not in text


def test_a_very_long_name_still_fits_and_the_qr_still_decodes(ctx) -> None:
    name = "Dafydd ap Gruffudd " * 10
    signed = make_visit(ctx, name=name.strip(), organisation="O" * 200)
    pdf = visitors.badge_pdf(ctx, signed, "label62")
    assert decode(pdf) == [signed.badge_code]
    assert "Dafydd" in text_of(pdf)


def test_visitor_tables_match_the_migration(ctx) -> None:
    with ctx.db.read() as s:
        inspector = inspect(s.connection())
        for table in [t for name, t in Base.metadata.tables.items() if name.startswith("visitor")]:
            columns = {c["name"]: c for c in inspector.get_columns(table.name)}
            assert set(columns) == {c.name for c in table.columns}, table.name
            for column in table.columns:
                assert columns[column.name]["nullable"] == column.nullable, (
                    table.name,
                    column.name,
                )
