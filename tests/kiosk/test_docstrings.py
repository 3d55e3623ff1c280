"""Every public function of the core says what it does, takes, returns and raises.

CONVENTIONS.md asks that public docstrings give shapes, units (seconds or milliseconds,
UTC or school local time), errors (which `KioskError` subclass, and when) and the source of
a rule. A test cannot judge the words, but it can make sure the words are there: this walks
every module of `kiosk` with `ast` (no import, so nothing runs) and lists each public
module-level function and each public method of a public class that has no docstring.

What counts as public, and what is exempt:
- a name without a leading underscore, in a module whose path has no part with one;
- methods of public classes only (a private class is a detail of its module);
- dunder methods are exempt (their meaning is Python's), and so are methods that implement
  a protocol named in `PROTOCOL_METHODS` or marked `@override` (their meaning is the
  framework's or the base class's) and `@overload` stubs (the implementation carries the
  docstring);
- a `@property` whose body is a single `return` line is exempt: its name says it all.
  A longer property explains itself like any other method.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

KIOSK = Path(__file__).resolve().parents[2] / "kiosk"

# Alembic revisions follow Alembic's template (upgrade/downgrade): not our API.
SKIPPED_DIRS = {KIOSK / "persistence" / "migrations"}

# Methods whose meaning is set by the framework they plug into, by class base name.
PROTOCOL_METHODS: dict[str, set[str]] = {
    # SQLAlchemy column types: bind and result conversion.
    "TypeDecorator": {
        "process_bind_param",
        "process_result_value",
        "process_literal_param",
        "load_dialect_impl",
        "copy",
        "python_type",
    },
}


def _kiosk_modules() -> Iterator[Path]:
    for path in sorted(KIOSK.rglob("*.py")):
        if any(path.is_relative_to(skipped) for skipped in SKIPPED_DIRS):
            continue
        yield path


def _decorator_names(node: ast.FunctionDef | ast.AsyncFunctionDef) -> set[str]:
    names = set()
    for decorator in node.decorator_list:
        target = decorator.func if isinstance(decorator, ast.Call) else decorator
        if isinstance(target, ast.Name):
            names.add(target.id)
        elif isinstance(target, ast.Attribute):
            names.add(target.attr)
    return names


def _base_names(node: ast.ClassDef) -> set[str]:
    names = set()
    for base in node.bases:
        target = base.value if isinstance(base, ast.Subscript) else base
        if isinstance(target, ast.Name):
            names.add(target.id)
        elif isinstance(target, ast.Attribute):
            names.add(target.attr)
    return names


def _needs_docstring(node: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    if node.name.startswith("_"):
        return False
    decorators = _decorator_names(node)
    if "overload" in decorators or "override" in decorators:
        return False
    if "property" in decorators or "cached_property" in decorators:
        body = node.body
        if len(body) == 1 and isinstance(body[0], ast.Return):
            return False
    return ast.get_docstring(node) is None


def _undocumented_in(source: str, relative: str) -> Iterator[str]:
    """Yield "relative:line name()" for each public function in `source` lacking a docstring."""
    tree = ast.parse(source, filename=relative)
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            if _needs_docstring(node):
                yield f"{relative}:{node.lineno} {node.name}()"
        elif isinstance(node, ast.ClassDef) and not node.name.startswith("_"):
            protocol = set().union(
                *(PROTOCOL_METHODS.get(base, set()) for base in _base_names(node))
            )
            for member in node.body:
                if (
                    isinstance(member, ast.FunctionDef | ast.AsyncFunctionDef)
                    and member.name not in protocol
                    and _needs_docstring(member)
                ):
                    yield f"{relative}:{member.lineno} {node.name}.{member.name}()"


def undocumented_public_functions() -> list[str]:
    """List public functions and methods of `kiosk` without a docstring.

    Returns "kiosk/path.py:line name()" strings in path and line order, leaving out
    modules under a private name.
    """
    missing: list[str] = []
    for path in _kiosk_modules():
        relative = path.relative_to(KIOSK.parent).as_posix()
        parts = path.relative_to(KIOSK).with_suffix("").parts
        if any(part.startswith("_") and part != "__init__" for part in parts):
            continue
        source = path.read_text(encoding="utf-8")
        missing.extend(_undocumented_in(source, relative))
    return missing


def test_every_public_function_of_the_core_has_a_docstring() -> None:
    missing = undocumented_public_functions()
    assert not missing, "public functions without a docstring:\n" + "\n".join(missing)


def test_a_function_without_a_docstring_is_reported() -> None:
    source = (
        "def bare():\n    pass\n\n"
        "def told():\n    'Says.'\n\n"
        "def _private():\n    pass\n\n"
        "class Row:\n"
        "    def __init__(self):\n        pass\n"
        "    @property\n    def name(self):\n        return 1\n"
        "    @property\n    def label(self):\n        x = 1\n        return x\n"
        "    def method(self):\n        pass\n"
        "    @override\n    def claim_scan(self, code):\n        return False\n\n"
        "class Column(TypeDecorator):\n"
        "    def process_bind_param(self, value, dialect):\n        return value\n\n"
        "class _Hidden:\n"
        "    def method(self):\n        pass\n"
    )
    found = [entry.split(" ", 1)[1] for entry in _undocumented_in(source, "sample.py")]
    assert found == ["bare()", "Row.label()", "Row.method()"]
