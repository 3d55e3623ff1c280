"""Year groups: the one reading of the many ways an MIS writes a pupil's year, how each is
stored, and the words a school uses for it.

Stored codes follow the DfE's National Curriculum year codes (the school census code set
for "NC year actual"), with Scotland's stages beside them:

=========  =====================  ===========================================================
stored     shown as               read from (case, spaces, dots and underscores ignored)
=========  =====================  ===========================================================
``E1``     Early years 1          E1, Early years 1
``E2``     Early years 2          E2, Early years 2
``N1``     Nursery 1              N1, Nursery 1, NC year -2
``N2``     Nursery 2              N2, Nursery 2, NC year -1 (the year before Reception)
``N``      Nursery                N, YN, Nursery, Meithrin (Welsh): nursery, year not given
``R``      Reception              R, YR, Year R, Rec, Reception, Derbyn (Welsh), NC year 0
``1``-``14`` Year 1 ... Year 14   1, 07, Y7, Yr 7, Year 7, NC Year 7, Blwyddyn 7 (Welsh)
``P1``-``P7`` Primary 1 ... 7     P1, Primary 1 (Scotland's primary stages)
``S1``-``S6`` S1 ... S6           S1, Secondary 1 (Scotland's secondary stages)
``X``      No NC year             X: the census code for a pupil not following the National
                                  Curriculum (in some special schools)
=========  =====================  ===========================================================

Some MIS products count Reception as year 0 and the year before it as -1; those numbers are
read as above. A hyphen before 1 or 2 is a minus sign ("Year -1"); before another number
it joins the words ("Year-7"), and a bare "-3" is no year. Years 12 to 14 cover post-16 and Northern Ireland's numbering.
"""

from __future__ import annotations

import re

_WORDS = {
    "E1": "E1",
    "EARLYYEARS1": "E1",
    "E2": "E2",
    "EARLYYEARS2": "E2",
    "N1": "N1",
    "NURSERY1": "N1",
    "N2": "N2",
    "NURSERY2": "N2",
    "N": "N",
    "YN": "N",
    "NURSERY": "N",
    "MEITHRIN": "N",
    "R": "R",
    "YR": "R",
    "YEARR": "R",
    "REC": "R",
    "RECEPTION": "R",
    "DERBYN": "R",
    "X": "X",
}
_NEGATIVE = {"-2": "N1", "-1": "N2"}
_NUMBERED = re.compile(r"(NCYEAR|NC|YEAR|YR|Y|BLWYDDYN)?(-?)0*(\d{1,2})")
_SCOTTISH = re.compile(r"(P|PRIMARY|S|SECONDARY)0*(\d)")
_LABELS = {
    "E1": "Early years 1",
    "E2": "Early years 2",
    "N1": "Nursery 1",
    "N2": "Nursery 2",
    "N": "Nursery",
    "R": "Reception",
    "X": "No NC year",
}
# Where each stored code sorts: early years first, then Reception, Years 1-14; Scotland's
# stages after them (a school uses one scheme or the other).
_ORDER = ["E1", "E2", "N1", "N2", "N", "R"] + [str(n) for n in range(1, 15)]
_ORDER += [f"P{n}" for n in range(1, 8)] + [f"S{n}" for n in range(1, 7)] + ["X"]
_RANK = {code: rank for rank, code in enumerate(_ORDER)}


def parse_year(value: str) -> str | None:
    """The stored code for a year written any of the ways in the module table, or None.

    "Year 7", "Y7", "07" and "7" give "7"; "YR" and "Reception" give "R"; "NC Year -1"
    gives "N2"; "P3" gives "P3". Case, spaces, dots and underscores are ignored. Numbered
    years run 1 to 14 (0 is Reception); anything else gives None. Never raises.
    """
    text = value.strip().upper().replace("\u2212", "-").replace("\u2013", "-")
    compact = re.sub(r"[\s._]", "", text)
    if compact in _WORDS:
        return _WORDS[compact]
    numbered = _NUMBERED.fullmatch(compact)
    if numbered is not None:
        words, minus, digits = numbered.groups()
        number = int(digits)
        if minus and f"-{number}" in _NEGATIVE:
            return _NEGATIVE[f"-{number}"]
        if minus and not words:
            return None  # "-3": no year before Nursery 1
        if number == 0 and not minus:
            return "R"
        if 1 <= number <= 14:
            return str(number)
        return None
    compact = compact.replace("-", "")
    if compact in _WORDS:
        return _WORDS[compact]
    scottish = _SCOTTISH.fullmatch(compact)
    if scottish is not None:
        stage, number = scottish.group(1)[0], int(scottish.group(2))
        if (stage == "P" and 1 <= number <= 7) or (stage == "S" and 1 <= number <= 6):
            return f"{stage}{number}"
    return None


def year_label(code: str) -> str:
    """The words for a stored year code: "Year 7", "Reception", "Nursery 2", "Primary 3",
    "S2". A code this module does not know is shown as it is. Never raises."""
    if code.isdigit():
        return f"Year {code}"
    if code in _LABELS:
        return _LABELS[code]
    if code.startswith("P") and code[1:].isdigit():
        return f"Primary {code[1:]}"
    return code


def year_sort_key(code: str) -> tuple[int, str]:
    """A key that puts stored year codes in school order (Early years 1 first, Year 14
    last; Year 10 after Year 9, not before Year 2); unknown codes come last. Never raises."""
    return (_RANK.get(code, len(_ORDER)), code)
