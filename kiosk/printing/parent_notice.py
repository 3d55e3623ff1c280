"""The one-page notice for parents and carers about a confiscated device: what was taken,
when and why, where it is kept, and how and when it can be collected.

Stored text is drawn as plain text (:class:`kiosk.printing.text_fit.TextBlock`, never
Paragraph markup), so a name or note prints in its own script, and with ``& < >`` exactly as
typed.
"""

from __future__ import annotations

import io
from datetime import tzinfo

from reportlab.lib.colors import Color
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import SimpleDocTemplate, Spacer, Table, TableStyle

from kiosk import APP_NAME
from kiosk.printing.fonts import SANS, SANS_BOLD, register_fonts
from kiosk.printing.text_fit import TextBlock
from kiosk.rows.confiscations import ConfiscationRow

GREY = Color(0.35, 0.35, 0.35)
RULE = Color(0.75, 0.75, 0.75)

COLLECT_PARENT = (
    "The device can be collected from the school office by a parent or carer listed with "
    "the school, from the end of the school day. Please bring photo identification; you "
    "will be asked to sign for the device."
)
COLLECT_PUPIL = (
    "The device will be returned to {pupil} at the school office at the end of the school "
    "day, and they will be asked to sign for it."
)
HELD_FOR_DSL = (
    "The device is being kept by the school's designated safeguarding lead while a concern "
    "is looked into. The school will contact you about when it can be collected."
)
WITH_POLICE = (
    "The device has been passed to the police. Please contact the school office for the "
    "police reference and how to ask about its return."
)
RELEASED = "The device has been returned: see the details of its release below."
POLICY = (
    "Staff may confiscate a mobile phone or device when it is used against the school's "
    "behaviour, anti-bullying or child protection policies. Confiscated devices are kept in "
    "a secure place in the school office. The school accepts no liability for loss or "
    "damage to devices brought into school."
)


def _styles() -> dict[str, ParagraphStyle]:
    register_fonts()
    body = ParagraphStyle("body", fontName=SANS, fontSize=10.5, leading=14.5)
    return {
        "school": ParagraphStyle(
            "school", parent=body, fontName=SANS_BOLD, fontSize=16, leading=20
        ),
        "title": ParagraphStyle("title", parent=body, fontName=SANS_BOLD, fontSize=13, leading=18),
        "body": body,
        "label": ParagraphStyle("label", parent=body, fontName=SANS_BOLD, textColor=GREY),
        "small": ParagraphStyle("small", parent=body, fontSize=8.5, leading=11, textColor=GREY),
    }


def _p(text: str, style: ParagraphStyle) -> TextBlock:
    # Plain text, no markup: names print in any script, and `& < >` as typed.
    return TextBlock(text, style)


def parent_notice_pdf(
    school_name: str,
    confiscation: ConfiscationRow,
    timezone: tzinfo,
    *,
    release_to: str = "parent",
) -> bytes:
    """The notice as PDF bytes (A4, one page).

    Times are shown in ``timezone`` (the school's). How the device can be collected
    follows its status: held for the DSL, with the police, already released, or otherwise
    collected at the end of the day by a parent or carer, or by the pupil when
    ``release_to`` is "pupil" (the school's confiscation setting; by default a
    parent or carer). Raises nothing of its own.
    """
    styles = _styles()
    c = confiscation
    taken = c.taken_at.astimezone(timezone)
    when = f"{taken:%A} {taken.day} {taken:%B %Y} at {taken:%H:%M}"
    if c.status == "dsl":
        collection = HELD_FOR_DSL
    elif c.status == "police":
        collection = WITH_POLICE
    elif c.status == "released":
        collection = RELEASED
    elif release_to == "pupil":
        collection = COLLECT_PUPIL.format(pupil=c.pupil.name)
    else:
        collection = COLLECT_PARENT

    facts = [
        ("Pupil", f"{c.pupil.name} ({c.pupil.year_label}, form {c.pupil.form})"),
        ("Device", c.device),
        ("Confiscated", when),
        ("Reason", c.reason_text),
        ("Confiscated by", c.confiscated_by),
        ("Kept", c.place),
    ]
    if c.release is not None:
        released = c.release.released_at.astimezone(timezone)
        facts.append(
            (
                "Returned",
                f"{released.day} {released:%B %Y} at {released:%H:%M} to "
                f"{c.release.collector_name}",
            )
        )
    table = Table(
        [[_p(label, styles["label"]), _p(value, styles["body"])] for label, value in facts],
        colWidths=[38 * mm, None],
    )
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE),
                ("TOPPADDING", (0, 0), (-1, -1), 5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    story = [
        _p(school_name, styles["school"]),
        Spacer(1, 2 * mm),
        _p("Notice to parents and carers: a device has been confiscated", styles["title"]),
        Spacer(1, 4 * mm),
        _p(
            f"Dear parent or carer of {c.pupil.name}, a device belonging to your child was "
            "confiscated at school. The details are below.",
            styles["body"],
        ),
        Spacer(1, 4 * mm),
        table,
        Spacer(1, 6 * mm),
        _p("Collecting the device", styles["title"]),
        Spacer(1, 1.5 * mm),
        _p(collection, styles["body"]),
        Spacer(1, 6 * mm),
        _p(POLICY, styles["small"]),
        Spacer(1, 2 * mm),
        _p(f"Reference C{c.id:05d} · printed by {APP_NAME}", styles["small"]),
    ]
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=20 * mm,
        bottomMargin=20 * mm,
        title=f"Confiscation notice {c.pupil.name}",
        author=school_name,
    )
    document.build(story)
    return buffer.getvalue()
