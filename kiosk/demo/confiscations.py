"""Demo data for confiscations: parents and carers for every pupil, and a few devices in
the office's care (one held for the DSL), so the Confiscations tab has something to show."""

from __future__ import annotations

import random
from datetime import timedelta
from typing import TYPE_CHECKING

from sqlalchemy import select

from kiosk.importing.contacts import import_contacts_text
from kiosk.persistence.models import Pupil
from kiosk.rows.people import Actor
from kiosk.services import confiscations as conf

if TYPE_CHECKING:
    from kiosk.context import KioskContext

_SEED = 20261124
_CARERS = (
    ("Mother", True),
    ("Father", True),
    ("Carer", True),
    ("Grandmother", True),
    ("Aunt", False),
)
_FORENAMES = ("Ama", "Siobhán", "Gareth", "Priya", "Tomasz", "Helen", "Kwame", "Aoife", "Rhys")
_DEVICES = (
    ("Black iPhone 13 in a cracked blue case", "lesson", "", "Office", ""),
    ("Samsung Galaxy A54, green", "recording", "", "Safe", "0042"),
    ("Apple Watch, pink strap", "other", "Used to message during a test", "Office", ""),
)


def add_demo_confiscations(ctx: KioskContext, manager: Actor, receptionist: Actor) -> None:
    """Give every pupil two parents or carers (imported as the MIS would send them) and
    confiscate three devices 35, 20 and 10 minutes ago, the second then held for the DSL.

    Needs at least three pupils and `manager.staff_id` set (recorded as the member of staff
    who confiscated them). The same seed gives the same contacts and pupils each time.
    Raises what the contact import and confiscation services raise (`NotAllowed` when
    `manager` is not a manager or an actor is refused) and ValueError when there are fewer
    than three pupils.
    """
    rng = random.Random(_SEED)
    with ctx.db.read() as s:
        pupils = list(s.execute(select(Pupil.id, Pupil.upn, Pupil.surname).order_by(Pupil.id)))
    lines = ["UPN,Contact name,Relationship,Mobile,Email,May collect"]
    for _pupil_id, upn, surname in pupils:
        for relationship, may_collect in rng.sample(_CARERS, 2):
            forename = rng.choice(_FORENAMES)
            phone = f"07700 9{rng.randrange(10_000, 99_999)}"
            email = f"{forename.lower()}.{surname.lower()}@example.org".replace(" ", "")
            lines.append(
                f'{upn},"{forename} {surname}",{relationship},{phone},"{email}",'
                f"{'Yes' if may_collect else 'No'}"
            )
    import_contacts_text(ctx, manager, "\n".join(lines).encode("utf-8"))

    now = ctx.clock()
    chosen = rng.sample([pupil_id for pupil_id, _upn, _surname in pupils], len(_DEVICES))
    rows = []
    for minutes, pupil_id, (device, reason, note, place, bag) in zip(
        (35, 20, 10), chosen, _DEVICES, strict=True
    ):
        rows.append(
            conf.confiscate(
                ctx,
                receptionist,
                pupil_id,
                device=device,
                reason=reason,
                note=note,
                confiscated_by=manager.staff_id or 0,
                location=place,
                bag_number=bag,
                taken_at=now - timedelta(minutes=minutes),
            )
        )
    conf.hold_for_dsl(
        ctx,
        receptionist,
        rows[1].id,
        concern="Video of another pupil taken without consent",
    )
