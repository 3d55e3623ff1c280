"""The ``kiosk`` command line: set-up, imports, card printing, scanning, reports, backups,
audit log verification.

Every command takes ``--db URL`` (or ``KIOSK_DATABASE_URL``), or ``--demo`` for the demo
school; without one it uses ``kiosk.db`` in the user data folder, the database the desk
opens. Only ``init`` and ``demo`` create a database: any other command on one that does not
exist says where it looked and what to run. A refusal or an expected fault (the database busy or
unreachable, a full disk, a read-only or missing file or folder) is one line on standard
error and an exit status of its own (:data:`EXIT_STATUS_HELP`, shown by ``kiosk --help``),
never a traceback; ``kiosk --debug COMMAND`` adds the traceback.
"""

from __future__ import annotations

import argparse
import json
import sys
import traceback
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from sqlalchemy.exc import SQLAlchemyError

from kiosk import __version__
from kiosk.config import resolve_database_url
from kiosk.context import KioskContext
from kiosk.errors import InvalidInput, KioskError, NotFound
from kiosk.faults import EXIT_DATABASE_UNAVAILABLE, EXIT_FILE_SYSTEM, plain_fault
from kiosk.importing.reports import ContactImportReport, ImportReport
from kiosk.rows.people import COMMAND_LINE
from kiosk.startup import open_kiosk

EXIT_DONE = 0
EXIT_REFUSED = 1  # refused, not found or not recorded; the reason is on standard error
EXIT_SOME_ROWS_REJECTED = 1  # an import: the rows on standard error were skipped
EXIT_USAGE = 2  # the command line itself was wrong (argparse's own status)
# An import that changed nothing shares argparse's 2 on purpose: in both cases nothing was
# done, and a script need only test "0, 1 or other" after an import.
EXIT_NOTHING_IMPORTED = 2
EXIT_UNEXPECTED = 5  # a fault nobody foresaw: one line here, the traceback with --debug
IMPORT_COMMANDS = frozenset({"import-pupils", "import-staff", "import-contacts"})
EXIT_STATUS_HELP = f"""\
exit status:
  {EXIT_DONE}  done
  {EXIT_REFUSED}  refused, not found or not recorded: nothing was changed, and the reason is
     the one line on standard error (a card or badge not accepted, a visit not on
     record); for an import: some rows were rejected (listed by line on standard
     error) and the rest were imported
  {EXIT_USAGE}  the command line itself was wrong; for an import: nothing was imported
     (file missing or unreadable, no header or a needed column missing, every row
     rejected)
  {EXIT_DATABASE_UNAVAILABLE}  the database is busy (another desk or program is writing to it) or
     cannot be reached (server stopped, wrong host or port, sign-in refused):
     nothing was recorded; wait, or check --db, and try again
  {EXIT_FILE_SYSTEM}  a file or folder could not be used: disk full, read-only file or folder,
     missing folder or file, not allowed for this account
  {EXIT_UNEXPECTED}  an unexpected error: run again with --debug and report the traceback
  6  kiosk audit verify only: the audit log does not fit its hash chain
"""


def _open(args: argparse.Namespace) -> KioskContext:
    """The database the command names (``--db``, ``--demo``, ``KIOSK_DATABASE_URL`` or the
    data folder's), opened only if it exists: see :func:`require_existing_database`."""
    url = resolve_database_url(args.db, demo=getattr(args, "demo", False))
    return open_kiosk(url, must_exist=True)


def cmd_init(args: argparse.Namespace) -> int:
    """``kiosk init``: create or upgrade the database and card key; name the school."""
    from kiosk.services.school import get_school, update_school

    url = resolve_database_url(args.db, demo=args.demo)
    ctx = open_kiosk(url, school_name=args.school_name)
    try:
        school = get_school(ctx)
        if args.school_name and school.name != args.school_name.strip():
            school = update_school(ctx, COMMAND_LINE, name=args.school_name)
        print(f"Database ready: {_safe_url(url)}")
        print(f"School: {school.name} (card code {school.card_code})")
        print(f"Card key file: {ctx.key_path} (back it up with the database)")
    finally:
        ctx.close()
    return 0


def _safe_url(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


def cmd_demo(args: argparse.Namespace) -> int:
    """``kiosk demo``: build (or with ``--reset`` rebuild) the demo school's database."""
    from kiosk.demo.school import build_demo_school

    url = resolve_database_url(args.db, demo=True)
    summary = build_demo_school(url, reset=args.reset)
    print(summary)
    if not args.db:
        print(
            'Open it with "kiosk-desk --demo"; on the command line, put --demo before the '
            'command (for example "kiosk --demo cards --out cards.pdf").'
        )
    return 0


def _report_import(report: ImportReport | ContactImportReport) -> int:
    """Print an import's problems by line (standard error) and its summary (standard
    output). Returns ``EXIT_DONE`` when every row was accepted, ``EXIT_SOME_ROWS_REJECTED``
    when some were rejected and the rest imported, ``EXIT_NOTHING_IMPORTED`` when no row was
    accepted (every row rejected, or none in the file)."""
    for problem in report.problems:
        print(f"line {problem.line}: {problem.reason}", file=sys.stderr)
    print(report.summary())
    if report.accepted == 0:
        return EXIT_NOTHING_IMPORTED
    return EXIT_SOME_ROWS_REJECTED if report.rejected else EXIT_DONE


def cmd_import_pupils(args: argparse.Namespace) -> int:
    """``kiosk import-pupils``: import pupils from the MIS's CSV; problems go to stderr."""
    from kiosk.importing.pupils import import_pupils_file

    ctx = _open(args)
    try:
        report = import_pupils_file(
            ctx, COMMAND_LINE, Path(args.file), mark_leavers=args.mark_leavers
        )
    finally:
        ctx.close()
    return _report_import(report)


def cmd_import_contacts(args: argparse.Namespace) -> int:
    """``kiosk import-contacts``: import parents and carers from a CSV; problems to stderr."""
    from kiosk.importing.contacts import import_contacts_file

    ctx = _open(args)
    try:
        report = import_contacts_file(ctx, COMMAND_LINE, Path(args.file))
    finally:
        ctx.close()
    return _report_import(report)


def cmd_cards(args: argparse.Namespace) -> int:
    """``kiosk cards``: write pupils' QR cards to a PDF; refused when no pupil matches."""
    from kiosk.printing.fonts import check_printable
    from kiosk.services.pupils import pupils_for_cards, write_cards_pdf

    ctx = _open(args)
    try:
        pupils = pupils_for_cards(ctx, year=args.year, form=args.form)
        if not pupils:
            raise KioskError("No pupils on roll match; no cards printed.")
        # A name the printer's fonts cannot show is refused before anything is drawn.
        for pupil in pupils:
            check_printable(pupil.name, f"No cards printed. The name {pupil.name}")
        count = write_cards_pdf(ctx, pupils, Path(args.out))
    finally:
        ctx.close()
    print(f"{count} card{'' if count == 1 else 's'} written to {args.out}")
    return 0


def cmd_scan(args: argparse.Namespace) -> int:
    """Act on a code as the kiosk would: a pupil's card hands in or collects, a visitor's
    badge signs them out. Prints the kiosk's one line; a refusal goes to standard error
    (exit 1; a busy or unreachable database exits as its fault says, 3)."""
    from kiosk.scanning.service import act_on_scan

    ctx = _open(args)
    try:
        result = act_on_scan(ctx, args.payload)
    finally:
        ctx.close()
    if result.refused:
        print(result.message.one_line, file=sys.stderr)
        return result.fault.exit_code if result.fault is not None else EXIT_REFUSED
    print(result.message.one_line)
    return EXIT_DONE


def cmd_held(args: argparse.Namespace) -> int:
    """``kiosk held``: list the phones held now (``--json``: times in school time, ISO 8601)."""
    from kiosk.services.custody import held_phones

    ctx = _open(args)
    try:
        held = held_phones(ctx)
    finally:
        ctx.close()
    if args.json:
        rows = [
            {
                "upn": h.pupil.upn,
                "id_scheme": h.pupil.id_scheme,
                "identifier": h.pupil.identifier or h.pupil.upn,
                "name": h.pupil.name,
                "year": h.pupil.year_group,
                "form": h.pupil.form,
                "receptacle": h.receptacle,
                "slot": h.slot,
                "location": h.place,
                "since": h.since.astimezone(ctx.timezone).isoformat(),
                "no_permission": h.no_permission,
            }
            for h in held
        ]
        json.dump(rows, sys.stdout, ensure_ascii=False, indent=2)
        print()
        return 0
    if not held:
        print("No phones are held.")
        return 0
    for h in held:
        since = h.since.astimezone(ctx.timezone).strftime("%a %d %b %H:%M")
        flag = "  (no permission on file)" if h.no_permission else ""
        print(f"{h.place:<28} {h.pupil.name} ({h.pupil.form})  since {since}{flag}")
    print(f"{len(held)} phone(s) held.")
    return 0


def cmd_on_site(args: argparse.Namespace) -> int:
    """Everyone signed in as a visitor now, earliest arrival first; ``--json`` gives a list
    of objects (visit_id, name, organisation, category, host, since: ISO 8601 in the
    school's time with its offset)."""
    from kiosk.services.visitors import on_site

    ctx = _open(args)
    try:
        visits = on_site(ctx)
    finally:
        ctx.close()
    if args.json:
        rows = [
            {
                "visit_id": v.id,
                "name": v.name,
                "organisation": v.organisation,
                "category": v.category_label,
                "host": v.host_name,
                "since": v.signed_in_at.astimezone(ctx.timezone).isoformat(),
            }
            for v in visits
        ]
        json.dump(rows, sys.stdout, ensure_ascii=False, indent=2)
        print()
        return EXIT_DONE
    if not visits:
        print("Nobody is signed in as a visitor.")
        return EXIT_DONE
    for v in visits:
        since = v.signed_in_at.astimezone(ctx.timezone).strftime("%a %d %b %H:%M")
        who = f"{v.name} ({v.organisation})" if v.organisation else v.name
        host = f", visiting {v.host_name}" if v.host_name else ""
        print(f"{v.id:>6}  {who} · {v.category_label}{host}  since {since}")
    print(f"{len(visits)} visitor(s) on site.")
    return EXIT_DONE


def cmd_badge(args: argparse.Namespace) -> int:
    """Reprint a visitor's badge (lost or jammed) with the code the kiosk printed, so the
    badge still signs them out. Refuses a visit not on record or already signed out."""
    from kiosk.printing.badges import PAGE_SIZES
    from kiosk.printing.fonts import check_printable
    from kiosk.rows.visitors import SignedIn
    from kiosk.services.visitors import badge_code, badge_pdf, get_visit

    if args.size is not None and args.size not in PAGE_SIZES:
        raise InvalidInput(f"Choose a badge size of {' or '.join(PAGE_SIZES)}.")
    ctx = _open(args)
    try:
        try:
            visit = get_visit(ctx, args.visit_id)
        except NotFound:
            raise NotFound(f"Visit {args.visit_id} is not on record; no badge written.") from None
        if not visit.on_site:
            raise NotFound(
                f"Visit {args.visit_id} ({visit.name}) has been signed out; no badge written."
            )
        check_printable(visit.name, "No badge written. The name")
        check_printable(visit.organisation, "No badge written. The organisation")
        check_printable(visit.host_name, "No badge written. The name of whom they visit")
        pdf = badge_pdf(ctx, SignedIn(visit=visit, badge_code=badge_code(ctx, visit)), args.size)
    finally:
        ctx.close()
    Path(args.out).write_bytes(pdf)
    print(f"Badge for {visit.name} (visit {visit.id}) written to {args.out}")
    return EXIT_DONE


def cmd_backup(args: argparse.Namespace) -> int:
    """``kiosk backup``: copy the database while the app runs, with the card key beside it."""
    from kiosk.persistence.backup import backup_database, backup_key_path

    ctx = _open(args)
    try:
        written = backup_database(ctx, Path(args.out))
    finally:
        ctx.close()
    print(f"Backup written to {written}")
    print(f"Card key copied to {backup_key_path(written)}: keep the two together, and safe.")
    return 0


# ``kiosk audit verify`` only: the log was walked and does not fit its hash chain.
EXIT_AUDIT_BROKEN = 6  # apart from 3-5, which every command may give for a fault
AUDIT_EXIT_STATUS_HELP = f"""\
exit status:
  {EXIT_DONE}  the audit log is intact (one line: how many entries, from when to when, and
     the latest hash, worth keeping elsewhere)
  {EXIT_USAGE}  the command line itself was wrong
  {EXIT_DATABASE_UNAVAILABLE}  the database is busy or cannot be reached
  {EXIT_FILE_SYSTEM}  a file or folder could not be used
  {EXIT_UNEXPECTED}  an unexpected error: run again with --debug
  {EXIT_AUDIT_BROKEN}  the audit log does not fit its hash chain: standard error names the first
     entry that does not fit and how (edited, replaced, missing, reordered)
"""


def cmd_audit_verify(args: argparse.Namespace) -> int:
    """``kiosk audit verify``: walk the audit log's hash chain; exit 0 when intact, else
    :data:`EXIT_AUDIT_BROKEN` naming the first entry that does not fit."""
    from kiosk.services.audit import verify_audit_chain

    ctx = _open(args)
    try:
        result = verify_audit_chain(ctx, expected_hash=args.expect)
        timezone = ctx.timezone
    finally:
        ctx.close()
    if not result.intact:
        fault = result.fault.value if result.fault else "broken"
        where = "" if result.broken_entry_id is None else f" at entry {result.broken_entry_id}"
        print(
            f"Audit log broken{where} ({fault}): {result.explanation} "
            f"{result.entries:,} entr{'y' if result.entries == 1 else 'ies'} before it fit.",
            file=sys.stderr,
        )
        return EXIT_AUDIT_BROKEN
    if result.first_at is None or result.last_at is None:
        print("Audit log intact: no entries yet.")
        return EXIT_DONE
    first = result.first_at.astimezone(timezone).strftime("%d %b %Y %H:%M")
    last = result.last_at.astimezone(timezone).strftime("%d %b %Y %H:%M")
    print(
        f"Audit log intact: {result.entries:,} entr{'y' if result.entries == 1 else 'ies'} "
        f"from {first} to {last} (school time); latest hash {result.latest_hash}"
    )
    return EXIT_DONE


def cmd_import_staff(args: argparse.Namespace) -> int:
    """``kiosk import-staff``: import the staff directory from a CSV; problems to stderr."""
    from kiosk.importing.staff import import_staff_file

    ctx = _open(args)
    try:
        report = import_staff_file(ctx, COMMAND_LINE, Path(args.file))
    finally:
        ctx.close()
    return _report_import(report)


def cmd_pad(args: argparse.Namespace) -> int:
    """``kiosk pad``: write a PDF pad of blank telephone message slips (1 to 500 pages)."""
    from kiosk.printing.message_slips import write_pad_pdf

    if not 1 <= args.pages <= 500:
        raise KioskError("Choose between 1 and 500 pages.")
    ctx = _open(args)
    try:
        from kiosk.services.school import get_school

        school_name = get_school(ctx).name
    finally:
        ctx.close()
    slips = write_pad_pdf(Path(args.out), pages=args.pages, school_name=school_name)
    print(f"{args.pages} page(s), {slips} blank message slips, written to {args.out}")
    return 0


def cmd_roll_call(args: argparse.Namespace) -> int:
    """``kiosk roll-call``: write everyone signed in as a visitor now to a PDF."""
    from kiosk.printing.roll_call import write_roll_call_pdf
    from kiosk.services.visitors import roll_call

    ctx = _open(args)
    try:
        roll = roll_call(ctx)
        write_roll_call_pdf(roll, ctx.timezone, Path(args.out))
    finally:
        ctx.close()
    print(f"Roll call of {roll.total} visitor(s) on site written to {args.out}")
    return 0


def cmd_purge_visitors(args: argparse.Namespace) -> int:
    """``kiosk purge-visitors``: remove visitors' details past the retention period."""
    from kiosk.services.visitor_retention import purge_visitors

    ctx = _open(args)
    try:
        report = purge_visitors(ctx, COMMAND_LINE, dry_run=args.dry_run)
    finally:
        ctx.close()
    cutoff = report.cutoff.astimezone(ctx.timezone)
    verb = "would remove" if report.dry_run else "removed"
    for name, organisation, last in report.visitors_removed:
        print(f"{last.isoformat()}  {name}" + (f" ({organisation})" if organisation else ""))
    print(
        f"Visits before {cutoff:%d %b %Y}: {verb} {report.visits} visit(s), "
        f"{report.visitors} visitor(s) and {report.acknowledgements} signature(s)."
        + (" Nothing was changed (dry run)." if report.dry_run else " Daily counts are kept.")
    )
    return 0


# `kiosk export KIND --from DATE --to DATE --out FILE.csv`: each kind names a function
# ``(ctx, start: date, end: date, out: Path) -> int`` (rows written) in its own module.
EXPORTS: dict[str, str] = {
    "custody": "kiosk.exports.custody:export_custody",
    "calls": "kiosk.exports.calls:export_calls",
    "visitors": "kiosk.exports.visitors:export_visitors",
}


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date like 2026-11-24") from None


def cmd_export(args: argparse.Namespace) -> int:
    """``kiosk export``: write one kind of record between two school dates to CSV."""
    import importlib

    if args.end < args.start:
        raise KioskError("The --to date is before the --from date; nothing exported.")
    module_name, function_name = EXPORTS[args.kind].split(":")
    export = getattr(importlib.import_module(module_name), function_name)
    ctx = _open(args)
    try:
        count = export(ctx, args.start, args.end, Path(args.out))
    finally:
        ctx.close()
    print(f"{count} row{'' if count == 1 else 's'} written to {args.out}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The ``kiosk`` argument parser; each sub-command sets ``func`` to its ``cmd_*``."""
    parser = argparse.ArgumentParser(
        prog="kiosk",
        description="Reception Kiosk: the school office's phone and visitor desk.",
        epilog=EXIT_STATUS_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument(
        "--db",
        metavar="URL",
        help="database URL (default: KIOSK_DATABASE_URL, else kiosk.db in the user data "
        "folder: the same database kiosk-desk opens)",
    )
    parser.add_argument(
        "--demo",
        action="store_true",
        help="use the demo school's database, the one kiosk-desk --demo opens",
    )
    parser.add_argument(
        "--debug", action="store_true", help="show the traceback behind an error message"
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("init", help="create or upgrade the database and the card key")
    p.add_argument("--school-name", help="the school's name, printed on cards")
    p.set_defaults(func=cmd_init)

    p = sub.add_parser("demo", help="build the demo school (3 receptacles, ~300 pupils)")
    p.add_argument("--reset", action="store_true", help="start the demo database again")
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser("import-pupils", help="import pupils from the MIS's CSV export")
    p.add_argument("file", help="CSV file (UTF-8 or Windows-1252)")
    p.add_argument(
        "--mark-leavers",
        action="store_true",
        help="this is a full export: mark pupils missing from it as left",
    )
    p.set_defaults(func=cmd_import_pupils)

    p = sub.add_parser("import-contacts", help="import parents and carers from a CSV export")
    p.add_argument(
        "file",
        help="CSV file: UPN (or admission number), contact name, relationship, phone, may collect",
    )
    p.set_defaults(func=cmd_import_contacts)

    p = sub.add_parser("cards", help="print pupils' QR cards to a PDF (A4, 10 a page)")
    p.add_argument("--out", required=True, help="PDF file to write")
    p.add_argument("--year", help="only this year group")
    p.add_argument("--form", help="only this form")
    p.set_defaults(func=cmd_cards)

    p = sub.add_parser(
        "scan",
        help="act on a pupil's card or a visitor's badge as if it was scanned at the kiosk",
        epilog=EXIT_STATUS_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("payload", help="the text the scanner reads from the card or badge")
    p.set_defaults(func=cmd_scan)

    p = sub.add_parser("held", help="list the phones held now")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(func=cmd_held)

    if EXPORTS:
        p = sub.add_parser("export", help="export records between two dates to CSV")
        p.add_argument("kind", choices=sorted(EXPORTS), help="what to export")
        p.add_argument("--from", dest="start", type=_date, required=True, metavar="DATE")
        p.add_argument("--to", dest="end", type=_date, required=True, metavar="DATE")
        p.add_argument("--out", required=True, help="CSV file to write")
        p.set_defaults(func=cmd_export)

    p = sub.add_parser("import-staff", help="import the staff directory from a CSV file")
    p.add_argument("file", help="CSV file (UTF-8 or Windows-1252)")
    p.set_defaults(func=cmd_import_staff)

    p = sub.add_parser("pad", help="print a pad of blank telephone message slips (PDF)")
    p.add_argument("--out", required=True, help="PDF file to write")
    p.add_argument("--pages", type=int, default=10, help="A4 pages, four slips each")
    p.set_defaults(func=cmd_pad)

    p = sub.add_parser("on-site", help="list the visitors signed in now")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(func=cmd_on_site)

    p = sub.add_parser(
        "badge",
        help="reprint a visitor's badge (lost or jammed) with the same sign-out code",
        epilog=EXIT_STATUS_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("visit_id", type=int, metavar="VISIT_ID", help="the visit's number")
    p.add_argument("--out", required=True, help="PDF file to write")
    p.add_argument(
        "--size",
        help="a6 (card) or label62 (62 mm label); default: the size set in Settings",
    )
    p.set_defaults(func=cmd_badge)

    p = sub.add_parser("roll-call", help="print everyone signed in as a visitor to a PDF")
    p.add_argument("--out", required=True, help="PDF file to write")
    p.set_defaults(func=cmd_roll_call)

    p = sub.add_parser(
        "purge-visitors", help="remove visitors' details older than the retention period"
    )
    p.add_argument("--dry-run", action="store_true", help="only list what would be removed")
    p.set_defaults(func=cmd_purge_visitors)

    p = sub.add_parser("audit", help="check the audit log")
    audit = p.add_subparsers(dest="audit_command", required=True, metavar="ACTION")
    p = audit.add_parser(
        "verify",
        help="prove the audit log's hash chain intact, or name the first entry that is not",
        epilog=AUDIT_EXIT_STATUS_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    # SUPPRESS: without a value here, the --db given before the command stands.
    p.add_argument("--db", metavar="URL", default=argparse.SUPPRESS, help="database URL")
    p.add_argument(
        "--expect",
        metavar="HASH",
        help="a latest hash kept elsewhere (end-of-day report, backup): it must still be there",
    )
    p.set_defaults(func=cmd_audit_verify)

    p = sub.add_parser("backup", help="copy the database safely while the app runs")
    p.add_argument("--out", required=True, help="backup file to write")
    p.set_defaults(func=cmd_backup)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one ``kiosk`` command from ``argv`` (default: ``sys.argv[1:]``); return the exit status.

    Every error becomes one line on standard error, never a traceback (``--debug`` prints
    the traceback first): a ``KioskError`` is a refusal (``EXIT_REFUSED``, or
    ``EXIT_NOTHING_IMPORTED`` for an import); an expected fault, as :func:`plain_fault`
    names it, exits ``EXIT_DATABASE_UNAVAILABLE`` or ``EXIT_FILE_SYSTEM``; any other
    database error, ``OSError`` or ``ValueError`` is ``EXIT_REFUSED``; anything else
    ``EXIT_UNEXPECTED``. A wrong command line exits with 2 through argparse's ``SystemExit``.
    See :data:`EXIT_STATUS_HELP`.
    """
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args))
    except Exception as exc:
        if args.debug:
            traceback.print_exception(exc, file=sys.stderr)
        message, status = _plain_error(exc, importing=args.command in IMPORT_COMMANDS)
        print(message, file=sys.stderr)
        return status


def _plain_error(exc: Exception, *, importing: bool) -> tuple[str, int]:
    """The one line and the exit status for an error that ended a command."""
    if isinstance(exc, KioskError):
        return exc.message, EXIT_NOTHING_IMPORTED if importing else EXIT_REFUSED
    fault = plain_fault(exc)
    if fault is not None:
        return fault.message, fault.exit_code
    if isinstance(exc, SQLAlchemyError):
        # The driver's own text can run to several lines; its first says what went wrong.
        reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
        return (
            f"Could not finish: the database could not be used. Check --db or "
            f"KIOSK_DATABASE_URL, and that the server is running. ({reason})"
        ), EXIT_REFUSED
    if isinstance(exc, (OSError, ValueError)):
        return f"Could not finish: {exc}", EXIT_REFUSED
    first = (str(exc).strip().splitlines() or [""])[0]
    return (
        f"Could not finish because of an unexpected error ({type(exc).__name__}: {first}). "
        "Run the command again with --debug and report what it prints."
    ), EXIT_UNEXPECTED


if __name__ == "__main__":
    sys.exit(main())
