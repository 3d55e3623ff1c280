"""Visitor sign-in, sign-out, rules versions, alert list, roll call and retention."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from sqlalchemy import func, select

from kiosk.codes.pupil_card import CardKey
from kiosk.codes.visitor_badge import visitor_badge_payload
from kiosk.context import KioskContext
from kiosk.errors import InvalidInput, NotAllowed, ScanRejected
from kiosk.persistence.models import (
    AuditEntry,
    Visitor,
    VisitorAcknowledgement,
    VisitorAlertMatch,
    VisitorNameWord,
    VisitorVisit,
)
from kiosk.policies import CATEGORIES, default_policy
from kiosk.printing.roll_call import roll_call_pdf_bytes
from kiosk.services import alerts, visitors
from kiosk.services.visitor_retention import daily_counts, purge_visitors
from tests.factories import SIGNATURE_PNG, make_manager, make_visit


def count(ctx: KioskContext, model: type) -> int:
    with ctx.db.read() as s:
        return s.scalar(select(func.count()).select_from(model)) or 0


def test_every_category_has_a_readable_default_text() -> None:
    for entry in CATEGORIES:
        text = default_policy(entry.id)
        assert text.version >= 1
        assert len(text.paragraphs) >= 3
        assert "phone" in text.body.lower()


def test_new_visitor_signs_in_and_is_on_site_with_their_signature_stored(any_ctx) -> None:
    signed = make_visit(any_ctx)
    assert signed.visit.name == "Priya Shah"
    assert signed.visit.car_registration == "AB12 CDE"
    assert signed.visit.escorted
    assert [v.id for v in visitors.on_site(any_ctx)] == [signed.visit.id]
    with any_ctx.db.read() as s:
        ack = s.scalar(select(VisitorAcknowledgement))
        assert ack is not None
        assert ack.signature_png == SIGNATURE_PNG
        assert ack.version == default_policy("contractor").version


def test_badge_scan_signs_the_visitor_out_once(any_ctx) -> None:
    signed = make_visit(any_ctx)
    out = visitors.sign_out_by_badge(any_ctx, signed.badge_code.lower() + "\n")
    assert out.signed_out_at is not None and out.signed_out_how == "badge"
    assert visitors.on_site(any_ctx) == []
    with pytest.raises(ScanRejected, match="already been signed out"):
        visitors.sign_out_by_badge(any_ctx, signed.badge_code)


def test_badges_from_another_install_or_altered_are_refused_and_change_nothing(ctx) -> None:
    signed = make_visit(ctx)
    other_key = CardKey(b"x" * 32)
    forged = visitor_badge_payload(other_key, ctx.card_code, signed.visit.id, 1)
    other_school = visitor_badge_payload(ctx.card_key, "ZZZZ", signed.visit.id, 1)
    altered = signed.badge_code[:-1] + ("A" if signed.badge_code[-1] != "A" else "B")
    for code, message in [
        (forged, "could not be verified"),
        (other_school, "another school"),
        (altered, "could not be verified"),
        ("hello", "not a visitor badge"),
    ]:
        with pytest.raises(ScanRejected, match=message):
            visitors.sign_out_by_badge(ctx, code)
    assert [v.id for v in visitors.on_site(ctx)] == [signed.visit.id]


def test_reissued_badge_stops_the_old_one(ctx, receptionist) -> None:
    signed = make_visit(ctx)
    new = visitors.reissue_badge(ctx, receptionist, signed.visit.id)
    with pytest.raises(ScanRejected, match="replaced"):
        visitors.sign_out_by_badge(ctx, signed.badge_code)
    assert visitors.sign_out_by_badge(ctx, new.badge_code).signed_out_at is not None


@pytest.mark.parametrize(
    ("name", "organisation", "message"),
    [
        ("   ", "", "Please type your name"),
        ("Ann Lee", "x" * 500, "keep it to 200 characters"),
        ("x" * 201, "", "keep it to 200 characters"),
    ],
)
def test_bad_details_are_refused_with_a_message_and_store_nothing(
    ctx, name, organisation, message
) -> None:
    with pytest.raises(InvalidInput, match=message):
        make_visit(ctx, name=name, organisation=organisation)
    assert count(ctx, VisitorVisit) == 0
    assert count(ctx, Visitor) == 0


def test_unsigned_or_out_of_date_rules_are_refused(ctx) -> None:
    with pytest.raises(InvalidInput, match="sign in the box"):
        make_visit(ctx, signature_png=b"")
    with pytest.raises(InvalidInput, match="rules changed"):
        make_visit(ctx, policy_version=99)
    assert count(ctx, VisitorVisit) == 0


def test_awkward_names_are_stored_exactly_as_typed(ctx) -> None:
    name = 'Zoë O\'Brien-Nguyễn & <Co> "Ltd" 😀'
    signed = make_visit(ctx, name=name, organisation="شركة المدرسة")
    assert signed.visit.name == name
    assert visitors.on_site(ctx)[0].organisation == "شركة المدرسة"


@pytest.mark.parametrize(
    ("field", "text", "message"),
    [
        (
            "name",
            "Ann 🙂 Lee",
            "This name has characters the printer's fonts cannot show: 🙂 — type it in Latin "
            "letters or ask the office.",
        ),
        (
            "organisation",
            "𓀀𓀁 Trust",
            "The organisation has characters the printer's fonts cannot show: 𓀀 𓀁 — type it "
            "in Latin letters or ask the office.",
        ),
    ],
)
def test_a_name_the_badge_fonts_cannot_show_is_refused_before_the_visit(
    any_ctx, field, text, message
) -> None:
    with pytest.raises(InvalidInput) as refused:
        make_visit(any_ctx, **{field: text})
    assert refused.value.message == message
    assert visitors.on_site(any_ctx) == []
    assert count(any_ctx, VisitorVisit) == 0


def test_returning_visitor_is_found_by_first_letters_within_retention(ctx, clock) -> None:
    signed = make_visit(ctx, name="Siobhán Ní Bhriain")
    make_visit(ctx, name="Sam Other", organisation="Other Co")
    assert visitors.search_returning_visitors(ctx, "si") == []  # too few letters
    found = visitors.search_returning_visitors(ctx, "siob")
    assert [(m.name, m.organisation) for m in found] == [
        ("Siobhán Ní Bhriain", "Shah Electrical Ltd")
    ]
    assert visitors.search_returning_visitors(ctx, "bhri")[0].visitor_id == signed.visit.visitor_id
    clock.advance(days=8 * 365)
    assert visitors.search_returning_visitors(ctx, "siob") == []


def test_returning_visitor_signs_again_only_after_the_rules_change(ctx, manager) -> None:
    signed = make_visit(ctx)
    visitor_id = signed.visit.visitor_id
    assert not visitors.must_read_rules(ctx, visitor_id, "contractor")
    assert visitors.must_read_rules(ctx, visitor_id, "governor")
    new = visitors.save_policy_text(
        ctx, manager, "contractor", "New rules", "Be careful.\n\nNo photos."
    )
    assert new.version == default_policy("contractor").version + 1
    assert visitors.must_read_rules(ctx, visitor_id, "contractor")
    again = make_visit(ctx, returning_visitor_id=visitor_id, policy_version=new.version)
    assert again.visit.visitor_id == visitor_id
    assert again.visit.policy_version == new.version
    assert not visitors.must_read_rules(ctx, visitor_id, "contractor")
    assert count(ctx, Visitor) == 1


def test_only_managers_write_new_rules_and_unchanged_text_is_refused(
    ctx, manager, receptionist
) -> None:
    with pytest.raises(NotAllowed):
        visitors.save_policy_text(ctx, receptionist, "visitor", "T", "Text")
    current = visitors.current_policy(ctx, "visitor")
    with pytest.raises(InvalidInput, match="Nothing has changed"):
        visitors.save_policy_text(ctx, manager, "visitor", current.title, current.body)


def test_unescorted_needs_id_and_dbs_checks(ctx, receptionist) -> None:
    visit = make_visit(ctx).visit
    with pytest.raises(InvalidInput, match="ID has been checked"):
        visitors.record_checks(
            ctx, receptionist, visit.id, id_checked=True, dbs_assured=False, escorted=False
        )
    row = visitors.record_checks(
        ctx, receptionist, visit.id, id_checked=True, dbs_assured=True, escorted=False
    )
    assert not row.escorted and row.id_checked and row.dbs_assured


def test_desk_sign_out_and_roll_call_lists_exactly_who_is_on_site(any_ctx, clock) -> None:
    manager = make_manager(any_ctx)
    a = make_visit(any_ctx, name="Alice Parent", category="parent_carer")
    b = make_visit(any_ctx, name="Bob Builder")
    c = make_visit(any_ctx, name="Cara Governor", category="governor")
    visitors.sign_out_at_desk(any_ctx, manager, b.visit.id)
    roll = visitors.roll_call(any_ctx)
    assert [(g.label, [v.name for v in g.visits]) for g in roll.groups] == [
        ("Parent or carer", ["Alice Parent"]),
        ("Governor or trustee", ["Cara Governor"]),
    ]
    assert roll.total == 2
    assert {a.visit.id, c.visit.id} == {v.id for v in visitors.on_site(any_ctx)}


def test_roll_call_pdf_prints_names_as_typed_and_the_time(ctx, tmp_path: Path) -> None:
    make_visit(ctx, name="Tom & <Jerry> O'Neil")
    pdf = pdfium.PdfDocument(roll_call_pdf_bytes(visitors.roll_call(ctx), ctx.timezone))
    text = pdf[0].get_textpage().get_text_range()
    assert "Tom & <Jerry> O'Neil" in text
    assert "08:40" in text
    assert "Contractor (1)" in text


def test_alert_list_match_is_recorded_for_the_desk_not_the_kiosk(
    ctx, manager, receptionist
) -> None:
    alerts.add_alert(ctx, manager, "John Smith", "Court order: not to collect pupils")
    signed = make_visit(ctx, name="john  SMITH")
    assert not hasattr(signed, "alert")
    matches = alerts.alert_matches(ctx, receptionist)
    assert [(m.alert_name, m.signed_in_name, m.visit_id) for m in matches] == [
        ("John Smith", "john  SMITH".replace("  ", " "), signed.visit.id)
    ]
    make_visit(ctx, name="Joan Smithers")
    assert len(alerts.alert_matches(ctx, receptionist)) == 1
    alerts.acknowledge_alert_match(ctx, receptionist, matches[0].id)
    assert alerts.alert_matches(ctx, receptionist) == []
    with pytest.raises(NotAllowed):
        alerts.add_alert(ctx, receptionist, "Someone", "")


def test_audit_entries_about_visitors_hold_no_names(ctx, manager) -> None:
    alerts.add_alert(ctx, manager, "Hidden Person", "note")
    make_visit(ctx, name="Hidden Person")
    with ctx.db.read() as s:
        entries = s.scalars(select(AuditEntry).where(AuditEntry.entity.like("visitor%"))).all()
    assert entries
    assert all("Hidden" not in (e.after or "") + (e.before or "") for e in entries)


def test_purge_dry_run_lists_and_real_purge_removes_old_visitors_keeping_counts(
    any_ctx, clock
) -> None:
    ctx = any_ctx
    manager = make_manager(ctx)
    visitors.update_visitor_settings(ctx, manager, retention_days=30)
    old = make_visit(ctx, name="Old Visitor")
    visitors.sign_out_by_badge(ctx, old.badge_code)
    alerts.add_alert(ctx, manager, "Old Visitor", "")
    make_visit(ctx, name="Old Visitor", returning_visitor_id=old.visit.visitor_id)  # the same day
    clock.advance(days=40)
    recent = make_visit(ctx, name="Recent Visitor")
    dry = purge_visitors(ctx, manager, dry_run=True)
    assert (dry.visits, dry.visitors, dry.acknowledgements) == (2, 1, 2)
    assert [name for name, _, _ in dry.visitors_removed] == ["Old Visitor"]
    assert count(ctx, VisitorVisit) == 3
    done = purge_visitors(ctx, manager)
    assert done.visits == 2
    assert [v.name for v in visitors.on_site(ctx)] == ["Recent Visitor"]
    assert count(ctx, Visitor) == 1 and count(ctx, VisitorAcknowledgement) == 1
    # The name index goes with the name: "recent visitor" and "visitor" are left.
    assert count(ctx, VisitorNameWord) == 2
    assert visitors.search_returning_visitors(ctx, "old") == []
    with ctx.db.read() as s:
        assert s.scalar(select(VisitorAlertMatch.visit_id)) is None
    counts = daily_counts(ctx, date(2026, 11, 1), date(2027, 1, 31))
    assert counts[(date(2026, 11, 24), "contractor")] == 2
    assert counts[(recent.visit.signed_in_at.astimezone(ctx.timezone).date(), "contractor")] == 1
    assert purge_visitors(ctx, manager).visits == 0


def test_receptionist_cannot_purge(ctx, receptionist) -> None:
    with pytest.raises(NotAllowed):
        purge_visitors(ctx, receptionist)


def test_visitors_still_on_site_after_closing_are_listed(ctx, clock) -> None:
    make_visit(ctx, name="Late Leaver")
    assert visitors.still_on_site_after_closing(ctx) == []
    clock.advance(hours=12)
    assert [v.name for v in visitors.still_on_site_after_closing(ctx)] == ["Late Leaver"]


def test_no_closing_time_notice_on_a_sunday_morning(ctx, clock) -> None:
    from datetime import datetime

    from tests.conftest import LONDON

    clock.set(datetime(2026, 11, 29, 6, 30, tzinfo=LONDON))  # a Sunday
    make_visit(ctx, name="Weekend Caretaker")
    clock.set(datetime(2026, 11, 29, 6, 49, tzinfo=LONDON))
    assert visitors.still_on_site_after_closing(ctx) == []
    clock.set(datetime(2026, 11, 30, 8, 0, tzinfo=LONDON))  # Monday before opening: left open
    assert [v.name for v in visitors.still_on_site_after_closing(ctx)] == ["Weekend Caretaker"]


def test_a_visitor_who_came_in_on_friday_is_not_flagged_over_the_weekend(ctx, clock) -> None:
    from datetime import datetime

    from tests.conftest import LONDON

    clock.set(datetime(2026, 11, 27, 10, 0, tzinfo=LONDON))  # Friday
    make_visit(ctx, name="Friday Fitter")
    clock.set(datetime(2026, 11, 27, 18, 0, tzinfo=LONDON))  # Friday after closing
    assert [v.name for v in visitors.still_on_site_after_closing(ctx)] == ["Friday Fitter"]
    clock.set(datetime(2026, 11, 28, 12, 0, tzinfo=LONDON))  # Saturday
    assert visitors.still_on_site_after_closing(ctx) == []


def test_host_type_ahead_finds_staff_by_any_name_part(ctx, manager, receptionist) -> None:
    assert [name for _, name in visitors.search_hosts(ctx, "ben")] == ["Mr Ben Desk"]
    assert [name for _, name in visitors.search_hosts(ctx, "ada ma")] == ["Ms Ada Manager"]
    signed = make_visit(ctx, host_staff_id=receptionist.staff_id, host_name="typed")
    assert signed.visit.host_name == "Mr Ben Desk"


def test_settings_are_checked_and_for_managers(ctx, manager, receptionist) -> None:
    with pytest.raises(NotAllowed):
        visitors.update_visitor_settings(ctx, receptionist, idle_seconds=60)
    with pytest.raises(InvalidInput):
        visitors.update_visitor_settings(ctx, manager, idle_seconds=5)
    row = visitors.update_visitor_settings(ctx, manager, idle_seconds=60, badge_size="label62")
    assert (row.idle_seconds, row.badge_size) == (60, "label62")
    assert visitors.visitor_settings(ctx).retention_days == 7 * 365


def test_any_member_of_staff_may_choose_the_badge_printer_but_nothing_else(
    ctx, manager, receptionist
) -> None:
    row = visitors.update_visitor_settings(ctx, receptionist, badge_printer="Front desk labels")
    assert row.badge_printer == "Front desk labels"
    with pytest.raises(NotAllowed):
        visitors.update_visitor_settings(
            ctx, receptionist, badge_printer="Other", badge_size="label62"
        )
    assert visitors.visitor_settings(ctx).badge_printer == "Front desk labels"


def test_visit_time_deltas_are_timezone_aware(ctx) -> None:
    visit = make_visit(ctx).visit
    assert visit.signed_in_at.utcoffset() == timedelta(0)


def test_demo_school_shows_visitors_on_site_and_an_alert_name(tmp_path: Path, clock) -> None:
    from kiosk.demo.school import build_demo_school
    from kiosk.startup import open_kiosk

    url = f"sqlite:///{tmp_path / 'demo.db'}"
    build_demo_school(url)
    demo = open_kiosk(url, clock=clock)
    try:
        on_site = visitors.on_site(demo)
        assert {v.name for v in on_site} >= {"Priya Shah", "Zoë O'Brien"}
        assert any(not v.escorted for v in on_site)
    finally:
        demo.close()
