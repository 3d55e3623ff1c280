"""The parent notice PDF: one page, the facts as stored, markup characters printed literally."""

from __future__ import annotations

import pypdfium2

from kiosk.printing.parent_notice import parent_notice_pdf
from kiosk.services import confiscations as conf
from kiosk.services import pupils
from tests.factories import make_confiscation, make_pupil, make_teacher

AWKWARD = 'Zoë & <b>Siobhán</b> O\'Brien "Łukasz" 🙂'


def test_notice_is_one_page_with_names_and_notes_printed_literally(ctx, manager, tmp_path) -> None:  # type: ignore[no-untyped-def]
    pupil_id = make_pupil(ctx, forename="Zoë & <b>Siobhán</b>", surname='O\'Brien "Łukasz" 🙂').id
    teacher = make_teacher(ctx, manager, "Mr <i>Nguyễn</i> & Co")
    row = conf.confiscate(
        ctx,
        manager,
        pupil_id,
        device="Phone <script>",
        reason="other",
        note="Filmed <Year 8> & shared it",
        confiscated_by=teacher.id,
        location="Safe",
        bag_number="0042",
    )
    data = parent_notice_pdf("Wrenfield & <Co> Academy", row, ctx.timezone)
    (tmp_path / "notice.pdf").write_bytes(data)

    document = pypdfium2.PdfDocument(data)
    assert len(document) == 1
    text = " ".join(document[0].get_textpage().get_text_range().split())
    assert pupils.get_pupil(ctx, pupil_id).name == AWKWARD
    for expected in (
        "Wrenfield & <Co> Academy",
        AWKWARD.replace(" 🙂", ""),
        "Phone <script>",
        "Other: Filmed <Year 8> & shared it",
        "Mr <i>Nguyễn</i> & Co",
        "Safe · bag 0042",
        "Tuesday 24 November 2026 at 08:40",
        "parent or carer listed with the school",
    ):
        assert expected in text, expected


def test_notice_for_a_device_held_for_the_dsl_says_the_school_will_be_in_touch(
    ctx, manager
) -> None:  # type: ignore[no-untyped-def]
    pupil_id = make_pupil(ctx, forename="Kai", surname="Jones").id
    row = make_confiscation(
        ctx,
        manager,
        pupil_id,
        device="Tablet",
        reason="bullying",
        confiscated_by=manager.staff_id,
        location="Office",
    )
    row = conf.hold_for_dsl(ctx, manager, row.id, concern="Messages")
    text = pypdfium2.PdfDocument(parent_notice_pdf("School", row, ctx.timezone))[0]
    words = " ".join(text.get_textpage().get_text_range().split())
    assert "designated safeguarding lead" in words
    assert "Bullying or intimidation" in words
