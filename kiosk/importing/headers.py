"""The header words each import understands: the vocabulary of the school MIS products used
in England, Wales, Scotland and Northern Ireland, in one table so it can grow.

Headers are compared after ignoring case, spaces and punctuation
(:func:`kiosk.importing.reader.header_key`: "Reg Group", "REG_GROUP" and "reg-group" are
one word). Within a field the words are in order of preference: where a file has two of
them, the first non-empty cell in a row wins.

Each word names the products whose exports are known to use it; a word with no product is a
plain English heading that many exports and hand-made spreadsheets use. Products: SIMS
(Capita/ESS SIMS .net, also Northern Ireland's C2k SIMS), Arbor, Bromcom, Scholarpack, iSAMS,
Pupil Asset, Integris, SEEMiS (Scotland), Engage. Arbor's "known as" names
(KnownAsFirstName, KnownAsLastName) and the SCN's check digit are as the public
documentation gives them; the other product names record where a word is commonly seen and
are a guide, not a promise: matching never depends on them. Add a word here (with its
product) when a school's export uses one we do not know yet.

Pupil fields:

- ``upn`` the DfE unique pupil number (England and Wales; checked by its check letter);
- ``scn`` Scotland's Scottish Candidate Number (nine digits, checked by its check digit);
- ``admission_number`` and ``mis_id``: the MIS's own identifier, used when a file has no UPN;
- ``forename``/``surname``: the legal names; ``known_forename``/``known_surname``: the
  preferred ("known as") names, shown wherever the pupil's name is shown when filled;
- ``year``: the year group or stage (read by :func:`kiosk.rows.years.parse_year`);
- ``form``: the registration group (form, tutor group, class, reg class).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from kiosk.importing.reader import header_key

HeaderWord = tuple[str, str, str]
"""(field, the header as an export writes it, the products that use it or "")."""

PUPIL_VOCABULARY: tuple[HeaderWord, ...] = (
    # identifiers, most trusted first
    ("upn", "UPN", "SIMS, Arbor, Bromcom, Scholarpack, Pupil Asset, Integris, Engage, iSAMS"),
    ("upn", "Unique Pupil Number", ""),
    ("upn", "Pupil UPN", ""),
    ("scn", "SCN", "SEEMiS"),
    ("scn", "Scottish Candidate Number", "SEEMiS"),
    ("admission_number", "Adno", "SIMS"),
    ("admission_number", "Admission Number", "SIMS, Bromcom, Integris, Scholarpack, Arbor"),
    ("admission_number", "Admission No", "Bromcom, Pupil Asset"),
    ("admission_number", "Adm No", ""),
    ("mis_id", "MIS ID", "Arbor, Bromcom"),
    ("mis_id", "Pupil ID", "iSAMS, Pupil Asset, Scholarpack"),
    ("mis_id", "Student ID", "Arbor, Engage"),
    ("mis_id", "Pupil Number", ""),
    ("mis_id", "Student Number", ""),
    ("mis_id", "Person ID", ""),
    # legal names
    ("forename", "Legal Forename", "SIMS, Bromcom, Integris"),
    ("forename", "Legal First Name", "Arbor"),
    ("forename", "Forename", "SIMS, Scholarpack, iSAMS, SEEMiS, Integris, Pupil Asset"),
    ("forename", "Forenames", ""),
    ("forename", "First Name", "Arbor, Engage"),
    ("forename", "Given Name", ""),
    ("surname", "Legal Surname", "SIMS, Bromcom, Integris"),
    ("surname", "Legal Last Name", "Arbor"),
    ("surname", "Surname", "SIMS, Scholarpack, iSAMS, SEEMiS, Integris, Pupil Asset, Engage"),
    ("surname", "Last Name", "Arbor"),
    ("surname", "Family Name", ""),
    # preferred ("known as") names
    ("known_forename", "Preferred Forename", "SIMS, Bromcom, Integris"),
    ("known_forename", "Preferred First Name", "Arbor"),
    ("known_forename", "Known As First Name", "Arbor"),
    ("known_forename", "Known As Forename", ""),
    ("known_forename", "Known As", "Scholarpack, Pupil Asset, SEEMiS"),
    ("known_forename", "Preferred Name", "iSAMS, Engage"),
    ("known_forename", "Chosen Name", ""),
    ("known_surname", "Preferred Surname", "SIMS, Bromcom, Integris"),
    ("known_surname", "Preferred Last Name", "Arbor"),
    ("known_surname", "Known As Last Name", "Arbor"),
    ("known_surname", "Known As Surname", ""),
    # year group or stage
    ("year", "Year", "SIMS, Scholarpack, Pupil Asset"),
    ("year", "Year Group", "Arbor, Bromcom, Engage, Integris"),
    ("year", "NC Year", "iSAMS"),
    ("year", "NC Year Actual", "SIMS"),
    ("year", "Year Taught In", "SIMS"),
    ("year", "Curriculum Year", ""),
    ("year", "School Year", ""),
    ("year", "Stage", "SEEMiS"),
    # registration group
    ("form", "Reg", "SIMS"),
    ("form", "Reg Group", "SIMS, Bromcom, Engage"),
    ("form", "Registration Group", "SIMS, Integris, Engage"),
    ("form", "Registration Form", "Arbor"),
    ("form", "Reg Class", "SEEMiS"),
    ("form", "Registration Class", "SEEMiS"),
    ("form", "Form", "iSAMS, Arbor"),
    ("form", "Form Group", ""),
    ("form", "Tutor Group", "Bromcom, iSAMS"),
    ("form", "Class", "Scholarpack, Pupil Asset, Integris"),
)
"""Every pupil header word, with the products that write it (see the module docstring)."""

# The people in a staff export: legal and preferred names as for pupils, plus the directory.
STAFF_VOCABULARY: tuple[HeaderWord, ...] = (
    ("name", "Name", ""),
    ("name", "Full Name", ""),
    ("name", "Staff Name", ""),
    ("name", "Display Name", ""),
    ("title", "Title", "SIMS, Arbor, Bromcom"),
    ("title", "Salutation", ""),
    ("forename", "Legal Forename", "SIMS, Bromcom"),
    ("forename", "Legal First Name", "Arbor"),
    ("forename", "Forename", "SIMS, iSAMS"),
    ("forename", "First Name", "Arbor"),
    ("forename", "Given Name", ""),
    ("surname", "Legal Surname", "SIMS, Bromcom"),
    ("surname", "Legal Last Name", "Arbor"),
    ("surname", "Surname", "SIMS, iSAMS"),
    ("surname", "Last Name", "Arbor"),
    ("surname", "Family Name", ""),
    ("known_forename", "Preferred Forename", "SIMS, Bromcom"),
    ("known_forename", "Preferred First Name", "Arbor"),
    ("known_forename", "Known As First Name", "Arbor"),
    ("known_forename", "Known As", ""),
    ("known_forename", "Preferred Name", "iSAMS"),
    ("known_surname", "Preferred Surname", "SIMS, Bromcom"),
    ("known_surname", "Preferred Last Name", "Arbor"),
    ("known_surname", "Known As Last Name", "Arbor"),
    ("job_title", "Job Title", ""),
    ("job_title", "Role", ""),
    ("job_title", "Position", ""),
    ("job_title", "Post", ""),
    ("job_title", "Job", ""),
    ("job_title", "Staff Role", ""),
    ("initials", "Initials", ""),
    ("initials", "Staff Code", "SIMS"),
    ("initials", "Code", ""),
    ("initials", "Teacher Code", ""),
    ("initials", "Short Name", ""),
    ("pigeonhole", "Pigeonhole", ""),
    ("pigeonhole", "Pigeonhole Number", ""),
    ("pigeonhole", "Pigeonhole No", ""),
    ("pigeonhole", "Tray", ""),
    ("pigeonhole", "Mailbox", ""),
    ("email", "Email", ""),
    ("email", "Email Address", ""),
    ("email", "Work Email", ""),
    ("email", "School Email", ""),
    ("email", "Mail", ""),
    ("extension", "Extension", ""),
    ("extension", "Ext", ""),
    ("extension", "Phone Extension", ""),
    ("extension", "Telephone Extension", ""),
    ("extension", "Internal Phone", ""),
    ("mobile", "Mobile", ""),
    ("mobile", "Mobile Number", ""),
    ("mobile", "Work Mobile", ""),
    ("mobile", "Mobile Phone", ""),
)

_PUPIL_IDENTIFIERS = ("upn", "scn", "admission_number", "mis_id")

CONTACT_VOCABULARY: tuple[HeaderWord, ...] = tuple(
    word for word in PUPIL_VOCABULARY if word[0] in _PUPIL_IDENTIFIERS
) + (
    ("name", "Contact Name", ""),
    ("name", "Parent Name", ""),
    ("name", "Carer Name", ""),
    ("name", "Parent Carer Name", ""),
    ("name", "Contact Full Name", ""),
    ("name", "Full Name", ""),
    ("name", "Name", ""),
    ("forename", "Contact Forename", ""),
    ("forename", "Contact First Name", ""),
    ("forename", "Parent Forename", ""),
    ("forename", "Forename", ""),
    ("surname", "Contact Surname", ""),
    ("surname", "Contact Last Name", ""),
    ("surname", "Parent Surname", ""),
    ("surname", "Surname", ""),
    ("known_forename", "Contact Preferred Forename", ""),
    ("known_forename", "Contact Known As", ""),
    ("known_forename", "Preferred Forename", ""),
    ("known_forename", "Known As", ""),
    ("known_surname", "Contact Preferred Surname", ""),
    ("known_surname", "Preferred Surname", ""),
    ("relationship", "Relationship", ""),
    ("relationship", "Relation", ""),
    ("relationship", "Relationship To Pupil", ""),
    ("relationship", "Contact Relationship", ""),
    ("phone", "Phone", ""),
    ("phone", "Telephone", ""),
    ("phone", "Mobile", ""),
    ("phone", "Mobile Phone", ""),
    ("phone", "Contact Phone", ""),
    ("phone", "Contact Telephone", ""),
    ("phone", "Phone Number", ""),
    ("phone", "Telephone Number", ""),
    ("phone", "Home Phone", ""),
    ("email", "Email", ""),
    ("email", "Email Address", ""),
    ("email", "Contact Email", ""),
    ("may_collect", "May Collect", ""),
    ("may_collect", "Can Collect", ""),
    ("may_collect", "Collect", ""),
    ("may_collect", "Allowed To Collect", ""),
    ("may_collect", "Authorised To Collect", ""),
    ("may_collect", "Authorized To Collect", ""),
    ("may_collect", "Parental Responsibility", "SIMS, Arbor, Bromcom"),
)


def columns_from(vocabulary: Sequence[HeaderWord]) -> Mapping[str, tuple[str, ...]]:
    """For each field of a vocabulary, its header words as :func:`header_key` leaves them,
    in the table's order of preference (the shape :func:`kiosk.importing.reader.open_table`
    takes). Never raises."""
    columns: dict[str, list[str]] = {}
    for field, header, _products in vocabulary:
        keys = columns.setdefault(field, [])
        if header_key(header) not in keys:
            keys.append(header_key(header))
    return {field: tuple(keys) for field, keys in columns.items()}


PUPIL_COLUMNS = columns_from(PUPIL_VOCABULARY)
STAFF_COLUMNS = columns_from(STAFF_VOCABULARY)
CONTACT_COLUMNS = columns_from(CONTACT_VOCABULARY)

PUPIL_IDENTIFIER_FIELDS: tuple[str, ...] = _PUPIL_IDENTIFIERS
"""The identifier fields in order of preference: a file's UPN column wins; without one, the
SCN, then the admission number, then the MIS's pupil ID (see :mod:`kiosk.importing.pupils`)."""
