"""The visitor sign-in's questions to the school's records, as the kiosk face's flow asks
them."""

from __future__ import annotations

import pytest

from kiosk.context import KioskContext
from kiosk.errors import KioskError
from kiosk.rows.people import Actor
from kiosk.rows.visitors import SignInRequest
from kiosk.services import visitors
from tests.factories import SIGNATURE_PNG
from ui.components.visitors.sign_in import VisitorSignIn

PNG = SIGNATURE_PNG


def test_the_flow_gives_up_after_the_configured_idle_time(
    ctx: KioskContext, manager: Actor
) -> None:
    visitors.update_visitor_settings(ctx, manager, idle_seconds=45)

    assert VisitorSignIn(ctx).idle_ms() == 45_000


def test_details_need_whom_they_are_visiting(ctx: KioskContext) -> None:
    sign_in = VisitorSignIn(ctx)

    with pytest.raises(KioskError, match="whom you are visiting"):
        sign_in.check_details("Acme Ltd", "  ", "")
    sign_in.check_details("Acme Ltd", "Mr Ben Desk", "ab12 cde")  # accepted


def test_a_visitor_signed_in_is_found_again_without_reading_the_same_rules(
    ctx: KioskContext,
) -> None:
    sign_in = VisitorSignIn(ctx)
    rules = sign_in.rules("contractor")
    signed = sign_in.sign_in(
        SignInRequest(
            name="Priya Shah",
            organisation="Shah Electrical Ltd",
            category="contractor",
            host_staff_id=None,
            host_name="Site manager",
            car_registration="",
            policy_version=rules.version,
            signature_png=PNG,
        )
    )

    found = sign_in.returning_visitors("Pri")
    assert [match.name for match in found] == ["Priya Shah"]
    assert sign_in.returning_visitor(found[0].visitor_id).organisation == "Shah Electrical Ltd"
    assert sign_in.must_read_rules(signed.visit.visitor_id, "contractor") is False
    assert sign_in.must_read_rules(None, "contractor") is True
