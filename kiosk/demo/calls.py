"""Demo data for calls and messages: a staff directory, a visit out today, messages in
each queue, and calls in the telephone log, so the demo shows every part of the feature."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from sqlalchemy import select

from kiosk.persistence.models import PhoneMessage, Pupil
from kiosk.rows.people import Actor
from kiosk.services.directory import save_entry
from kiosk.services.messages import take_message
from kiosk.services.phone_log import log_call
from kiosk.services.trips import save_trip

if TYPE_CHECKING:
    from kiosk.context import KioskContext

_STAFF = (
    # name, job title, initials, pigeonhole, extension, mobile
    ("Mrs Zoë O'Brien", "Head of Year 9", "ZOB", "14", "214", ""),
    ("Mr Łukasz Wiśniewski", "Teacher of Maths", "LWI", "22", "231", ""),
    ("Ms Siobhán Kelly", "Head of Science", "SKE", "8", "240", "07700 900101"),
    ("Mr Dafydd ap Gruffudd", "Teacher of Geography", "DAG", "5", "252", "07700 900102"),
    ("Dr Nguyễn Thị Lan", "Teacher of Chemistry", "NTL", "19", "241", ""),
    ("Mr Oluwaseun Adebayo", "Head of PE", "OAD", "2", "260", "07700 900103"),
    ("Mrs Freya Evans", "SENCo", "FEV", "7", "205", ""),
    ("Mr Rhys Williams", "Site Manager", "RWI", "30", "200", "07700 900104"),
    ("Ms Aaliyah Khan", "Designated Safeguarding Lead", "AKH", "1", "201", ""),
    ("Mr Seán Murphy", "Teacher of English", "SMU", "24", "220", ""),
)


def add_demo_calls(ctx: KioskContext, manager: Actor, receptionist: Actor) -> None:
    """Add ten staff to the directory, a trip out today (school local date), four messages
    (one urgent, one held past its time so it is due now) and three telephone-log calls.

    Meant for a freshly built demo database with pupils already imported (the parent calls
    are skipped when there are none). `manager` makes the directory entries and the trip,
    `receptionist` takes the messages and logs the calls, as at a real desk. Raises what
    those services raise (`NotAllowed` for an actor they refuse, `InvalidInput` for a field
    they refuse); on a fresh demo database, none. Each action writes its audit entry.
    """
    ids: dict[str, int] = {}
    for name, job, initials, pigeonhole, extension, mobile in _STAFF:
        entry = save_entry(
            ctx,
            manager,
            name=name,
            job_title=job,
            initials=initials,
            pigeonhole=pigeonhole,
            email=f"{initials.lower()}@wrenfield.example.org",
            extension=extension,
            mobile=mobile,
        )
        ids[initials] = entry.id
    now = ctx.clock()
    today = now.astimezone(ctx.timezone).date()
    save_trip(
        ctx,
        manager,
        on_date=today,
        destination="Natural History Museum, London",
        lead_id=ids["SKE"],
        lead_mobile="07700 900101",
        deputy_id=ids["DAG"],
        deputy_mobile="07700 900102",
        attending=[ids["LWI"]],
        notes="Year 8 science trip; coach leaves from the front car park.",
    )
    take_message(
        ctx,
        receptionist,
        for_staff_id=ids["ZOB"],
        caller_name="Dr Patel, Wrenfield Surgery",
        caller_number="01632 960 123",
        text="Please ring the surgery about the test results today; they close at 6pm.",
        urgent=True,
        call_back=True,
    )
    take_message(
        ctx,
        receptionist,
        for_staff_id=ids["OAD"],
        caller_name="Sports Direct, Wrenfield",
        caller_number="01632 960 200",
        text="The football kit order is ready to collect.",
        urgent=False,
    )
    take_message(
        ctx,
        receptionist,
        for_staff_id=ids["FEV"],
        caller_name="Mrs Nowak (parent, 9C)",
        caller_number="07700 900555",
        text="Would like a meeting about the review next week.",
        urgent=False,
        call_back=True,
    )
    take_message(
        ctx,
        receptionist,
        for_staff_id=ids["LWI"],
        caller_name="Exam board",
        caller_number="0300 000 0000",
        text="Coursework moderation sample: new deadline is Friday.",
        urgent=False,
    )
    # One message held from earlier whose break has come: it shows under "Deliver now".
    with ctx.db.write() as s:
        held = s.scalar(
            select(PhoneMessage).where(PhoneMessage.for_staff_id == ids["OAD"]).limit(1)
        )
        if held is not None:
            held.taken_at = now - timedelta(hours=2)
            held.held_until = now - timedelta(minutes=5)

    with ctx.db.read() as s:
        pupil_ids = list(s.scalars(select(Pupil.id).order_by(Pupil.id).limit(3)))
    if pupil_ids:
        log_call(
            ctx,
            receptionist,
            kind="parent",
            staff_id=ids["ZOB"],
            pupil_id=pupil_ids[0],
            contact="Mother",
            phone_used="school_landline",
            purpose="Phone used in lesson; confiscated until the end of the day.",
            outcome="Mother will collect at 15:30.",
            called_at=now - timedelta(hours=1),
        )
        log_call(
            ctx,
            receptionist,
            kind="parent",
            staff_id=ids["SMU"],
            pupil_id=pupil_ids[1],
            contact="Father",
            phone_used="personal",
            number_withheld=True,
            permitted_by=manager.staff_id,
            purpose="Working from home with no school mobile: homework support.",
            outcome="Agreed a plan for next week.",
            called_at=now - timedelta(hours=20),
        )
    log_call(
        ctx,
        receptionist,
        kind="personal",
        staff_id=ids["RWI"],
        phone_used="school_landline",
        permitted_by=manager.staff_id,
        purpose="Rang the childminder about a late pick-up.",
        called_at=now - timedelta(minutes=30),
    )
