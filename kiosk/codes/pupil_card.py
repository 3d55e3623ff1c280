"""QR card payloads: short, upper-case, scanner-safe, and signed with the install's key.

A pupil card reads, for example, ``P1ABCDAAAEABK7Q2M4XZRT``:

    P1      kind and format version (pupil card, version 1)
    ABCD    the school's card code (4 base32 characters)
    AAAE    the pupil's id (4 base32 characters, 20 bits)
    AB      the card serial (2 base32 characters, 10 bits); a reissued card has a higher one
    K7Q...  the first 50 bits of HMAC-SHA256 over everything before it (10 characters)

Only A-Z and 2-7 follow the prefix, so QR alphanumeric mode keeps the code small (version 2)
and a scanner set to a UK or US keyboard layout types it faithfully. A scanner set to another
layout does not (German swaps Y and Z, French types symbols for digits):
:mod:`kiosk.scanning.keystrokes` recognises that and says what to set. The key lives in a file
outside the database; without it nobody can make a card the kiosk accepts.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
import re
import secrets
from dataclasses import dataclass
from pathlib import Path

from kiosk.errors import KioskError, ScanRejected

PUPIL_PREFIX = "P1"
BASE32_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
_B32 = "[A-Z2-7]"
PUPIL_CARD_RE = re.compile(rf"^P1({_B32}{{4}})({_B32}{{4}})({_B32}{{2}})({_B32}{{10}})$")
PUPIL_CARD_LENGTH = 22
MAX_PUPIL_ID = 32**4 - 1
MAX_SERIAL = 32**2 - 1
KEY_BYTES = 32
# A key file's name ends so; a backup's key copy is named "<backup stem>.card.key".
KEY_FILE_SUFFIX = ".card.key"

NOT_A_CARD = "That was not a Reception Kiosk card. Please scan your pupil card again."
OTHER_SCHOOL = "This card belongs to another school. Please see reception."
NOT_GENUINE = (
    "This card could not be verified: it may have been altered or copied. Please see reception."
)


def encode_int(value: int, width: int) -> str:
    """`value` as exactly `width` base32 characters (A-Z, 2-7), most significant first.

    Raises ValueError when `value` is negative or needs more than `width` characters.
    """
    if value < 0 or value >= 32**width:
        raise ValueError(f"{value} does not fit in {width} base32 characters")
    chars = []
    for _ in range(width):
        chars.append(BASE32_ALPHABET[value % 32])
        value //= 32
    return "".join(reversed(chars))


def decode_int(text: str) -> int:
    """The number written in base32 characters by :func:`encode_int` (most significant
    first); raises ValueError on a character outside A-Z, 2-7 (lower case included)."""
    value = 0
    for ch in text:
        value = value * 32 + BASE32_ALPHABET.index(ch)
    return value


def new_card_code() -> str:
    """A random four-character code that tells one school's cards from another's."""
    return "".join(secrets.choice(BASE32_ALPHABET) for _ in range(4))


@dataclass(frozen=True, slots=True)
class CardKey:
    """The install's secret for signing cards; loaded once at start-up."""

    secret: bytes

    @property
    def fingerprint(self) -> str:
        # 16 hex characters that name the key without revealing it (shown in the settings,
        # compared across desks); the prefix keeps it apart from any other hash of the key.
        return hashlib.sha256(b"reception-kiosk-card-key" + self.secret).hexdigest()[:16]

    def mac(self, message: str, length: int = 10) -> str:
        """The first `length` base32 characters (5 bits each: 10 characters are 50 bits) of
        HMAC-SHA256 of the ASCII `message` under this key. Raises UnicodeEncodeError when
        `message` is not ASCII."""
        digest = hmac.new(self.secret, message.encode("ascii"), hashlib.sha256).digest()
        return base64.b32encode(digest).decode("ascii")[:length]

    @classmethod
    def load_or_create(cls, path: Path) -> CardKey:
        """Read the key file, or make a new random key there if none exists yet.

        Only for a brand-new database: an existing database whose key file is missing must
        use :meth:`load`, which refuses, because a new key would make every card already
        printed fail. A new file is created readable by its owner only (mode 0600, whatever
        the umask), with its folder. Raises :class:`KioskError` naming the file when an
        existing one is damaged (see :meth:`load`), OSError when it cannot be read or
        written (FileExistsError if another process created it in between).
        """
        if path.exists():
            return cls.load(path)
        return cls.create(path)

    @classmethod
    def create(cls, path: Path) -> CardKey:
        """Write a new random key to `path`, which must not exist yet, and return it.

        The file is made readable and writable by its owner only (0600 on POSIX; on Windows
        the user data folder is private to the user), its folder created if needed, and
        flushed to disk before returning. Raises FileExistsError when `path` exists, OSError
        when it cannot be written.
        """
        path.parent.mkdir(parents=True, exist_ok=True)
        key = cls(secrets.token_bytes(KEY_BYTES))
        encoded = base64.b64encode(key.secret).decode("ascii")
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL
        fd = os.open(path, flags, 0o600)
        with os.fdopen(fd, "w", encoding="ascii") as fh:
            fh.write("# Reception Kiosk card key. Keep it secret; back it up with the database.\n")
            fh.write(encoded + "\n")
            fh.flush()
            os.fsync(fh.fileno())
        if os.name == "posix":
            os.chmod(path, 0o600)  # os.open's mode is filtered by the umask; be exact
        return key

    @classmethod
    def load(cls, path: Path) -> CardKey:
        """Read the key from `path`: one base64 line of 32 bytes, "#" comment lines ignored.

        Raises :class:`KioskError` naming the file: when it is missing ("... is missing.
        Restore it from the backup made with the database ..."), and when it is damaged
        (not exactly one key line, not base64, not 32 bytes, not text). OSError when it
        exists but cannot be read (permissions).
        """
        try:
            text = path.read_text(encoding="ascii")
        except FileNotFoundError:
            raise KioskError(missing_key_message(path)) from None
        except UnicodeDecodeError:
            raise KioskError(damaged_key_message(path)) from None
        lines = [
            line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")
        ]
        if len(lines) != 1:
            raise KioskError(damaged_key_message(path))
        try:
            secret = base64.b64decode(lines[0], validate=True)
        except binascii.Error:
            raise KioskError(damaged_key_message(path)) from None
        if len(secret) != KEY_BYTES:
            raise KioskError(damaged_key_message(path))
        return cls(secret)


def missing_key_message(path: Path) -> str:
    """The plain words for a database whose card key file at `path` is not there."""
    return (
        f"The card key file {path} is missing. Restore it from the backup made with the "
        f"database (<backup name>{KEY_FILE_SUFFIX}, copied back as {path.name}), or see "
        "docs/deployment.md. No new key is made for an existing database: every card "
        "already printed would stop working."
    )


def damaged_key_message(path: Path) -> str:
    """The plain words for a card key file at `path` that cannot be read as a key."""
    return (
        f"The card key file {path} is damaged (it does not hold one 32-byte key). Restore it "
        f"from the backup made with the database (the file ending {KEY_FILE_SUFFIX}), or see "
        "docs/deployment.md. Nothing has been changed."
    )


@dataclass(frozen=True, slots=True)
class PupilCardClaim:
    """What a genuine card says; whether it is still current is for the database to say."""

    pupil_id: int
    serial: int


def pupil_card_payload(key: CardKey, school_code: str, pupil_id: int, serial: int) -> str:
    """The 22-character code printed as a pupil card's QR (layout in the module docstring).

    `school_code` is the school's 4-character card code; raises ValueError when `pupil_id`
    exceeds `MAX_PUPIL_ID` or `serial` exceeds `MAX_SERIAL` (or either is negative).
    """
    body = f"{PUPIL_PREFIX}{school_code}{encode_int(pupil_id, 4)}{encode_int(serial, 2)}"
    return body + key.mac(body)


def normalise_scan(raw: str) -> str:
    """Scanners add stray whitespace, and Caps Lock flips case; neither changes the code."""
    return "".join(raw.split()).upper()


def looks_like_pupil_card(raw: str) -> bool:
    """True when the scanned text (whitespace and case ignored) starts with the pupil-card
    prefix "P1"; says nothing about whether the card is genuine."""
    return normalise_scan(raw).startswith(PUPIL_PREFIX)


def verify_pupil_card(key: CardKey, school_code: str, raw: str) -> PupilCardClaim:
    """Check a scanned pupil card's form, school and signature.

    Returns the pupil id and card serial the card carries; whether that serial is still
    the pupil's current one is for the caller to check against the database. Raises
    ``ScanRejected`` with `NOT_A_CARD` (not this format), `OTHER_SCHOOL` (another school's
    card code) or `NOT_GENUINE` (the signature does not match this install's key).
    """
    payload = normalise_scan(raw)
    match = PUPIL_CARD_RE.match(payload)
    if match is None:
        raise ScanRejected(NOT_A_CARD)
    code, pupil_part, serial_part, mac = match.groups()
    if code != school_code:
        raise ScanRejected(OTHER_SCHOOL)
    if not hmac.compare_digest(mac, key.mac(payload[: -len(mac)])):
        raise ScanRejected(NOT_GENUINE)
    return PupilCardClaim(pupil_id=decode_int(pupil_part), serial=decode_int(serial_part))
