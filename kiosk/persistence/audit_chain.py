"""The audit log's hash chain: the one definition of an entry's canonical content and hash.

Each entry stores the hash of the entry before it (``previous_hash``) and a SHA-256 over its
own content and that previous hash (``entry_hash``), so editing, deleting, reordering or
replacing any entry after the fact breaks the chain from that entry on. The first entry
chains from :data:`GENESIS_HASH`. The audit service writes the chain and verifies it; the
migration that introduced the chain computed it for entries written before, with this same
function. The format is stored data: changing it would make every existing log fail to
verify, so it never changes.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime

# The "previous hash" of the first entry: 64 hex zeros, a value no SHA-256 is expected to be.
GENESIS_HASH = "0" * 64


def entry_hash(
    *,
    entry_id: int,
    at: datetime,
    actor: str,
    staff_id: int | None,
    action: str,
    entity: str,
    entity_id: str,
    before: str | None,
    after: str | None,
    previous_hash: str,
) -> str:
    """The SHA-256 (64 lower-case hex digits) of one audit entry chained to the one before.

    Takes the entry's stored fields: ``at`` an aware datetime (hashed as UTC ISO 8601 with
    microseconds), ``before``/``after`` the JSON text exactly as stored (or None), and
    ``previous_hash`` the previous entry's hash (:data:`GENESIS_HASH` for the first). The
    canonical content is a JSON array of these fields in a fixed order, UTF-8 encoded.
    Raises ``ValueError`` for a naive ``at`` (its UTC time would be a guess).
    """
    if at.tzinfo is None:
        raise ValueError("naive datetime given to the audit chain")
    canonical = json.dumps(
        [
            entry_id,
            at.astimezone(UTC).isoformat(timespec="microseconds"),
            actor,
            staff_id,
            action,
            entity,
            entity_id,
            before,
            after,
            previous_hash,
        ],
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()
