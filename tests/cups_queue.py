"""A real print queue for tests: CUPS with a cups-pdf printer that writes each job to a
PDF file in a folder of the test's choosing.

:func:`start_pdf_queue` starts the CUPS scheduler when it is not running (and stops it again
afterwards), adds a cups-pdf queue whose output goes to ``out_dir``, and removes the queue
when done. Where that cannot be done (CUPS or cups-pdf not installed, or not running and
this user may not start it) it raises :class:`CupsUnavailable` saying why, and the tests
skip with that reason. ``.ci/run`` installs Debian's ``cups`` and
``printer-driver-cups-pdf``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

CUPS_CONFIG = Path("/etc/cups")
CUPS_PDF_BACKEND = Path("/usr/lib/cups/backend/cups-pdf")
CUPS_PDF_MODEL = "lsb/usr/cups-pdf/CUPS-PDF_opt.ppd"
INSTALL_HINT = "on Debian or Ubuntu: apt-get install cups printer-driver-cups-pdf"
SCHEDULER_START_S = 15


class CupsUnavailable(Exception):
    """No real print queue can be set up here; the message says why."""


@dataclass(frozen=True)
class PdfQueue:
    """A CUPS queue that turns every job into a PDF file in ``out_dir``."""

    name: str
    out_dir: Path

    def printed_files(self) -> set[Path]:
        return set(self.out_dir.glob("*.pdf"))

    def wait_for_new_pdf(self, before: set[Path], timeout_s: float = 90) -> Path:
        """The PDF of the next finished job: cups-pdf writes it, then the queue goes idle."""
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            new = self.printed_files() - before
            if new and self._idle():
                (path,) = new
                return path
            time.sleep(0.25)
        raise TimeoutError(
            f"No PDF arrived from the queue {self.name} within {timeout_s:.0f} s; "
            f"see /var/log/cups/error_log and /var/log/cups/cups-pdf-{self.name}_log"
        )

    def _idle(self) -> bool:
        jobs = subprocess.run(
            ["lpstat", "-o", self.name], capture_output=True, text=True, check=False
        )
        return jobs.stdout.strip() == ""


def _tool(name: str) -> str:
    found = shutil.which(name) or shutil.which(name, path="/usr/sbin:/usr/bin:/sbin:/bin")
    if found is None:
        raise CupsUnavailable(f"CUPS is not installed ({name} not found; {INSTALL_HINT})")
    return found


def _scheduler_running() -> bool:
    answer = subprocess.run(
        [_tool("lpstat"), "-r"], capture_output=True, text=True, check=False
    ).stdout
    return "scheduler is running" in answer


@contextmanager
def _scheduler() -> Iterator[None]:
    """CUPS running for the duration: the one already running, or one started here."""
    cupsd = _tool("cupsd")
    if _scheduler_running():
        yield
        return
    if os.geteuid() != 0:
        raise CupsUnavailable("CUPS is installed but not running, and only root can start it")
    process = subprocess.Popen([cupsd, "-f"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + SCHEDULER_START_S
        while not _scheduler_running():
            if process.poll() is not None or time.monotonic() > deadline:
                raise CupsUnavailable(
                    f"the CUPS scheduler did not start (exit {process.poll()}); "
                    "see /var/log/cups/error_log"
                )
            time.sleep(0.2)
        yield
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


@contextmanager
def start_pdf_queue(name: str, out_dir: Path) -> Iterator[PdfQueue]:
    """A cups-pdf queue called ``name`` writing into ``out_dir``; removed afterwards."""
    if not CUPS_PDF_BACKEND.exists():
        raise CupsUnavailable(f"the cups-pdf printer driver is not installed ({INSTALL_HINT})")
    lpadmin = _tool("lpadmin")
    if os.geteuid() != 0:
        raise CupsUnavailable("adding a print queue needs root (lpadmin and /etc/cups)")
    with _scheduler():
        out_dir.mkdir(parents=True, exist_ok=True)
        out_dir.chmod(0o1777)  # cups-pdf writes as the user who sent the job
        # cups-pdf reads cups-pdf-<name>.conf for a device URI of cups-pdf:/<name>.
        config = CUPS_CONFIG / f"cups-pdf-{name}.conf"
        config.write_text(f"Out {out_dir}\nLabel 0\nTitlePref 1\n", encoding="utf-8")
        try:
            added = subprocess.run(
                [lpadmin, "-p", name, "-E", "-v", f"cups-pdf:/{name}", "-m", CUPS_PDF_MODEL],
                capture_output=True,
                text=True,
                check=False,
            )
            if added.returncode != 0:
                raise CupsUnavailable(f"lpadmin could not add the queue: {added.stderr.strip()}")
            yield PdfQueue(name, out_dir)
        finally:
            subprocess.run([lpadmin, "-x", name], capture_output=True, check=False)
            config.unlink(missing_ok=True)
