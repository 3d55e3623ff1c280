"""Running a service call from the desk so that a refusal, or a busy or unreachable database,
is shown in plain words instead of a traceback, and asking for the member of staff signed in."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from PySide6.QtWidgets import QWidget

from kiosk.errors import KioskError
from kiosk.faults import plain_fault
from kiosk.rows.people import Actor
from ui.ask import Asker

T = TypeVar("T")

SIGN_IN_FIRST = "Sign in at the desk first."

ActorSource = Callable[[], Actor | None]


def run_service(
    asker: Asker, parent: QWidget | None, title: str, call: Callable[[], T]
) -> T | None:
    """Run one service call and return its result; on a :class:`KioskError`, or an expected
    fault such as a busy or unreachable database (:func:`kiosk.faults.plain_fault`), show
    its plain message under ``title`` through the asker and return None. Nothing was
    changed then: the service's transaction was rolled back. Other errors (bugs) go on."""
    try:
        return call()
    except KioskError as error:
        asker.error(parent, title, error.message)
        return None
    except Exception as error:
        fault = plain_fault(error)
        if fault is None:
            raise
        asker.error(parent, title, fault.message)
        return None


def signed_in(asker: Asker, parent: QWidget | None, title: str, actor: ActorSource) -> Actor | None:
    """The member of staff signed in now, or None after saying they must sign in."""
    who = actor()
    if who is None:
        asker.error(parent, title, SIGN_IN_FIRST)
    return who
