"""The audit log as a table: when (school time), who, and what happened in a sentence."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from kiosk.rows.audit import AuditLine, AuditRow
from kiosk.rows.custody import OUTCOMES
from ui.models.formatting import plain_tooltip, school_timestamp
from ui.models.row_table import Column, RowTableModel

_ACTIONS = {
    "hand_in": "Phone handed in",
    "collect": "Phone collected",
    "end_of_day": "End-of-day outcome",
    "reissue_card": "Card reissued",
    "set_pin": "PIN set",
    "create": "Added",
    "update": "Changed",
    "delete": "Removed",
}
_ENTITIES = {
    "phone_custody": "Phone record",
    "pupil": "Pupil",
    "staff": "Staff member",
    "receptacle": "Receptacle",
    "release_window": "Release window",
    "school": "School settings",
    "school_day": "School day",
    "arrangement": "Permission or exemption",
}


def action_text(row: AuditRow) -> str:
    return _ACTIONS.get(row.action, row.action.replace("_", " ").capitalize())


def subject_text(row: AuditRow) -> str:
    entity = _ENTITIES.get(row.entity, row.entity.replace("_", " ").capitalize())
    if row.entity == "school":
        return entity
    return f"{entity} {row.entity_id}" if row.entity_id else entity


def _load(text: str | None) -> dict[str, Any] | None:
    if text is None:
        return None
    try:
        value = json.loads(text)
    except ValueError:
        return {"": text}
    return value if isinstance(value, dict) else {"": value}


def _value_text(value: Any, tz: ZoneInfo) -> str:
    if value is None:
        return "none"
    if value is True:
        return "yes"
    if value is False:
        return "no"
    if value == "":
        return "(blank)"
    if isinstance(value, str) and "T" in value and len(value) >= 19:
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            return value
        if moment.tzinfo is not None:
            return school_timestamp(moment, tz)
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _key_text(key: str) -> str:
    return key.replace("_", " ")


# Fields read in this order (the log stores them alphabetically); the rest follow.
_FIRST = ("pupil", "name", "place", "outcome", "note", "role", "capacity", "year_groups")


def _readable(state: dict[str, Any]) -> dict[str, Any]:
    """Fold a receptacle and slot into one place, name outcomes, drop a false flag."""
    state = dict(state)
    if "slot" in state or "receptacle" in state:
        receptacle, slot = state.pop("receptacle", None), state.pop("slot", None)
        location = state.pop("location", "")
        if receptacle is not None and slot is not None:
            state["place"] = f"{receptacle} · slot {slot}"
        else:
            state["place"] = location or "no slot"
    if "outcome" in state:
        state["outcome"] = OUTCOMES.get(state["outcome"], state["outcome"])
    if "no_permission" in state:
        flagged = state.pop("no_permission")
        if flagged:
            state["flag"] = "no permission on file"
    ordered = {k: state[k] for k in _FIRST if k in state}
    ordered.update((k, v) for k, v in state.items() if k not in ordered)
    return ordered


def _part(key: str, value: Any, tz: ZoneInfo) -> str:
    if key in ("", "place", "outcome", "flag"):
        return _value_text(value, tz)
    return f"{_key_text(key)} {_value_text(value, tz)}"


def _summary(state: dict[str, Any], tz: ZoneInfo) -> str:
    # Empty fields say nothing in a summary ("early reason none"); changes still show them.
    parts = [_part(k, v, tz) for k, v in _readable(state).items() if v not in (None, "")]
    return ", ".join(parts) or "nothing recorded"


def change_text(row: AuditRow, tz: ZoneInfo) -> str:
    """Before and after in words: only what changed when both sides describe the same
    fields ("capacity 60 → 120"), else the two summaries side by side."""
    before, after = _load(row.before), _load(row.after)
    if before is None and after is None:
        return ""
    if before is None:
        assert after is not None
        return _summary(after, tz)
    if after is None:
        return f"was {_summary(before, tz)}"
    if before.keys() == after.keys():
        old, new = _readable(before), _readable(after)
        changed = [
            f"{_key_text(k)} {_value_text(old.get(k), tz)} → {_value_text(new.get(k), tz)}"
            for k in dict.fromkeys([*old, *new])
            if old.get(k) != new.get(k)
        ]
        return "; ".join(changed) or "no change"
    return f"{_summary(before, tz)} → {_summary(after, tz)}"


class AuditModel(RowTableModel[AuditLine]):
    """Recent audit entries, newest first, in the school's time: when, who, and what
    happened as a sentence; the stored change itself in the sentence's tooltip."""

    def __init__(self, tz: ZoneInfo, parent: Any = None) -> None:
        super().__init__(parent)
        self.columns = (
            Column("Time", lambda r: school_timestamp(r.entry.at, tz)),
            Column("Who", lambda r: r.entry.actor),
            Column(
                "What happened",
                lambda r: r.sentence,
                tooltip=lambda r: plain_tooltip(_details(r, tz)),
            ),
        )


def _details(line: AuditLine, tz: ZoneInfo) -> str:
    """The sentence, then the entry as stored, for whoever checks the record closely."""
    stored = change_text(line.entry, tz)
    recorded = f"{action_text(line.entry)}: {subject_text(line.entry)}"
    return f"{line.sentence}\n\nAs recorded: {recorded}" + (f"; {stored}" if stored else "")
