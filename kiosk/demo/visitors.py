"""Demo visitors for Wrenfield Academy: a few people on site now (one with checks done and
unescorted), a returning visitor from last week, and a name on the alert list."""

from __future__ import annotations

import math
import struct
import zlib
from datetime import timedelta
from typing import TYPE_CHECKING

from kiosk.clock import FixedClock
from kiosk.rows.people import Actor
from kiosk.rows.visitors import SignInRequest
from kiosk.services import alerts, visitors
from kiosk.services.staff import list_staff

if TYPE_CHECKING:
    from kiosk.context import KioskContext

_DEMO_VISITORS = (
    # name, organisation, category, host index, car, minutes before now
    ("Priya Shah", "Shah Electrical Ltd", "contractor", 0, "KX71 HGD", 95),
    ("Cllr Gareth Morgan", "Wrenfield Academy Trust", "governor", 0, "", 50),
    ("Zoë O'Brien", "Parent, Year 8", "parent_carer", 1, "", 20),
    ("Łukasz Nowak", "Supply Teachers Direct", "supply_staff", 1, "", 70),
)


def demo_signature_png(width: int = 300, height: int = 100) -> bytes:
    """A hand-drawn-looking line as an 8-bit greyscale PNG of `width` x `height` pixels
    (black on white), made without any drawing library; the same bytes every time."""
    rows = []
    for y in range(height):
        row = bytearray([0])  # filter byte: none
        for x in range(width):
            curve = height / 2 + 22 * math.sin(x / 17) * math.cos(x / 53)
            row.append(0 if abs(y - curve) < 2.2 and 20 < x < width - 20 else 255)
        rows.append(bytes(row))

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"".join(rows)))
        + chunk(b"IEND", b"")
    )


def add_demo_visitors(ctx: KioskContext, manager: Actor, receptionist: Actor) -> None:
    """Sign four demo visitors in, record the governor's ID and DBS checks (unescorted) and
    put one name on the alert list.

    With a :class:`FixedClock` each visitor is signed in the given minutes before now (the
    clock is set back to now afterwards); with a real clock they all arrive now. Hosts are
    taken in turn from the staff list, which must not be empty (ZeroDivisionError
    otherwise). Raises what the visitor and alert services raise (`NotAllowed` when
    `manager` is not a manager, who alone edits the alert list).
    """
    signature = demo_signature_png()
    staff = list_staff(ctx)
    now = ctx.clock()
    clock = ctx.clock
    signed_in = []
    for name, organisation, category, host, car, minutes in _DEMO_VISITORS:
        # Each visitor arrived a little earlier this morning.
        if isinstance(clock, FixedClock):
            clock.set(now - timedelta(minutes=minutes))
        host_row = staff[host % len(staff)]
        signed_in.append(
            visitors.sign_in_visitor(
                ctx,
                SignInRequest(
                    name=name,
                    organisation=organisation,
                    category=category,
                    host_staff_id=host_row.id,
                    host_name=host_row.name,
                    car_registration=car,
                    policy_version=visitors.current_policy(ctx, category).version,
                    signature_png=signature,
                ),
            )
        )
    if isinstance(clock, FixedClock):
        clock.set(now)
    governor = signed_in[1].visit
    visitors.record_checks(
        ctx, receptionist, governor.id, id_checked=True, dbs_assured=True, escorted=False
    )
    alerts.add_alert(
        ctx,
        manager,
        "Darren Keane",
        "Not to be admitted or to collect any pupil (court order). Call the head teacher.",
    )
