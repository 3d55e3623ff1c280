"""Visitor categories and the default phone-rules texts in ``resources/policies/``.

Each category has one file, ``resources/policies/<id>.md``: a small header (``version:``
and ``title:`` lines), a line of three dashes, then the text in plain paragraphs. The school
may edit these files (raising the version) or write new versions in the desk window; the
database keeps every version anyone has acknowledged. This loader is Qt-free and works in a
PyInstaller bundle through :func:`kiosk.resources.resource_path`.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from kiosk.resources import resource_path


@dataclass(frozen=True, slots=True)
class Category:
    """A kind of adult who signs in, with the look of their badge."""

    id: str
    label: str
    # Badge band colour (hex), chosen to tell categories apart at a glance.
    colour: str
    # The receptionist checks ID and DBS assurance before an unescorted badge is given.
    needs_checks: bool


CATEGORIES: tuple[Category, ...] = (
    Category("parent_carer", "Parent or carer", "#2e7d32", needs_checks=False),
    Category("visitor", "Visitor", "#1565c0", needs_checks=False),
    Category("contractor", "Contractor", "#e65100", needs_checks=True),
    Category("governor", "Governor or trustee", "#6a1b9a", needs_checks=True),
    Category("officer", "Local authority or health officer", "#00838f", needs_checks=True),
    Category("supply_staff", "Supply staff", "#ad1457", needs_checks=True),
    Category("student_placement", "Student on placement", "#5d4037", needs_checks=True),
    Category("volunteer", "Volunteer", "#827717", needs_checks=True),
)
_BY_ID = {category.id: category for category in CATEGORIES}


@dataclass(frozen=True, slots=True)
class PolicyText:
    """One version of the rules for one category."""

    category: str
    version: int
    title: str
    body: str

    @property
    def paragraphs(self) -> list[str]:
        return [part.strip() for part in self.body.split("\n\n") if part.strip()]


def category(category_id: str) -> Category:
    """The category with this id; ``KeyError`` for one that does not exist."""
    return _BY_ID[category_id]


def is_category(category_id: str) -> bool:
    """Whether ``category_id`` names a visitor category (no error for an unknown one)."""
    return category_id in _BY_ID


def parse_policy(category_id: str, text: str) -> PolicyText:
    """Read a policy file's text: header lines, ``---``, then the body.

    Returns the ``PolicyText``; the title falls back to the category's label. Raises
    ``ValueError`` when the ``---`` line is missing or the version is not a number of 1 or
    more, and ``KeyError`` for an unknown ``category_id`` when the title must fall back.
    """
    header, separator, body = text.replace("\r\n", "\n").partition("\n---\n")
    if not separator:
        raise ValueError(f"The policy file for {category_id} has no '---' line after its header.")
    fields: dict[str, str] = {}
    for line in header.splitlines():
        name, colon, value = line.partition(":")
        if colon:
            fields[name.strip().lower()] = value.strip()
    try:
        version = int(fields.get("version", ""))
    except ValueError:
        raise ValueError(
            f"The policy file for {category_id} needs a 'version: <number>' line."
        ) from None
    if version < 1:
        raise ValueError(f"The policy file for {category_id} needs a version of 1 or more.")
    title = fields.get("title") or category(category_id).label
    return PolicyText(category=category_id, version=version, title=title, body=body.strip())


@cache
def default_policy(category_id: str) -> PolicyText:
    """The text shipped in ``resources/policies/`` for a category (read once).

    Raises ``KeyError`` for an unknown category, ``FileNotFoundError`` when the file is
    missing from the build, ``ValueError`` when it cannot be parsed (see ``parse_policy``).
    """
    category(category_id)  # refuse unknown ids before touching the disk
    path = resource_path("policies", f"{category_id}.md")
    return parse_policy(category_id, path.read_text(encoding="utf-8"))
