"""Test data made the way the kiosk makes it: pupils, staff, contacts, arrangements, visits,
messages and confiscations, each with sensible defaults that a test overrides by keyword.

Everything goes through the service a desk or the kiosk face would call, so the audit log
and the services' rules apply and a test gets back the same frozen row the service returns.
The one exception is a pupil: pupils only ever arrive through the MIS import, which needs a
manager and writes import audit entries that tests of other features should not see, so
:func:`make_pupil` writes the row itself, the way the import stores it (see its docstring).

    zoe = make_pupil(ctx, forename="Zoë", year_group="9")
    boss = make_manager(ctx)
    make_contact(ctx, boss, zoe.id, name="Mrs Ngozi Adebayo")
"""

from __future__ import annotations

import io
import math
from collections.abc import Callable, Iterable
from datetime import date, datetime

from PIL import Image, ImageDraw
from sqlalchemy import func, select

from kiosk.context import KioskContext
from kiosk.importing.pupils import upn_check_letter, upn_problem
from kiosk.persistence.models import Pupil
from kiosk.rows.calls import DirectoryEntry, MessageRow
from kiosk.rows.confiscations import ConfiscationRow
from kiosk.rows.people import Actor, ArrangementRow, ContactRow, PupilRow, StaffRow
from kiosk.rows.visitors import SignedIn, SignInRequest, VisitRow
from kiosk.services import confiscations, contacts, messages, pupils, staff, visitors
from kiosk.services.directory import save_entry

MANAGER_PIN = "2468"
RECEPTIONIST_PIN = "1357"


def drawn_png(*strokes: list[tuple[float, float]], size: tuple[int, int] = (600, 200)) -> bytes:
    """A signature image as the pad stores it: black strokes (points in pixels) on white,
    as PNG bytes; a stroke of one point is a dot."""
    image = Image.new("RGB", size, "white")
    pen = ImageDraw.Draw(image)
    for points in strokes:
        if len(points) == 1:
            x, y = points[0]
            pen.ellipse((x - 1.7, y - 1.7, x + 1.7, y + 1.7), fill="black")
        else:
            pen.line(points, fill="black", width=3, joint="curve")
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


# A signature as the pad saves it: a looping scrawl across most of the box.
SIGNATURE_PNG = drawn_png(
    [(60 + 8 * step, 120 - 40 * math.sin(step / 3)) for step in range(50)],
    [(200, 150), (420, 140)],
)
# The local-authority and establishment digits every generated UPN starts with.
_UPN_SCHOOL_DIGITS = "8012000"


# --- pupils ----------------------------------------------------------------------------------


def next_upn(ctx: KioskContext) -> str:
    """A valid UPN (DfE check letter first) not yet used in this test's database.

    Numbered from the count of pupils already stored, so the same test makes the same UPNs
    on every run and on either database.
    """
    with ctx.db.read() as s:
        serial = (s.scalar(select(func.count()).select_from(Pupil)) or 0) + 1
        while True:
            body = f"{_UPN_SCHOOL_DIGITS}{serial:05d}"
            upn = upn_check_letter(body) + body
            if s.scalar(select(Pupil.id).where(Pupil.upn == upn)) is None:
                return upn
            serial += 1


def make_pupil(
    ctx: KioskContext,
    *,
    forename: str = "Zoë",
    surname: str = "Ní Bhriain",
    year_group: str = "9",
    form: str | None = None,
    upn: str | None = None,
    status: str = "on_roll",
    known_forename: str = "",
    known_surname: str = "",
) -> PupilRow:
    """A pupil on roll (or, with ``status="left"``, one who left today) with a first card.

    ``form`` defaults to the year group followed by "B" ("9B"); ``upn`` to a fresh valid
    one (:func:`next_upn`). ``known_forename`` and ``known_surname`` are the preferred
    ("known as") names, as an MIS import stores them. Give a ``upn`` only when the test checks it is shown; it must be
    valid too (:class:`ValueError` says why not), and it should not start with the digits
    generated UPNs use (8012000), or a pupil made earlier may already hold it. Returns the
    row :func:`kiosk.services.pupils.get_pupil` gives.

    The only service that adds pupils is the whole-school MIS import; this stores one row
    exactly as that import stores a new pupil (card serial 1, on roll), without its audit
    entry.
    """
    upn = upn or next_upn(ctx)
    problem = upn_problem(upn)
    if problem is not None:
        raise ValueError(problem)
    if status not in ("on_roll", "left"):
        raise ValueError(f"unknown pupil status {status!r}")
    left_on = ctx.clock().astimezone(ctx.timezone).date() if status == "left" else None
    with ctx.db.write() as s:
        pupil = Pupil(
            upn=upn,
            forename=forename,
            surname=surname,
            known_forename=known_forename,
            known_surname=known_surname,
            year_group=year_group,
            form=form if form is not None else f"{year_group}B",
            card_serial=1,
            status=status,
            left_on=left_on,
        )
        s.add(pupil)
        s.flush()
        pupil_id = pupil.id
    return pupils.get_pupil(ctx, pupil_id)


def make_pupils(
    ctx: KioskContext,
    names: Iterable[tuple[str, str]],
    *,
    year_group: str = "9",
    form: str | None = None,
    status: str = "on_roll",
) -> list[PupilRow]:
    """One pupil per (forename, surname), all in the same year group and form, in order."""
    return [
        make_pupil(
            ctx,
            forename=forename,
            surname=surname,
            year_group=year_group,
            form=form,
            status=status,
        )
        for forename, surname in names
    ]


def pupil_with_card_where(ctx: KioskContext, wanted: Callable[[str], bool]) -> tuple[PupilRow, str]:
    """A pupil whose card code passes ``wanted``, and that code. Cards are signed, so their
    letters cannot be chosen: pupils are made until one fits (at most 40)."""
    for n in range(1, 41):
        pupil = make_pupil(ctx, forename="Yusuf", surname=f"Zielinski {n}")
        code = pupils.card_payload(ctx, pupil)
        if wanted(code):
            return pupil, code
    raise AssertionError("no card fits among 40 pupils")


def pupil_with_y_or_z(ctx: KioskContext) -> tuple[PupilRow, str]:
    """A pupil whose card code holds a Y or a Z (the letters a German keyboard layout
    swaps), and that code."""
    return pupil_with_card_where(ctx, lambda code: bool(set(code[2:]) & {"Y", "Z"}))


# --- staff -----------------------------------------------------------------------------------


def make_manager(ctx: KioskContext, name: str = "Ms Ada Manager", pin: str = MANAGER_PIN) -> Actor:
    """A manager who can sign in with ``pin``: the first-run manager if there is none yet,
    otherwise one added by the first manager on record."""
    if staff.needs_first_manager(ctx):
        return staff.create_first_manager(ctx, name, pin)
    first = next(row for row in staff.list_staff(ctx, can_sign_in=True) if row.role == "manager")
    row = staff.add_staff(ctx, Actor(first.id, first.name, first.role), name, "manager", pin)
    return Actor(row.id, row.name, row.role)


def make_receptionist(
    ctx: KioskContext, manager: Actor, name: str = "Mr Ben Desk", pin: str = RECEPTIONIST_PIN
) -> Actor:
    """A receptionist the ``manager`` adds, who signs in with ``pin``."""
    row = staff.add_staff(ctx, manager, name, "receptionist", pin)
    return Actor(row.id, row.name, row.role)


def make_teacher(ctx: KioskContext, manager: Actor, name: str = "Ms Tia O'Brien") -> StaffRow:
    """A member of staff with no PIN (a teacher who brings in a device, say): on the staff
    list, unable to sign in at the desk."""
    return staff.add_staff(ctx, manager, name, "receptionist", None)


def make_directory_entry(
    ctx: KioskContext, actor: Actor, name: str = "Mr Dafydd ap Gruffudd", **details: str
) -> DirectoryEntry:
    """Someone in the staff directory; ``details`` are :func:`save_entry`'s fields
    (job_title, initials, pigeonhole, email, extension, mobile)."""
    return save_entry(ctx, actor, name=name, **details)


# --- pupils' contacts and arrangements ---------------------------------------------------------


def make_contact(
    ctx: KioskContext,
    actor: Actor,
    pupil_id: int,
    *,
    name: str = "Mrs Ngozi Adebayo",
    relationship: str = "Mother",
    phone: str = "07700 900123",
    email: str = "",
    may_collect: bool = True,
) -> ContactRow:
    """A parent or carer added at the desk by ``actor`` (so unverified, as the desk adds them)."""
    return contacts.add_contact(
        ctx,
        actor,
        pupil_id,
        name=name,
        relationship=relationship,
        phone=phone,
        email=email,
        may_collect=may_collect,
    )


def make_arrangement(
    ctx: KioskContext,
    actor: Actor,
    pupil_id: int,
    *,
    kind: str = "permission",
    title: str = "Walks home alone",
    conditions: str = "",
    agreed_by: str = "",
    starts_on: date | None = None,
    review_on: date | None = None,
) -> ArrangementRow:
    """A permission (or, with ``kind="exemption"``, an exemption) recorded by ``actor``;
    it starts today unless ``starts_on`` says otherwise."""
    return pupils.add_arrangement(
        ctx,
        actor,
        pupil_id,
        kind=kind,
        title=title,
        conditions=conditions,
        agreed_by=agreed_by,
        starts_on=starts_on,
        review_on=review_on,
    )


# --- visitors --------------------------------------------------------------------------------


def make_visit(
    ctx: KioskContext,
    *,
    name: str = "Priya Shah",
    organisation: str = "Shah Electrical Ltd",
    category: str = "contractor",
    host_staff_id: int | None = None,
    host_name: str = "Site manager",
    car_registration: str = "ab12 cde",
    policy_version: int | None = None,
    signature_png: bytes = SIGNATURE_PNG,
    returning_visitor_id: int | None = None,
) -> SignedIn:
    """A visitor who signed in at the kiosk, having signed the current rules of their
    category (unless ``policy_version`` says which version they read)."""
    if policy_version is None:
        policy_version = visitors.current_policy(ctx, category).version
    request = SignInRequest(
        name=name,
        organisation=organisation,
        category=category,
        host_staff_id=host_staff_id,
        host_name=host_name,
        car_registration=car_registration,
        policy_version=policy_version,
        signature_png=signature_png,
        returning_visitor_id=returning_visitor_id,
    )
    return visitors.sign_in_visitor(ctx, request)


def make_signed_out_visit(ctx: KioskContext, actor: Actor, *, name: str = "Priya Shah") -> VisitRow:
    """A visitor who signed in at the kiosk and was then signed out at the desk by ``actor``."""
    signed_in = make_visit(ctx, name=name)
    return visitors.sign_out_at_desk(ctx, actor, signed_in.visit.id)


# --- calls and confiscations -------------------------------------------------------------------


def make_message(
    ctx: KioskContext,
    actor: Actor,
    *,
    for_staff_id: int | None = None,
    for_name: str = "",
    caller_name: str = "Mrs Kelly",
    caller_number: str = "01632 960 777",
    text: str = "Please call back about the trip.",
    urgent: bool = False,
    call_back: bool = False,
) -> MessageRow:
    """A telephone message taken at the desk by ``actor``; give ``for_staff_id`` or
    ``for_name`` (a visitor, say), as the desk must."""
    return messages.take_message(
        ctx,
        actor,
        for_staff_id=for_staff_id,
        for_name=for_name,
        caller_name=caller_name,
        caller_number=caller_number,
        text=text,
        urgent=urgent,
        call_back=call_back,
    )


def make_confiscation(
    ctx: KioskContext,
    actor: Actor,
    pupil_id: int,
    *,
    confiscated_by: int,
    device: str = "Black iPhone in a blue case",
    reason: str = "lesson",
    location: str = "Safe",
    bag_number: str = "",
    note: str = "",
    taken_at: datetime | None = None,
) -> ConfiscationRow:
    """A device ``confiscated_by`` (a staff id) brought to the office, recorded by ``actor``
    (now, unless ``taken_at`` says when it was taken)."""
    return confiscations.confiscate(
        ctx,
        actor,
        pupil_id,
        device=device,
        reason=reason,
        confiscated_by=confiscated_by,
        location=location,
        bag_number=bag_number,
        note=note,
        taken_at=taken_at,
    )
