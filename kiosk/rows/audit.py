"""Entries of the audit log as the screens show them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True, slots=True)
class AuditRow:
    """One entry of the audit log (a hash chain, append-only): who changed what, when, and
    the state before and after."""

    id: int
    at: datetime  # aware, UTC
    actor: str  # the name of who acted, as it was then
    action: str  # e.g. "create", "update", "hand_in"
    entity: str  # the kind of thing changed, e.g. "staff", "phone_custody"
    entity_id: str  # its id, as text
    before: str | None  # JSON of the state before; None for a creation
    after: str | None  # JSON of the state after; None for a deletion
