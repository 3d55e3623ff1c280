"""Message slips and the blank message pad, onto paper or into a file.

Printing goes to the A4 printer chosen in Settings; when that fails the receptionist may
save the PDF instead, so a message is never lost to a printer problem.
"""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtWidgets import QWidget

from kiosk.context import KioskContext
from kiosk.errors import KioskError
from kiosk.printing.message_slips import message_slips_pdf_bytes, pad_pdf_bytes, slip_content
from kiosk.rows.calls import MessageRow
from kiosk.services.school import get_school
from ui.ask import Asker
from ui.components.custody.card_output import offer_save_after_print_failure
from ui.printing import PrintError, print_pdf

PAD_PAGES = 10


def print_or_save(
    ctx: KioskContext,
    asker: Asker,
    parent: QWidget | None,
    data: bytes,
    *,
    title: str,
    suggested: str,
) -> bool:
    """Send a PDF to the A4 printer; if that fails, offer to save it. True when it went
    to the printer or into a file."""
    with tempfile.TemporaryDirectory(prefix="kiosk-slips-") as folder:
        pdf = Path(folder) / suggested
        pdf.write_bytes(data)
        try:
            print_pdf(pdf, get_school(ctx).printer_a4, title=title)
        except PrintError as error:
            return offer_save_after_print_failure(asker, parent, error.message, pdf, suggested)
        except KioskError as error:
            asker.error(parent, "Not printed", error.message)
            return False
    return True


def print_message_slips(
    ctx: KioskContext, asker: Asker, parent: QWidget | None, messages: Sequence[MessageRow]
) -> bool:
    """Filled slips, four to an A4 page (cut along the marks)."""
    school = get_school(ctx).name
    data = message_slips_pdf_bytes(
        [slip_content(m, ctx.timezone) for m in messages], school, four_to_a4=True
    )
    return print_or_save(
        ctx, asker, parent, data, title="Telephone messages", suggested="telephone-messages.pdf"
    )


def print_blank_pad(
    ctx: KioskContext, asker: Asker, parent: QWidget | None, pages: int = PAD_PAGES
) -> bool:
    data = pad_pdf_bytes(pages, get_school(ctx).name)
    done = print_or_save(
        ctx, asker, parent, data, title="Telephone message pad", suggested="message-pad.pdf"
    )
    if done:
        asker.info(parent, "Message pad", f"A pad of {pages * 4} blank message slips is ready.")
    return done
