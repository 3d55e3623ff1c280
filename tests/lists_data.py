"""A school day with something on each of the desk's printable lists, made through the
services: phones in two trays handed in turn by turn, a visitor on site, a confiscated
device and a call to a parent (names in several scripts, and text that looks like a
spreadsheet formula)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from kiosk.clock import FixedClock
from kiosk.context import KioskContext
from kiosk.rows.people import Actor, PupilRow
from kiosk.services import custody, phone_log, pupils
from tests.conftest import LONDON
from tests.factories import (
    make_confiscation,
    make_manager,
    make_pupil,
    make_receptionist,
    make_visit,
)


@dataclass(frozen=True)
class ListsDay:
    manager: Actor
    desk: Actor
    zoe: PupilRow  # Year 7, Tray A
    walid: PupilRow  # Year 8, Tray B


def make_lists_day(ctx: KioskContext, clock: FixedClock) -> ListsDay:
    boss = make_manager(ctx)
    desk = make_receptionist(ctx, boss)
    office = custody.receptacles(ctx)[0]
    custody.save_receptacle(
        ctx, boss, name="Tray A", capacity=30, year_groups="7", receptacle_id=office.id
    )
    custody.save_receptacle(ctx, boss, name="Tray B", capacity=30, year_groups="8")
    zoe = make_pupil(ctx, forename="Zoë", surname="Ní Bhriain", year_group="7", form="7A")
    walid = make_pupil(ctx, forename="وليد", surname="Haddad", year_group="8", form="8B")
    ama = make_pupil(ctx, forename="Ama", surname="Owusu", year_group="7", form="7A")
    for minute, pupil in enumerate((walid, zoe, ama)):
        clock.set(datetime(2026, 11, 24, 8, 30 + minute, tzinfo=LONDON))
        custody.scan_card(ctx, pupils.card_payload(ctx, pupil))
    clock.set(datetime(2026, 11, 24, 10, 5, tzinfo=LONDON))
    make_visit(ctx, name="Łukasz Wiśniewski", organisation="=Sparks & Co", host_name="Mrs Bevan")
    make_confiscation(
        ctx,
        desk,
        zoe.id,
        confiscated_by=boss.staff_id or 0,
        device="Blue Samsung",
        bag_number="0042",
    )
    phone_log.log_call(
        ctx,
        desk,
        kind="parent",
        staff_id=desk.staff_id or 0,
        phone_used="school_landline",
        purpose="Phone left in the office",
        pupil_id=walid.id,
        contact="Mrs Haddad (mother)",
        number="+44 1632 960 111",
    )
    return ListsDay(boss, desk, zoe, walid)
