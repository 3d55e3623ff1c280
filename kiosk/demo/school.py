"""The demo school: a made-up secondary school with pupils, staff and phones already handed
in, so the application can be tried without a school's real data.

Everything is generated here from a fixed seed, so the demo is the same every time: about
300 pupils in Years 7 to 11 with names of the many backgrounds a UK school has, three
receptacles, a receptionist and a manager whose PINs the lock screen shows, permissions for
Year 7 (two pupils without one, to show the flag), a few exemptions, and about forty phones
handed in this morning.
"""

from __future__ import annotations

import os
import random
import sqlite3
from datetime import date, time, timedelta
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from kiosk.config import key_file_path
from kiosk.context import KioskContext
from kiosk.errors import KioskError, NotAllowed
from kiosk.importing.pupils import import_pupils_text, upn_check_letter
from kiosk.persistence.models import Arrangement, PhoneCustody, Pupil, Receptacle
from kiosk.rows.people import Actor
from kiosk.services.calendar import add_release_window
from kiosk.services.custody import hand_in_for_pupil, receptacles, save_receptacle
from kiosk.services.pupils import add_arrangement
from kiosk.services.school import get_school, update_school
from kiosk.services.staff import add_staff, create_first_manager
from kiosk.startup import open_kiosk

DEMO_SCHOOL_NAME = "Wrenfield Academy"
DEMO_RECEPTIONIST_NAME = "Mrs Carys Bevan"
DEMO_RECEPTIONIST_PIN = "1234"
DEMO_MANAGER_NAME = "Mr Daniel Osei"
DEMO_MANAGER_PIN = "9999"

DEMO_SEED = 20_261_124
YEAR_GROUPS = ("7", "8", "9", "10", "11")
FORMS_PER_YEAR = ("A", "B", "C", "D", "E")
PUPILS_PER_YEAR = 60
PHONES_HANDED_IN = 40
PERMISSION_TITLE = "Walks home alone"
# Made-up local authority and school numbers for the demo's UPNs.
_UPN_AUTHORITY, _UPN_SCHOOL = "999", "4012"

# (boys' names, girls' names, surnames, weight): weights roughly like a city secondary.
_NAME_POOLS: tuple[tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...], int], ...] = (
    (
        (
            "Oliver",
            "George",
            "Harry",
            "Jack",
            "Noah",
            "Charlie",
            "Freddie",
            "Alfie",
            "Theo",
            "Arthur",
            "Archie",
            "Leo",
            "Oscar",
            "Henry",
            "Thomas",
            "Joshua",
            "Ethan",
            "Mason",
            "Isaac",
            "Reuben",
            "Noël",
            "Louis",
        ),
        (
            "Olivia",
            "Amelia",
            "Isla",
            "Ava",
            "Mia",
            "Grace",
            "Lily",
            "Freya",
            "Poppy",
            "Evie",
            "Ella",
            "Sophie",
            "Daisy",
            "Millie",
            "Ruby",
            "Phoebe",
            "Holly",
            "Imogen",
            "Zoë",
            "Chloé",
            "Matilda",
            "Rosie",
        ),
        (
            "Smith",
            "Taylor",
            "Brown",
            "Wilson",
            "Johnson",
            "Walker",
            "Wright",
            "Robinson",
            "Thompson",
            "White",
            "Hughes",
            "Edwards",
            "Green",
            "Hall",
            "Wood",
            "Harris",
            "Clarke",
            "Jackson",
            "Turner",
            "Hill",
            "Cooper",
            "Ward",
            "Morris",
            "Baker",
            "Marshall",
            "Fletcher",
            "Barnes",
            "Shaw",
            "Holmes",
            "Ellis",
            "Bennett-Shaw",
            "Ashworth",
            "Pemberton",
        ),
        34,
    ),
    (
        ("Dafydd", "Rhys", "Iestyn", "Gethin", "Llŷr", "Osian", "Cai", "Aled", "Emyr"),
        ("Siân", "Ffion", "Cerys", "Rhiannon", "Gwenllian", "Eluned", "Mali", "Nia", "Elin"),
        (
            "Jones",
            "Davies",
            "Evans",
            "Williams",
            "Pritchard",
            "Llewellyn",
            "ap Gruffudd",
            "ap Rhys",
            "Parry",
            "Bowen",
            "Prosser",
            "Vaughan",
            "Griffiths",
            "Morgan",
        ),
        8,
    ),
    (
        ("Seán", "Oisín", "Ciarán", "Pádraig", "Cillian", "Darragh", "Eoin", "Tadhg"),
        ("Siobhán", "Aoife", "Niamh", "Caoimhe", "Róisín", "Saoirse", "Éabha", "Clodagh"),
        (
            "O'Brien",
            "O'Sullivan",
            "Murphy",
            "Byrne",
            "Kavanagh",
            "Ó Súilleabháin",
            "Mac Carthaigh",
            "Doyle",
            "Quinn",
            "Gallagher",
            "Ó Ceallaigh",
            "McLaughlin",
        ),
        8,
    ),
    (
        ("Łukasz", "Jakub", "Mikołaj", "Wojciech", "Kacper", "Szymon", "Bartosz", "Michał"),
        ("Zofia", "Zuzanna", "Małgorzata", "Agnieszka", "Wiktoria", "Hanna", "Maja", "Oliwia"),
        (
            "Nowak",
            "Wójcik",
            "Kowalczyk",
            "Woźniak",
            "Mazur",
            "Krawczyk",
            "Kaczmarek",
            "Łuczak",
            "Wrona",
            "Szymczak",
            "Zając",
            "Król",
        ),
        8,
    ),
    (
        ("Minh", "Huy", "Đức", "Khoa", "Bảo", "Quang"),
        ("Thảo", "Linh", "Phương", "Quỳnh", "Ngọc", "Hương"),
        ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi"),
        5,
    ),
    (
        (
            "Aarav",
            "Arjun",
            "Rohan",
            "Ishaan",
            "Harpreet",
            "Mohammed",
            "Ibrahim",
            "Imran",
            "Zain",
            "Ayaan",
            "Hamza",
            "Yusuf",
        ),
        (
            "Priya",
            "Ananya",
            "Aisha",
            "Zainab",
            "Fatima",
            "Maryam",
            "Sana",
            "Simran",
            "Anaya",
            "Noor",
            "Jasleen",
            "Aaliyah",
        ),
        (
            "Patel",
            "Shah",
            "Khan",
            "Hussain",
            "Ahmed",
            "Chowdhury",
            "Mistry",
            "Sharma",
            "Iqbal",
            "Rahman",
            "Malik",
            "Gill",
            "Sandhu",
            "Dhillon",
        ),
        17,
    ),
    (
        (
            "Chidi",
            "Tobi",
            "Kwame",
            "Kofi",
            "Tendai",
            "Emeka",
            "Jayden",
            "Malachi",
            "Tyrese",
            "Femi",
        ),
        (
            "Adaeze",
            "Folake",
            "Ama",
            "Chiamaka",
            "Nia",
            "Ifeoma",
            "Zara",
            "Kemi",
            "Abena",
            "Precious",
        ),
        (
            "Okafor",
            "Adeyemi",
            "Mensah",
            "Osei",
            "Okonkwo",
            "Mwangi",
            "Boateng",
            "Campbell",
            "Francis",
            "Richards",
            "Oyelaran",
            "Asante",
        ),
        12,
    ),
    (
        ("Emre", "Omar", "João", "Andrei", "Wei", "Nikos", "Mateo", "Karim"),
        ("Elif", "Layla", "Ioana", "Beatriz", "Xinyi", "Mei", "Sofía", "Yasmin"),
        (
            "Yılmaz",
            "Demir",
            "Haddad",
            "Silva",
            "Ferreira",
            "Popescu",
            "Ionescu",
            "Chen",
            "Wang",
            "Papadopoulos",
            "Mansour",
            "García",
        ),
        8,
    ),
)

# Pupils placed by name, so the demo always shows names from several languages.
_FEATURED_PUPILS = (
    ("Siobhán", "O'Brien", "7"),
    ("Dafydd", "ap Gruffudd", "8"),
    ("Łukasz", "Woźniak", "9"),
    ("Thảo", "Nguyễn", "10"),
    ("Zoë", "Clarke", "11"),
)

_EXEMPTIONS = (
    (
        "Medical: blood glucose monitoring",
        "Keeps the phone for the glucose monitor app (type 1 diabetes). Phone on silent in "
        "the blazer pocket; may check readings at any time and leave a lesson if it alarms.",
        "Mrs Adeyemi (SENCo) with the school nurse",
    ),
    (
        "Medical: seizure alert",
        "Keeps the phone for the seizure alert watch. Phone on silent in the bag; staff "
        "may ask to see that the app is running.",
        "Mrs Adeyemi (SENCo)",
    ),
    (
        "Young carer",
        "Keeps the phone switched off in the bag during lessons. May check messages from "
        "home at break and lunch, and take a call in the student office.",
        "Mr Pryce (Designated Safeguarding Lead)",
    ),
    (
        "Young carer",
        "Phone stays switched off during lessons; may ring home at lunchtime from the "
        "student office.",
        "Mr Pryce (Designated Safeguarding Lead)",
    ),
)


def build_demo_school(url: str, *, reset: bool = False) -> str:
    """Build the demo school in the database at ``url`` and return a short summary.

    If the database already has pupils it is left exactly as it is. With ``reset`` the
    demo SQLite file (and its -wal and -shm files) is deleted and built afresh; only a
    SQLite file holding the demo school can be reset.

    The summary is a few lines of plain text: the school, the database URL (password
    hidden), pupils on roll and phones held, receptacles and the demo desk PINs. Raises
    `KioskError` (nothing changed) when ``reset`` is asked of a database that is not a
    SQLite file or not the demo school, or when the database has a manager but no pupils
    (a real school being set up).
    """
    demo_file = _sqlite_file(url)
    if reset:
        if demo_file is None:
            raise KioskError(
                "Only a demo database kept in a SQLite file can be reset. Nothing has been changed."
            )
        _delete_demo_file(demo_file)

    if demo_file is not None and not demo_file.exists():
        _build_in_new_file(url, demo_file)
        return _summary(url, built=True)

    ctx = open_kiosk(url, school_name=DEMO_SCHOOL_NAME)
    try:
        if _pupil_count(ctx):
            built = False
        else:
            _populate(ctx)
            built = True
    finally:
        ctx.close()
    return _summary(url, built=built)


# --- the database file ---------------------------------------------------------------------


def _sqlite_file(url: str) -> Path | None:
    parsed = make_url(url)
    if not parsed.drivername.startswith("sqlite"):
        return None
    if not parsed.database or parsed.database == ":memory:":
        return None
    return Path(parsed.database)


def _delete_demo_file(demo_file: Path) -> None:
    """Delete the demo database, after making sure it is the demo and not a real school."""
    if demo_file.exists():
        try:
            with sqlite3.connect(f"{demo_file.absolute().as_uri()}?mode=ro", uri=True) as conn:
                row = conn.execute("SELECT name FROM school WHERE id = 1").fetchone()
            conn.close()
        except sqlite3.Error:
            # Not readable as a database: only an empty file is safe to take for the demo.
            row = None if demo_file.stat().st_size == 0 else ("",)
        if row is not None and row[0] != DEMO_SCHOOL_NAME:
            raise KioskError(
                f"{demo_file} is not the demo school's database, so it was not reset. "
                "Nothing has been changed."
            )
    for suffix in ("", "-wal", "-shm", "-journal"):
        demo_file.with_name(demo_file.name + suffix).unlink(missing_ok=True)


def _build_in_new_file(url: str, demo_file: Path) -> None:
    """Build in a file beside the final one and move it into place when complete, so an
    interrupted build never leaves half a demo school behind."""
    demo_file.parent.mkdir(parents=True, exist_ok=True)
    building = demo_file.with_name(f".{demo_file.name}.{os.getpid()}.building")
    ctx = open_kiosk(
        f"sqlite:///{building.as_posix()}",
        key_path=key_file_path(url),
        school_name=DEMO_SCHOOL_NAME,
    )
    try:
        try:
            _populate(ctx)
        finally:
            ctx.close()
        # Fold the write-ahead log into the file so the file alone is the whole demo.
        with sqlite3.connect(building) as conn:
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            conn.execute("PRAGMA journal_mode=DELETE")
        conn.close()
        os.replace(building, demo_file)
    finally:
        for suffix in ("", "-wal", "-shm", "-journal"):
            building.with_name(building.name + suffix).unlink(missing_ok=True)


def _pupil_count(ctx: KioskContext) -> int:
    with ctx.db.read() as s:
        return s.scalar(select(func.count()).select_from(Pupil)) or 0


# --- the content ---------------------------------------------------------------------------


def _populate(ctx: KioskContext) -> None:
    rng = random.Random(DEMO_SEED)
    try:
        manager = create_first_manager(ctx, DEMO_MANAGER_NAME, DEMO_MANAGER_PIN)
    except NotAllowed:
        raise KioskError(
            "This database already has a manager but no pupils: it looks like a school "
            "being set up, not the demo, so it was left alone. Nothing has been changed."
        ) from None
    row = add_staff(ctx, manager, DEMO_RECEPTIONIST_NAME, "receptionist", DEMO_RECEPTIONIST_PIN)
    receptionist = Actor(row.id, row.name, row.role)
    update_school(ctx, manager, name=DEMO_SCHOOL_NAME, permission_years="7")
    _set_up_receptacles(ctx, manager)
    for weekday in (1, 3):  # Tuesday and Thursday clubs
        add_release_window(ctx, manager, weekday, time(16, 30), time(17, 30), "After clubs")

    import_pupils_text(ctx, manager, _pupils_csv(rng), mark_leavers=False)
    with ctx.db.read() as s:
        pupils = list(
            s.execute(
                select(Pupil.id, Pupil.year_group).order_by(
                    Pupil.year_group, Pupil.form, Pupil.surname, Pupil.forename
                )
            )
        )
    today = ctx.clock().astimezone(ctx.timezone).date()
    term_start = _autumn_term_start(today)

    year_7 = [pupil_id for pupil_id, year in pupils if year == "7"]
    without_permission = rng.sample(year_7, 2)
    for pupil_id in year_7:
        if pupil_id not in without_permission:
            add_arrangement(
                ctx,
                manager,
                pupil_id,
                kind="permission",
                title=PERMISSION_TITLE,
                conditions="Phone handed in at reception on arrival and collected at the "
                "end of the day.",
                agreed_by="Parent's consent form",
                starts_on=term_start,
            )

    older = [pupil_id for pupil_id, year in pupils if year != "7"]
    exempt = rng.sample(older, len(_EXEMPTIONS))
    for pupil_id, (title, conditions, agreed_by) in zip(exempt, _EXEMPTIONS, strict=True):
        add_arrangement(
            ctx,
            manager,
            pupil_id,
            kind="exemption",
            title=title,
            conditions=conditions,
            agreed_by=agreed_by,
            starts_on=term_start,
            review_on=term_start + timedelta(weeks=20),
        )

    # One Year 7 without permission has handed a phone in (flagged on the board); the other
    # has not, so the flag can be seen appearing at the desk.
    candidates = [
        pupil_id
        for pupil_id, _year in pupils
        if pupil_id not in exempt and pupil_id not in without_permission
    ]
    handing_in = [without_permission[0], *rng.sample(candidates, PHONES_HANDED_IN - 1)]
    for pupil_id in handing_in:
        hand_in_for_pupil(ctx, receptionist, pupil_id)

    from kiosk.demo.confiscations import add_demo_confiscations

    add_demo_confiscations(ctx, manager, receptionist)

    from kiosk.demo.calls import add_demo_calls

    add_demo_calls(ctx, manager, receptionist)

    from kiosk.demo.visitors import add_demo_visitors

    add_demo_visitors(ctx, manager, receptionist)


def _set_up_receptacles(ctx: KioskContext, manager: Actor) -> None:
    existing = receptacles(ctx)
    save_receptacle(
        ctx,
        manager,
        name="Tray A",
        capacity=120,
        year_groups="7,8",
        receptacle_id=existing[0].id if existing else None,
    )
    save_receptacle(ctx, manager, name="Tray B", capacity=150, year_groups="9,10,11")
    save_receptacle(ctx, manager, name="Office box", capacity=60)


def _autumn_term_start(today: date) -> date:
    year = today.year if today.month >= 9 else today.year - 1
    return date(year, 9, 3)


def _pupils_csv(rng: random.Random) -> bytes:
    """The demo pupils as a management information system would export them."""
    lines = ["UPN,Legal Surname,Preferred Forename,NC Year,Reg Group"]
    used_names = {(forename, surname) for forename, surname, _year in _FEATURED_PUPILS}
    serials: dict[str, int] = {}
    weights = [pool[3] for pool in _NAME_POOLS]

    def upn_for(year_group: str) -> str:
        # Issued the year the pupil started Reception, numbered in order within it.
        issued = f"{(2026 - int(year_group) - 5) % 100:02d}"
        serials[issued] = serials.get(issued, 0) + 1
        body = f"{_UPN_AUTHORITY}{_UPN_SCHOOL}{issued}{serials[issued]:03d}"
        return upn_check_letter(body) + body

    def quoted(value: str) -> str:
        return '"' + value.replace('"', '""') + '"'

    for year_group in YEAR_GROUPS:
        names = [(f, s) for f, s, y in _FEATURED_PUPILS if y == year_group]
        while len(names) < PUPILS_PER_YEAR:
            boys, girls, surnames, _weight = rng.choices(_NAME_POOLS, weights=weights)[0]
            forename = rng.choice(boys if rng.random() < 0.5 else girls)
            if rng.random() < 0.1:  # families are mixed: a surname from anywhere
                surnames = rng.choice(_NAME_POOLS)[2]
            name = (forename, rng.choice(surnames))
            if name not in used_names:
                used_names.add(name)
                names.append(name)
        rng.shuffle(names)
        for index, (forename, surname) in enumerate(names):
            form = f"{year_group}{FORMS_PER_YEAR[index % len(FORMS_PER_YEAR)]}"
            fields = (upn_for(year_group), surname, forename, year_group, form)
            lines.append(",".join(quoted(field) for field in fields))
    return ("\r\n".join(lines) + "\r\n").encode("utf-8")


# --- the summary ---------------------------------------------------------------------------


def _summary(url: str, *, built: bool) -> str:
    ctx = open_kiosk(url)
    try:
        school = get_school(ctx)
        with ctx.db.read() as s:
            on_roll = s.scalar(
                select(func.count()).select_from(Pupil).where(Pupil.status == "on_roll")
            )
            held = s.scalar(
                select(func.count())
                .select_from(PhoneCustody)
                .where(PhoneCustody.collected_at.is_(None))
            )
            exemptions = s.scalar(
                select(func.count()).select_from(Arrangement).where(Arrangement.kind == "exemption")
            )
            names = list(
                s.scalars(
                    select(Receptacle.name)
                    .where(Receptacle.active)
                    .order_by(Receptacle.position, Receptacle.id)
                )
            )
    finally:
        ctx.close()
    state = "built" if built else "already set up (left as it is; --reset starts it again)"
    return "\n".join(
        [
            f"Demo school {state}: {school.name}",
            f"Database: {make_url(url).render_as_string(hide_password=True)}",
            f"{on_roll} pupils on roll, {exemptions} with exemptions; {held} phones held now.",
            f"Receptacles: {', '.join(names)}.",
            f"Desk PINs: {DEMO_RECEPTIONIST_NAME} (receptionist) {DEMO_RECEPTIONIST_PIN}, "
            f"{DEMO_MANAGER_NAME} (manager) {DEMO_MANAGER_PIN}.",
        ]
    )
