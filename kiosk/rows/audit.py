"""Entries of the audit log as the screens show them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


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


class ChainFault(StrEnum):
    """How the first entry that does not fit the audit log's hash chain was tampered with."""

    EDITED = "edited"  # its content no longer matches its hash
    REPLACED = "replaced"  # rewritten in place (without the chain, or with a fresh hash)
    MISSING = "missing"  # an entry before it was deleted
    REORDERED = "reordered"  # it holds what was written at another place in the log


@dataclass(frozen=True, slots=True)
class AuditVerification:
    """The outcome of walking the audit log's hash chain from its first entry to its last.

    ``entries`` counts the entries walked (all of them when intact); ``first_at`` and
    ``last_at`` are the first and last entries' times (aware, UTC; None for an empty log);
    ``latest_hash`` is the hash of the last entry (keep it elsewhere to prove later that
    nothing was cut from the end). When the chain is broken, ``broken_entry_id`` names the
    first entry that does not fit, ``fault`` says how and ``explanation`` says it in one
    plain sentence.
    """

    entries: int
    first_at: datetime | None
    last_at: datetime | None
    latest_hash: str | None
    broken_entry_id: int | None = None
    fault: ChainFault | None = None
    explanation: str = ""

    @property
    def intact(self) -> bool:
        """True when every entry fits the chain."""
        return self.fault is None


@dataclass(frozen=True, slots=True)
class AuditLine:
    """One audit entry with its sentence, as the desk's audit log reads it: "Mrs Bevan
    released Jayden Adeyemi's phone to Ama Adeyemi (father), photo ID checked"."""

    entry: AuditRow
    sentence: str
