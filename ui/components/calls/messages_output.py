"""Message slips and the blank message pad, onto paper or into a file.

Printing is one click to the A4 printer chosen in Settings (:mod:`ui.components.output`);
when that fails the receptionist is offered to save the PDF instead, so a message is never
lost to a printer problem — but only a slip the printer accepted counts as printed.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import QWidget

from kiosk.context import KioskContext
from kiosk.printing.message_slips import message_slips_pdf_bytes, pad_pdf_bytes, slip_content
from kiosk.rows.calls import MessageRow
from kiosk.services.school import get_school
from ui.ask import Asker
from ui.components.output import Report, file_name, print_document, save_pdf

PAD_PAGES = 10


def message_slips_pdf(ctx: KioskContext, messages: Sequence[MessageRow]) -> bytes:
    """Filled slips for ``messages``, four to an A4 page (cut along the marks)."""
    school = get_school(ctx).name
    return message_slips_pdf_bytes(
        [slip_content(m, ctx.timezone) for m in messages], school, four_to_a4=True
    )


def slips_file_name(messages: Sequence[MessageRow]) -> str:
    """ "Message-for-Mrs-Bevan.pdf" for one slip, "Telephone-messages.pdf" for several."""
    if len(messages) == 1:
        return file_name(f"Message for {messages[0].for_name}")
    return file_name("Telephone messages")


def print_message_slips(
    ctx: KioskContext,
    asker: Asker,
    parent: QWidget | None,
    messages: Sequence[MessageRow],
    report: Report | None = None,
) -> bool:
    """One click: the filled slips to the A4 printer. True only when the printer accepted
    them (a PDF saved instead after a printer problem is not a printed slip)."""
    return print_document(
        ctx,
        asker,
        parent,
        message_slips_pdf(ctx, messages),
        title="Telephone messages",
        suggested=slips_file_name(messages),
        report=report,
    )


def save_message_slips(
    ctx: KioskContext,
    asker: Asker,
    parent: QWidget | None,
    messages: Sequence[MessageRow],
    report: Report | None = None,
) -> bool:
    """ "Save as PDF…" for the filled slips; True when saved. Never records a print."""
    pdf = message_slips_pdf(ctx, messages)
    return save_pdf(asker, parent, pdf, slips_file_name(messages), report=report) is not None


def print_blank_pad(
    ctx: KioskContext,
    asker: Asker,
    parent: QWidget | None,
    pages: int = PAD_PAGES,
    report: Report | None = None,
) -> bool:
    """One click: ``pages`` pages of blank slips (four to a page) to the A4 printer; True
    when the printer accepted them."""
    return print_document(
        ctx,
        asker,
        parent,
        pad_pdf_bytes(pages, get_school(ctx).name),
        title="Telephone message pad",
        suggested=file_name("Telephone message pad"),
        report=report,
    )


def save_blank_pad(
    ctx: KioskContext,
    asker: Asker,
    parent: QWidget | None,
    pages: int = PAD_PAGES,
    report: Report | None = None,
) -> bool:
    """ "Save as PDF…" for the blank pad; True when saved."""
    pdf = pad_pdf_bytes(pages, get_school(ctx).name)
    return (
        save_pdf(asker, parent, pdf, file_name("Telephone message pad"), report=report) is not None
    )
