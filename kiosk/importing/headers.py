"""The header spellings each import accepts, in one place so they can grow.

For each field, the spellings are compared after ignoring case, spaces and punctuation
(:func:`kiosk.importing.reader.header_key`), most preferred first: where a file has several
of them, the first non-empty cell in a row wins, so a preferred forename beats the legal one
and a blank preferred name falls back to it. Add a spelling here when a school's MIS export
uses one we do not know yet.
"""

from __future__ import annotations

PUPIL_COLUMNS: dict[str, tuple[str, ...]] = {
    "upn": ("upn", "uniquepupilnumber"),
    "forename": (
        "preferredforename",
        "preferredfirstname",
        "legalforename",
        "forename",
        "forenames",
        "firstname",
        "givenname",
    ),
    "surname": (
        "preferredsurname",
        "legalsurname",
        "surname",
        "lastname",
        "familyname",
    ),
    "year": ("year", "yeargroup", "ncyear", "ncyearactual", "curriculumyear"),
    "form": (
        "reg",
        "reggroup",
        "registrationgroup",
        "form",
        "formgroup",
        "tutorgroup",
        "class",
    ),
}

STAFF_COLUMNS: dict[str, tuple[str, ...]] = {
    "name": ("name", "fullname", "staffname", "displayname", "preferredname"),
    "title": ("title", "salutation"),
    "forename": ("forename", "firstname", "givenname", "legalforename", "preferredforename"),
    "surname": ("surname", "lastname", "familyname", "legalsurname", "preferredsurname"),
    "job_title": ("jobtitle", "role", "position", "post", "job", "staffrole"),
    "initials": ("initials", "staffcode", "code", "teachercode", "shortname"),
    "pigeonhole": ("pigeonhole", "pigeonholenumber", "pigeonholeno", "tray", "mailbox"),
    "email": ("email", "emailaddress", "workemail", "schoolemail", "mail"),
    "extension": ("extension", "ext", "phoneextension", "telephoneextension", "internalphone"),
    "mobile": ("mobile", "mobilenumber", "workmobile", "mobilephone"),
}

CONTACT_COLUMNS: dict[str, tuple[str, ...]] = {
    "upn": ("upn", "uniquepupilnumber", "pupilupn"),
    "name": (
        "contactname",
        "parentname",
        "carername",
        "parentcarername",
        "contactfullname",
        "fullname",
        "name",
    ),
    "forename": ("contactforename", "contactfirstname", "parentforename", "forename"),
    "surname": ("contactsurname", "contactlastname", "parentsurname", "surname"),
    "relationship": ("relationship", "relation", "relationshiptopupil", "contactrelationship"),
    "phone": (
        "phone",
        "telephone",
        "mobile",
        "mobilephone",
        "contactphone",
        "contacttelephone",
        "phonenumber",
        "telephonenumber",
        "homephone",
    ),
    "email": ("email", "emailaddress", "contactemail"),
    "may_collect": (
        "maycollect",
        "cancollect",
        "collect",
        "allowedtocollect",
        "authorisedtocollect",
        "authorizedtocollect",
        "parentalresponsibility",
    ),
}
