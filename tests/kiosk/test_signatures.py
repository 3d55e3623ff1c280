"""A signature must be a real mark: a tap's dot or a tiny scribble is refused, on the
visitor kiosk and at the release of a confiscated device alike, and nothing is stored."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from kiosk.context import KioskContext
from kiosk.errors import InvalidInput
from kiosk.persistence.models import ConfiscationRelease, VisitorAcknowledgement, VisitorVisit
from kiosk.rows.people import Actor
from kiosk.services import confiscations as conf
from kiosk.services import contacts
from kiosk.signatures import NOT_A_SIGNATURE, png_mark, stroke_mark
from tests.conftest import TEST_PIN
from tests.factories import (
    SIGNATURE_PNG,
    drawn_png,
    make_pupil,
    make_receptionist,
    make_teacher,
    make_visit,
)

ONE_TAP = drawn_png([(300, 100)])
TINY_SCRIBBLE = drawn_png([(300, 100), (302, 100), (300, 101), (302, 102)])
# Initials, small but written: "J" and "S" about 60 px high on the 600 x 200 image.
INITIALS = drawn_png(
    [(250, 60), (262, 60), (262, 110), (255, 120), (245, 112)],
    [(320, 62), (290, 70), (305, 90), (322, 105), (295, 122)],
)


def _count(ctx: KioskContext, model: type) -> int:
    with ctx.db.read() as s:
        return s.scalar(select(func.count()).select_from(model)) or 0


@pytest.mark.parametrize("png", [ONE_TAP, TINY_SCRIBBLE], ids=["one tap", "2 px scribble"])
def test_a_dot_is_not_a_signature_at_the_visitor_kiosk(any_ctx: KioskContext, png: bytes) -> None:
    with pytest.raises(InvalidInput) as refused:
        make_visit(any_ctx, signature_png=png)
    assert refused.value.message == NOT_A_SIGNATURE
    assert _count(any_ctx, VisitorVisit) == 0
    assert _count(any_ctx, VisitorAcknowledgement) == 0


@pytest.mark.parametrize("png", [SIGNATURE_PNG, INITIALS], ids=["scrawl", "initials"])
def test_a_written_signature_is_stored_at_the_visitor_kiosk(
    any_ctx: KioskContext, png: bytes
) -> None:
    make_visit(any_ctx, signature_png=png)
    with any_ctx.db.read() as s:
        assert s.scalars(select(VisitorAcknowledgement.signature_png)).all() == [png]


def test_a_dot_is_not_a_signature_at_release(any_ctx: KioskContext, any_manager: Actor) -> None:
    receptionist = make_receptionist(any_ctx, any_manager)
    teacher = make_teacher(any_ctx, any_manager)
    zoe = make_pupil(any_ctx)
    mum = contacts.add_contact(any_ctx, receptionist, zoe.id, name="Ama Adebayo")
    contacts.verify_contact(any_ctx, any_manager, mum.id, TEST_PIN)
    row = conf.confiscate(
        any_ctx,
        receptionist,
        zoe.id,
        device="Phone",
        reason="lesson",
        confiscated_by=teacher.id,
        location="Office",
    )
    for png in (ONE_TAP, TINY_SCRIBBLE):
        with pytest.raises(InvalidInput) as refused:
            conf.release_device(
                any_ctx,
                receptionist,
                row.id,
                collector_name=mum.name,
                contact_id=mum.id,
                id_checked=True,
                signature_png=png,
            )
        assert refused.value.message == NOT_A_SIGNATURE
    assert _count(any_ctx, ConfiscationRelease) == 0
    released = conf.release_device(
        any_ctx,
        receptionist,
        row.id,
        collector_name=mum.name,
        contact_id=mum.id,
        id_checked=True,
        signature_png=SIGNATURE_PNG,
    )
    assert released.status == "released"
    assert _count(any_ctx, ConfiscationRelease) == 1


def test_the_pad_and_the_stored_image_agree_on_what_is_a_signature() -> None:
    # The pad's measure of a stroke, and the services' measure of the same stroke drawn
    # on the image it stores.
    line = [(0.2, 0.5), (0.37, 0.5)]  # 102 px across the 600 px image
    assert stroke_mark([line], 600, 200).is_signature()
    assert png_mark(drawn_png([(120, 100), (222, 100)])).is_signature(0.8)
    short = [(0.2, 0.5), (0.22, 0.5)]  # 12 px
    assert not stroke_mark([short], 600, 200).is_signature()
    assert not png_mark(drawn_png([(120, 100), (132, 100)])).is_signature(0.8)
    assert png_mark(drawn_png()).length == 0  # a blank pad
