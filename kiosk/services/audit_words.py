"""The audit log in a receptionist's words: each kind of entry as one sentence.

An audit entry stores what changed as it was (ids, internal values: "pupil B999401214010",
"state passed_on", "attending [4, 5, 6]"); the desk shows it as a sentence with people's
names ("Mrs Rhian Bevan released Jayden Adeyemi's phone to Ama Adeyemi (father), photo ID
checked"). :data:`SENTENCES` holds one wording per kind of entry, keyed by the entry's
(action, entity) as :func:`kiosk.services.audit.record` stores them; a test collects the
kinds every service writes, so a new kind without words fails it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, tzinfo
from typing import Any

from sqlalchemy import select

from kiosk.context import KioskContext
from kiosk.persistence.models import (
    Arrangement,
    Confiscation,
    Contact,
    EducationalVisit,
    PhoneCustody,
    PhoneMessage,
    Pupil,
    Staff,
    Visitor,
    VisitorAlert,
    VisitorAlertMatch,
    VisitorVisit,
)
from kiosk.policies import category as visitor_category
from kiosk.policies import is_category
from kiosk.rows.audit import AuditLine, AuditRow
from kiosk.rows.calls import CALL_KINDS, PHONES_USED
from kiosk.rows.confiscations import REASONS
from kiosk.rows.custody import OUTCOMES
from kiosk.rows.people import KINDS as ARRANGEMENT_KINDS
from kiosk.services import audit

_ROLE_SUFFIX = re.compile(r" \((receptionist|manager|not on the staff list)\)$")

# Who a confiscated device may go back to (kiosk.services.confiscations.RELEASE_TO).
_RELEASE_TO = {"parent": "a parent or carer only", "pupil": "the pupil, at the end of the day"}
_MESSAGE_HOW = {
    "in_person": "in person",
    "class_phone": "on the class phone",
    "radio": "by radio",
    "visit_lead": "by phoning the visit lead",
    "visit_deputy": "by phoning the visit deputy",
    "email": "by email",
    "slip": "as a slip in their pigeonhole",
}
_COMMON_DEVICES = frozenset(
    {
        "phone",
        "mobile phone",
        "tablet",
        "smartwatch",
        "watch",
        "laptop",
        "earphones",
        "headphones",
        "earbuds",
        "device",
        "camera",
        "games console",
    }
)
_SIGNED_OUT_HOW = {"badge": "by scanning their badge", "desk": "at the desk"}
# Field names as a receptionist says them, for "what changed" lists.
_FIELD_WORDS = {
    "name": "name",
    "capacity": "capacity",
    "year_groups": "year groups",
    "permission_years": "years needing permission",
    "printer_a4": "A4 printer",
    "card_code": "card code",
    "job_title": "job title",
    "initials": "initials",
    "pigeonhole": "pigeonhole",
    "email": "email",
    "extension": "extension",
    "mobile": "mobile",
    "relationship": "relationship",
    "phone": "phone",
    "may_collect": "may collect",
    "verified": "confirmed",
    "title": "title",
    "conditions": "conditions",
    "agreed_by": "agreed by",
    "starts_on": "starts",
    "review_on": "review",
    "ends_on": "ends",
    "kind": "kind",
    "on_date": "date",
    "destination": "destination",
    "lead_mobile": "lead's mobile",
    "deputy_mobile": "deputy's mobile",
    "cancelled": "cancelled",
    "host": "server",
    "port": "port",
    "starttls": "STARTTLS",
    "username": "user name",
    "from_address": "from address",
    "password_changed": "password changed",
    "forename": "forename",
    "surname": "surname",
    "known_forename": "known-as forename",
    "known_surname": "known-as surname",
    "year_group": "year",
    "form": "form",
    "upn": "UPN",
    "identifier": "identifier",
    "status": "status",
    "id_checked": "ID checked",
    "dbs_assured": "DBS assured",
    "escorted": "escorted",
    "role": "role",
}
# Fields that are ids or bookkeeping, never shown in a "what changed" list.
_NOT_SHOWN = frozenset(
    {
        "pupil_id",
        "lead_id",
        "deputy_id",
        "attending",
        "id_scheme",
        "via",
        "confirmed_by_staff_id",
        "confirmed_by_their_pin",
        "contact_id",
    }
)


@dataclass(frozen=True)
class AuditNames:
    """The names behind the ids that audit entries store, read once for a page of entries.

    Each map is keyed by id (pupils also by identifier, the UPN or MIS identifier the
    hand-in entries store); a missing id is worded as "a pupil", "a member of staff" and
    so on, never as the number.
    """

    pupils: dict[int, str] = field(default_factory=dict)
    pupils_by_identifier: dict[str, str] = field(default_factory=dict)
    staff: dict[int, str] = field(default_factory=dict)
    custody_pupil: dict[int, int] = field(default_factory=dict)
    confiscations: dict[int, tuple[int, str]] = field(default_factory=dict)  # pupil id, device
    contacts: dict[int, tuple[str, str, int]] = field(default_factory=dict)  # name, rel., pupil
    arrangements: dict[int, int] = field(default_factory=dict)  # pupil id
    trips: dict[int, tuple[str, date]] = field(default_factory=dict)
    messages: dict[int, str] = field(default_factory=dict)  # for whom
    visits: dict[int, str] = field(default_factory=dict)  # the visitor's name
    alerts: dict[int, str] = field(default_factory=dict)
    alert_matches: dict[int, str] = field(default_factory=dict)  # the name signed in

    def pupil(self, pupil_id: Any) -> str:
        """The pupil's shown name, or "a pupil"."""
        return self.pupils.get(_int(pupil_id), "a pupil")

    def member(self, staff_id: Any) -> str:
        """The member of staff's name, or "a member of staff"."""
        return self.staff.get(_int(staff_id), "a member of staff")


@dataclass(frozen=True)
class _Entry:
    """An entry being worded: who, the stored states, the names, the school's zone."""

    row: AuditRow
    who: str
    before: dict[str, Any]
    after: dict[str, Any]
    names: AuditNames
    tz: tzinfo

    @property
    def entity_id(self) -> int:
        return _int(self.row.entity_id)

    def get(self, key: str, default: Any = None) -> Any:
        """A field of the state after, else before."""
        return self.after.get(key, self.before.get(key, default))


def _int(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return -1


def _load(text: str | None) -> dict[str, Any]:
    if not text:
        return {}
    try:
        value = json.loads(text)
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def _possessive(name: str) -> str:
    return f"{name}'" if name.endswith("s") and not name.startswith("a ") else f"{name}'s"


def _value(value: Any, tz: tzinfo) -> str:
    """A stored value as words: dates and times in school time, yes/no, lists joined."""
    if value is None or value == "":
        return "none"
    if value is True:
        return "yes"
    if value is False:
        return "no"
    if isinstance(value, list):
        return ", ".join(_value(v, tz) for v in value) or "none"
    if isinstance(value, str):
        try:
            if len(value) == 10 and value[4] == "-":
                return date.fromisoformat(value).strftime("%a %-d %b %Y")
            if len(value) >= 19 and "T" in value:
                moment = datetime.fromisoformat(value)
                if moment.tzinfo is not None:
                    moment = moment.astimezone(tz)
                return moment.strftime("%a %-d %b %Y %H:%M")
            if len(value) in (5, 8) and value[2] == ":":
                return time.fromisoformat(value).strftime("%H:%M")
        except ValueError:
            return value
    return str(value)


def _changes(e: _Entry) -> str:
    """What changed between before and after, field by field, in words ("capacity 60 →
    90; name Office tray → Tray A"); "" when nothing shown changed."""
    parts = []
    # In the order a person reads a record (name first), not the log's alphabetical one.
    for key in _FIELD_WORDS:
        if key not in e.before and key not in e.after:
            continue
        old, new = e.before.get(key), e.after.get(key)
        if old != new and key in e.before:
            parts.append(f"{_FIELD_WORDS[key]} {_value(old, e.tz)} → {_value(new, e.tz)}")
    return "; ".join(parts)


def _with_changes(text: str, e: _Entry) -> str:
    changed = _changes(e)
    return f"{text}: {changed}" if changed else text


def _place(state: dict[str, Any]) -> str:
    receptacle, slot = state.get("receptacle"), state.get("slot")
    if receptacle and slot is not None:
        return f"{receptacle} · slot {slot}"
    return str(state.get("location") or receptacle or "no slot")


def _note(text: Any) -> str:
    return f" ({text})" if text else ""


# --- phones handed in --------------------------------------------------------------------


def _custody_pupil(e: _Entry) -> str:
    pupil_id = e.names.custody_pupil.get(e.entity_id)
    return e.names.pupil(pupil_id) if pupil_id is not None else "a pupil"


def _hand_in(e: _Entry) -> str:
    pupil = e.names.pupils_by_identifier.get(str(e.after.get("pupil")), "a pupil")
    flag = ", with no permission on file" if e.after.get("no_permission") else ""
    if e.row.actor.startswith("Pupil card"):
        return f"{pupil} handed their phone in at the kiosk: {_place(e.after)}{flag}"
    return f"{e.who} took in {_possessive(pupil)} phone: {_place(e.after)}{flag}"


def _collect(e: _Entry) -> str:
    pupil, place = _custody_pupil(e), _place(e.before)
    early = f", early: {e.after['early_reason']}" if e.after.get("early_reason") else ""
    if e.row.actor.startswith("Pupil card"):
        return f"{pupil} collected their phone at the kiosk from {place}{early}"
    return f"{e.who} gave {_possessive(pupil)} phone back from {place}{early}"


def _end_of_day(e: _Entry) -> str:
    outcome = OUTCOMES.get(str(e.after.get("outcome")), str(e.after.get("outcome", "")))
    note = f" ({e.after['note']})" if e.after.get("note") else ""
    return (
        f"{e.who} recorded {_possessive(_custody_pupil(e))} phone at the end of the day: "
        f"{outcome.lower()}{note}"
    )


# --- pupils, cards, arrangements, contacts --------------------------------------------------


def _pupil_of_entry(e: _Entry) -> str:
    return e.names.pupil(e.entity_id)


def _pupil_added(e: _Entry) -> str:
    name = f"{e.after.get('known_forename') or e.after.get('forename', '')} " + (
        e.after.get("known_surname") or e.after.get("surname", "")
    )
    form = f" ({e.after['form']})" if e.after.get("form") else ""
    return f"{e.who} added {name.strip() or 'a pupil'}{form} from the pupil import"


def _pupil_updated(e: _Entry) -> str:
    return _with_changes(f"{e.who} updated {_pupil_of_entry(e)} from the pupil import", e)


def _pupil_left(e: _Entry) -> str:
    return f"{e.who} marked {_pupil_of_entry(e)} as having left the school (pupil import)"


def _card_reissued(e: _Entry) -> str:
    return f"{e.who} printed a new card for {_pupil_of_entry(e)}; the old card no longer works"


def _arrangement_pupil(e: _Entry) -> str:
    pupil_id = e.after.get("pupil_id", e.names.arrangements.get(e.entity_id))
    return e.names.pupil(pupil_id)


def _arrangement_kind(e: _Entry) -> str:
    return ARRANGEMENT_KINDS.get(str(e.get("kind")), "arrangement").lower()


def _arrangement_added(e: _Entry) -> str:
    return (
        f"{e.who} recorded {'an' if _arrangement_kind(e) == 'exemption' else 'a'} "
        f"{_arrangement_kind(e)} for {_arrangement_pupil(e)}: {e.get('title', '')}"
    )


def _arrangement_changed(e: _Entry) -> str:
    return _with_changes(
        f"{e.who} changed {_possessive(_arrangement_pupil(e))} {_arrangement_kind(e)} "
        f"\u201c{e.get('title', '')}\u201d",
        e,
    )


def _arrangement_ended(e: _Entry) -> str:
    return (
        f"{e.who} ended {_possessive(_arrangement_pupil(e))} {_arrangement_kind(e)} "
        f"\u201c{e.get('title', '')}\u201d"
    )


def _contact_words(e: _Entry) -> tuple[str, str]:
    name = e.get("name") or e.names.contacts.get(e.entity_id, ("a contact", "", -1))[0]
    relationship = e.get("relationship") or ""
    pupil_id = e.get("pupil_id", e.names.contacts.get(e.entity_id, ("", "", -1))[2])
    return f"{name}{_note(relationship)}", e.names.pupil(pupil_id)


def _contact_added(e: _Entry) -> str:
    contact, pupil = _contact_words(e)
    collect = ", who may collect" if e.after.get("may_collect") else ""
    via = " from the contact import" if e.after.get("via") else ""
    return f"{e.who} added {contact} as a contact of {pupil}{collect}{via}"


def _contact_changed(e: _Entry) -> str:
    contact, pupil = _contact_words(e)
    return _with_changes(f"{e.who} changed {pupil}'s contact {contact}", e)


def _contact_removed(e: _Entry) -> str:
    contact, pupil = _contact_words(e)
    return f"{e.who} removed {contact} from {_possessive(pupil)} contacts"


def _contact_confirmed(e: _Entry) -> str:
    contact, pupil = _contact_words(e)
    return f"{e.who} confirmed {contact} as a contact of {pupil} with a manager's PIN"


# --- confiscations --------------------------------------------------------------------------


def _device(e: _Entry) -> str:
    pupil_id, device = e.names.confiscations.get(e.entity_id, (None, ""))
    device = e.after.get("device") or device or "device"
    pupil = (
        e.names.pupils_by_identifier.get(str(e.after.get("pupil")))
        if e.after.get("pupil")
        else None
    ) or e.names.pupil(pupil_id)
    # "Phone", "Tablet" as a common noun in a sentence; "iPhone 13" or "Samsung" as typed.
    shown = device.lower() if device.lower() in _COMMON_DEVICES else device
    return f"{_possessive(pupil)} {shown}"


def _confiscated(e: _Entry) -> str:
    reason = REASONS.get(str(e.after.get("reason")), "")
    return (
        f"{e.who} recorded {_device(e)} confiscated{_note(reason.lower())}, kept in "
        f"{e.after.get('location', 'the office')}"
    )


def _held_for_dsl(e: _Entry) -> str:
    concern = f": {e.after['concern']}" if e.after.get("concern") else ""
    return f"{e.who} passed {_device(e)} to the DSL{concern}"


def _moved(e: _Entry) -> str:
    return f"{e.who} moved {_device(e)} to {e.after.get('location', 'another place')}" + (
        f" ({e.after['note']})" if e.after.get("note") else ""
    )


def _released(e: _Entry) -> str:
    if e.after.get("to_pupil"):
        to = "the pupil themselves"
    else:
        to = f"{e.after.get('collector', 'someone')}{_note(e.after.get('relationship'))}"
    checked = "photo ID checked" if e.after.get("id_checked") else "photo ID not checked"
    override = f", on {e.after['override_by']}'s authority" if e.after.get("override_by") else ""
    return f"{e.who} released {_device(e)} to {to}, {checked}{override}"


def _to_police(e: _Entry) -> str:
    reference = f", reference {e.after['reference']}" if e.after.get("reference") else ""
    return f"{e.who} handed {_device(e)} to the police ({e.after.get('officer', 'an officer')}{reference})"


def _from_police(e: _Entry) -> str:
    return (
        f"{e.who} took {_device(e)} back from the police ({e.after.get('officer', 'an officer')}), "
        f"kept in {e.after.get('location', 'the office')}"
    )


def _searched(e: _Entry) -> str:
    by = f" by {e.after['searched_by']}" if e.after.get("searched_by") else ""
    return f"{e.who} recorded a search of {_device(e)}{by}, with the pupil's consent"


def _content_deleted(e: _Entry) -> str:
    what = f": {e.after['what']}" if e.after.get("what") else ""
    return f"{e.who} recorded content deleted from {_device(e)} at the pupil's request{what}"


def _release_setting(e: _Entry) -> str:
    old = _RELEASE_TO.get(str(e.before.get("release_to")), "")
    new = _RELEASE_TO.get(str(e.after.get("release_to")), "")
    return f"{e.who} changed who confiscated devices go back to: {old} → {new}"


# --- staff and the desk -------------------------------------------------------------------


def _staff_name(e: _Entry) -> str:
    return str(e.get("name") or e.names.member(e.entity_id))


def _staff_added(e: _Entry) -> str:
    if e.after.get("first_run"):
        return f"{e.who} set up the desk, with {_staff_name(e)} as its first manager"
    if "pin_set" in e.after:
        pin = "with a PIN" if e.after["pin_set"] else "without a PIN"
        return (
            f"{e.who} added {_staff_name(e)} as a {e.after.get('role', 'member of staff')}, {pin}"
        )
    job = f" ({e.after['job_title']})" if e.after.get("job_title") else ""
    return f"{e.who} added {_staff_name(e)}{job} to the staff directory"


def _staff_changed(e: _Entry) -> str:
    confirmed = " with their own PIN" if e.after.get("confirmed_by_their_pin") else ""
    return _with_changes(f"{e.who} changed {_possessive(_staff_name(e))} details{confirmed}", e)


def _staff_imported(e: _Entry) -> str:
    if e.before:
        return _with_changes(f"{e.who} updated {_staff_name(e)} from the staff import", e)
    return f"{e.who} added {_staff_name(e)} to the staff directory from the staff import"


def _staff_left(e: _Entry) -> str:
    return f"{e.who} marked {_staff_name(e)} as having left; they can no longer sign in"


def _staff_returned(e: _Entry) -> str:
    return f"{e.who} marked {_staff_name(e)} as back; they can sign in again"


def _pin_set(e: _Entry) -> str:
    whose = _staff_name(e)
    if whose == e.who:
        return f"{e.who} changed their own PIN"
    return f"{e.who} set a new PIN for {whose}"


def _desk(e: _Entry) -> str:
    return f" at {e.after['desk']}" if e.after.get("desk") else ""


def _pin_wrong(e: _Entry) -> str:
    count = e.after.get("wrong_in_a_row")
    in_a_row = f" ({count} in a row)" if count else ""
    return f"A wrong PIN was typed for {_staff_name(e)}{_desk(e)}{in_a_row}"


def _pin_locked(e: _Entry) -> str:
    until = _value(e.after.get("locked_until"), e.tz)
    return (
        f"{_staff_name(e)} was locked out{_desk(e)} after {e.after.get('wrong_in_a_row', 'several')} "
        f"wrong PINs in a row, until {until}"
    )


def _pin_refused_locked(e: _Entry) -> str:
    until = _value(e.after.get("locked_until"), e.tz)
    return f"{_possessive(_staff_name(e))} PIN was refused{_desk(e)}: locked out until {until}"


def _pin_lock_cleared(e: _Entry) -> str:
    return f"{e.who} cleared the PIN lock on {_staff_name(e)}"


# --- the school, its day and its receptacles -------------------------------------------------


def _years(e: _Entry) -> str:
    years = e.after.get("year_groups")
    return f", for {_value(years, e.tz)}" if years else ""


def _receptacle_added(e: _Entry) -> str:
    return (
        f"{e.who} added the receptacle {e.after.get('name', '')} "
        f"({e.after.get('capacity', '?')} slots{_years(e)})"
    )


def _receptacle_changed(e: _Entry) -> str:
    return _with_changes(f"{e.who} changed the receptacle {e.after.get('name', '')}", e)


def _window(state: dict[str, Any], tz: tzinfo) -> str:
    label = f" ({state['label']})" if state.get("label") else ""
    return (
        f"{state.get('weekday', '')} {_value(state.get('starts'), tz)}–"
        f"{_value(state.get('ends'), tz)}{label}"
    )


def _window_added(e: _Entry) -> str:
    return f"{e.who} added a release window: {_window(e.after, e.tz)}"


def _window_removed(e: _Entry) -> str:
    return f"{e.who} removed the release window {_window(e.before, e.tz)}"


def _school_set_up(e: _Entry) -> str:
    code = f" (card code {e.after['card_code']})" if e.after.get("card_code") else ""
    return f"{e.who} set up the school as {e.after.get('name', '')}{code}"


def _school_changed(e: _Entry) -> str:
    return _with_changes(f"{e.who} changed the school's settings", e)


def _closure_added(e: _Entry) -> str:
    return f"{e.who} added a closure day on {_value(e.after.get('day'), e.tz)}{_note(e.after.get('reason'))}"


def _closure_removed(e: _Entry) -> str:
    return f"{e.who} removed the closure day on {_value(e.before.get('day'), e.tz)}"


def _term(state: dict[str, Any], tz: tzinfo) -> str:
    return (
        f"{state.get('name', 'a term')}, {_value(state.get('starts_on'), tz)} to "
        f"{_value(state.get('ends_on'), tz)}"
    )


def _term_added(e: _Entry) -> str:
    return f"{e.who} added the term {_term(e.after, e.tz)}"


def _term_removed(e: _Entry) -> str:
    return f"{e.who} removed the term {_term(e.before, e.tz)}"


def _periods_set(e: _Entry) -> str:
    return f"{e.who} changed the school day's lessons and breaks"


# --- calls, messages, mail, trips --------------------------------------------------------


def _trip(e: _Entry) -> str:
    destination, on = e.names.trips.get(e.entity_id, ("", None))
    destination = e.get("destination") or destination or "a trip"
    on_date = _value(e.get("on_date") or (on.isoformat() if on else None), e.tz)
    return f"the trip to {destination} on {on_date}"


def _people(ids: Iterable[Any], names: AuditNames) -> str:
    listed = [names.member(i) for i in ids]
    if not listed:
        return "no one else"
    return listed[0] if len(listed) == 1 else ", ".join(listed[:-1]) + " and " + listed[-1]


def _trip_saved(e: _Entry) -> str:
    lead = e.names.member(e.after.get("lead_id"))
    leaders = (e.after.get("lead_id"), e.after.get("deputy_id"))
    staff = _people([i for i in e.after.get("attending") or [] if i not in leaders], e.names)
    if not e.before:
        return f"{e.who} added {_trip(e)}, led by {lead}, with {staff}"
    text = _with_changes(f"{e.who} changed {_trip(e)}", e)
    if e.before.get("lead_id") != e.after.get("lead_id"):
        text += f"; now led by {lead}"
    if e.before.get("attending") != e.after.get("attending"):
        text += f"; staff going: {staff}"
    return text


def _trip_cancelled(e: _Entry) -> str:
    return f"{e.who} cancelled {_trip(e)}"


def _call_logged(e: _Entry) -> str:
    kind = CALL_KINDS.get(str(e.after.get("kind")), "call").lower()
    by = e.names.member(e.after.get("staff_id"))
    pupil = e.after.get("pupil_id")
    about = f" about {e.names.pupil(pupil)}" if pupil is not None else ""
    phone = PHONES_USED.get(str(e.after.get("phone_used")), "").lower()
    permitted = e.after.get("permitted_by")
    agreed = f", agreed by {e.names.member(permitted)}" if permitted is not None else ""
    return f"{e.who} logged a {kind} by {by}{about}, on the {phone}{agreed}".replace(
        "a emergency", "an emergency"
    )


def _message_for(e: _Entry) -> str:
    return str(e.after.get("for") or e.names.messages.get(e.entity_id) or "someone")


def _message_taken(e: _Entry) -> str:
    urgent = "an urgent message" if e.after.get("urgency") == "urgent" else "a message"
    caller = f" from {e.after['caller']}" if e.after.get("caller") else ""
    return f"{e.who} took {urgent} for {_message_for(e)}{caller}"


def _message_passed_on(e: _Entry) -> str:
    how = e.after.get("how")
    if how == "email" and e.after.get("to"):
        way = f"by email to {e.after['to']}"
    else:
        way = _MESSAGE_HOW.get(str(how), "")
    by = e.after.get("by_staff_id")
    who = e.names.member(by) if by is not None else e.who
    return f"{who} passed on the message for {_message_for(e)} {way}".rstrip()


def _message_slip(e: _Entry) -> str:
    hole = f" for pigeonhole {e.after['pigeonhole']}" if e.after.get("pigeonhole") else ""
    return f"{e.who} printed a slip of the message for {_message_for(e)}{hole}"


def _message_emailed(e: _Entry) -> str:
    return f"{e.who} emailed the message for {_message_for(e)} to {e.after.get('to', '')}"


def _mail_again(e: _Entry) -> str:
    return f"{e.who} sent the email to {e.after.get('to', '')} again"


def _mail_server(e: _Entry) -> str:
    return _with_changes(f"{e.who} changed the mail server settings", e)


# --- visitors and the alert list ----------------------------------------------------------------


def _visitor(e: _Entry) -> str:
    return e.names.visits.get(e.entity_id, "a visitor")


def _category(category_id: Any) -> str:
    return (
        visitor_category(str(category_id)).label.lower()
        if is_category(str(category_id))
        else "visitor"
    )


def _signed_in(e: _Entry) -> str:
    again = ", returning" if e.after.get("returning") else ""
    version = e.after.get("rules_version")
    rules = f", having signed the phone rules (version {version})" if version else ""
    return f"{_visitor(e)} signed in as a {_category(e.after.get('category'))}{again}{rules}"


def _signed_out(e: _Entry) -> str:
    how = _SIGNED_OUT_HOW.get(str(e.after.get("how")), "")
    if e.after.get("how") == "desk":
        return f"{e.who} signed {_visitor(e)} out at the desk"
    return f"{_visitor(e)} signed out {how}".rstrip()


def _closed_not_signed_out(e: _Entry) -> str:
    reason = f" ({e.after['reason']})" if e.after.get("reason") else ""
    return f"{e.who} closed {_possessive(_visitor(e))} visit: they left without signing out{reason}"


def _badge_reissued(e: _Entry) -> str:
    return f"{e.who} printed a new badge for {_visitor(e)}; the old badge no longer works"


def _checks(e: _Entry) -> str:
    said = [
        ("photo ID checked" if e.after.get("id_checked") else "photo ID not checked"),
        ("DBS assured" if e.after.get("dbs_assured") else "DBS not assured"),
        ("escorted" if e.after.get("escorted") else "not escorted"),
    ]
    return f"{e.who} recorded the checks for {_visitor(e)}: {', '.join(said)}"


def _rules_version(e: _Entry) -> str:
    title = f" (\u201c{e.after['title']}\u201d)" if e.after.get("title") else ""
    return (
        f"{e.who} published version {e.after.get('version', '?')} of the phone rules for "
        f"{_category(e.after.get('category'))}s{title}"
    )


def _visitor_settings(e: _Entry) -> str:
    return f"{e.who} changed the visitor settings"


def _purged(e: _Entry) -> str:
    return (
        f"{e.who} deleted {e.after.get('visits', 0)} visits and {e.after.get('visitors', 0)} "
        f"visitors' details from before {_value(e.after.get('cutoff'), e.tz)} (retention)"
    )


def _alert_added(e: _Entry) -> str:
    return f"{e.who} added {e.names.alerts.get(e.entity_id, 'someone')} to the alert list"


def _alert_removed(e: _Entry) -> str:
    return f"{e.who} took {e.names.alerts.get(e.entity_id, 'someone')} off the alert list"


def _alert_matched(e: _Entry) -> str:
    name = e.names.alert_matches.get(e.entity_id) or e.names.visits.get(
        _int(e.after.get("visit_id")), "A visitor"
    )
    listed = e.names.alerts.get(_int(e.after.get("alert_id")))
    on = f" ({listed})" if listed and listed != name else ""
    return f"{name} signed in and matches the alert list{on}"


def _alert_seen(e: _Entry) -> str:
    name = e.names.alert_matches.get(e.entity_id, "a visitor")
    return f"{e.who} acknowledged the alert-list match for {name}"


Wording = Callable[[_Entry], str]

# Every kind of audit entry, by (action, entity) as recorded, and its sentence.
SENTENCES: dict[tuple[str, str], Wording] = {
    ("hand_in", "phone_custody"): _hand_in,
    ("collect", "phone_custody"): _collect,
    ("end_of_day", "phone_custody"): _end_of_day,
    ("create", "pupil"): _pupil_added,
    ("update", "pupil"): _pupil_updated,
    ("mark_left", "pupil"): _pupil_left,
    ("reissue_card", "pupil"): _card_reissued,
    ("create", "arrangement"): _arrangement_added,
    ("update", "arrangement"): _arrangement_changed,
    ("end", "arrangement"): _arrangement_ended,
    ("create", "contact"): _contact_added,
    ("update", "contact"): _contact_changed,
    ("delete", "contact"): _contact_removed,
    ("verify", "contact"): _contact_confirmed,
    ("confiscate", "confiscation"): _confiscated,
    ("hold_for_dsl", "confiscation"): _held_for_dsl,
    ("move", "confiscation"): _moved,
    ("release", "confiscation"): _released,
    ("hand_to_police", "confiscation"): _to_police,
    ("returned_by_police", "confiscation"): _from_police,
    ("search", "confiscation"): _searched,
    ("content_deleted", "confiscation"): _content_deleted,
    ("update", "confiscation_setting"): _release_setting,
    ("create", "staff"): _staff_added,
    ("update", "staff"): _staff_changed,
    ("import", "staff"): _staff_imported,
    ("left", "staff"): _staff_left,
    ("returned", "staff"): _staff_returned,
    ("set_pin", "staff"): _pin_set,
    ("pin_wrong", "staff"): _pin_wrong,
    ("pin_locked", "staff"): _pin_locked,
    ("pin_refused_locked", "staff"): _pin_refused_locked,
    ("pin_lock_cleared", "staff"): _pin_lock_cleared,
    ("create", "receptacle"): _receptacle_added,
    ("update", "receptacle"): _receptacle_changed,
    ("create", "release_window"): _window_added,
    ("delete", "release_window"): _window_removed,
    ("create", "school"): _school_set_up,
    ("update", "school"): _school_changed,
    ("create", "closure_day"): _closure_added,
    ("delete", "closure_day"): _closure_removed,
    ("create", "term_dates"): _term_added,
    ("delete", "term_dates"): _term_removed,
    ("set_periods", "school_period"): _periods_set,
    ("create", "educational_visit"): _trip_saved,
    ("update", "educational_visit"): _trip_saved,
    ("cancel", "educational_visit"): _trip_cancelled,
    ("log_call", "telephone_log"): _call_logged,
    ("take_message", "phone_message"): _message_taken,
    ("pass_on", "phone_message"): _message_passed_on,
    ("print_slip", "phone_message"): _message_slip,
    ("queue_email", "phone_message"): _message_emailed,
    ("send_again", "mail_outbox"): _mail_again,
    ("update", "smtp_settings"): _mail_server,
    ("visitor_signed_in", "visitor_visit"): _signed_in,
    ("visitor_signed_out", "visitor_visit"): _signed_out,
    ("visit_closed_not_signed_out", "visitor_visit"): _closed_not_signed_out,
    ("visitor_badge_reissued", "visitor_visit"): _badge_reissued,
    ("visitor_checks_recorded", "visitor_visit"): _checks,
    ("visitors_purged", "visitor_visit"): _purged,
    ("visitor_rules_new_version", "visitor_policy_text"): _rules_version,
    ("visitor_settings_changed", "visitor_setting"): _visitor_settings,
    ("visitor_alert_added", "visitor_alert"): _alert_added,
    ("visitor_alert_removed", "visitor_alert"): _alert_removed,
    ("visitor_alert_matched", "visitor_alert_match"): _alert_matched,
    ("visitor_alert_seen", "visitor_alert_match"): _alert_seen,
}


def who_acted(actor: str) -> str:
    """The name of who acted as a sentence starts with it: the role the log adds after a
    member of staff's name ("Mrs Rhian Bevan (receptionist)") left off."""
    return _ROLE_SUFFIX.sub("", actor)


def sentence(row: AuditRow, names: AuditNames, tz: tzinfo) -> str:
    """One audit entry as a sentence in a receptionist's words, ending with a full stop.

    ``names`` holds the names behind the ids the entry stores (:func:`read_names`); ``tz``
    is the school's time zone for any date or time mentioned. A kind of entry without
    words here (which a test prevents) is said plainly from its action and entity, never
    raising.
    """
    entry = _Entry(row, who_acted(row.actor), _load(row.before), _load(row.after), names, tz)
    wording = SENTENCES.get((row.action, row.entity))
    if wording is None:
        text = f"{entry.who}: {row.action.replace('_', ' ')} ({row.entity.replace('_', ' ')})"
    else:
        text = wording(entry)
    text = text[:1].upper() + text[1:]
    return text if text.endswith((".", "!", "?")) else f"{text}."


def read_names(ctx: KioskContext, rows: Iterable[AuditRow]) -> AuditNames:
    """The names behind the ids in ``rows``, read in one short transaction.

    Pupils and staff are read whole (a school's roll and staff list); custody records,
    confiscations, contacts, arrangements, trips, messages, visits and alert matches only
    for the entries given. Never raises beyond a database error.
    """
    by_entity: dict[str, set[int]] = {}
    visit_ids: set[int] = set()
    for row in rows:
        by_entity.setdefault(row.entity, set()).add(_int(row.entity_id))
        after = _load(row.after)
        if row.entity == "visitor_alert_match" and "visit_id" in after:
            visit_ids.add(_int(after["visit_id"]))
    visit_ids |= by_entity.get("visitor_visit", set())

    def ids(entity: str) -> set[int]:
        return by_entity.get(entity, set())

    with ctx.db.read() as s:
        pupils: dict[int, str] = {}
        by_identifier: dict[str, str] = {}
        for pupil in s.scalars(select(Pupil)):
            name = (
                f"{pupil.known_forename or pupil.forename} {pupil.known_surname or pupil.surname}"
            )
            pupils[pupil.id] = name
            if pupil.identifier:
                by_identifier[pupil.identifier] = name
            if pupil.upn:
                by_identifier[pupil.upn] = name
        staff = dict(s.execute(select(Staff.id, Staff.name)).all())
        custody = dict(
            s.execute(
                select(PhoneCustody.id, PhoneCustody.pupil_id).where(
                    PhoneCustody.id.in_(ids("phone_custody"))
                )
            ).all()
        )
        confiscations = {
            c.id: (c.pupil_id, c.device)
            for c in s.scalars(select(Confiscation).where(Confiscation.id.in_(ids("confiscation"))))
        }
        contacts = {
            c.id: (c.name, c.relationship, c.pupil_id)
            for c in s.scalars(select(Contact).where(Contact.id.in_(ids("contact"))))
        }
        arrangements = dict(
            s.execute(
                select(Arrangement.id, Arrangement.pupil_id).where(
                    Arrangement.id.in_(ids("arrangement"))
                )
            ).all()
        )
        trips = {
            t.id: (t.destination, t.on_date)
            for t in s.scalars(
                select(EducationalVisit).where(EducationalVisit.id.in_(ids("educational_visit")))
            )
        }
        messages = dict(
            s.execute(
                select(PhoneMessage.id, PhoneMessage.for_name).where(
                    PhoneMessage.id.in_(ids("phone_message"))
                )
            ).all()
        )
        visits = dict(
            s.execute(
                select(VisitorVisit.id, Visitor.name)
                .join(Visitor, Visitor.id == VisitorVisit.visitor_id)
                .where(VisitorVisit.id.in_(visit_ids))
            ).all()
        )
        alerts = dict(s.execute(select(VisitorAlert.id, VisitorAlert.name)).all())
        matches = dict(
            s.execute(
                select(VisitorAlertMatch.id, VisitorAlertMatch.signed_in_name).where(
                    VisitorAlertMatch.id.in_(ids("visitor_alert_match"))
                )
            ).all()
        )
    for message_id, for_name in list(messages.items()):
        messages[message_id] = for_name or "a member of staff"
    return AuditNames(
        pupils=pupils,
        pupils_by_identifier=by_identifier,
        staff=staff,
        custody_pupil=custody,
        confiscations=confiscations,
        contacts=contacts,
        arrangements=arrangements,
        trips=trips,
        messages=messages,
        visits=visits,
        alerts=alerts,
        alert_matches=matches,
    )


def recent_in_words(ctx: KioskContext, *, limit: int = 200) -> list[AuditLine]:
    """The newest ``limit`` audit entries, newest first, each with its sentence
    (:func:`sentence`), for the desk's audit log. Never raises beyond a database error."""
    rows = audit.recent_entries(ctx, limit=limit)
    names = read_names(ctx, rows)
    return [AuditLine(row, sentence(row, names, ctx.timezone)) for row in rows]
