"""Idempotency keys in the whole-store transfer: each names the ledger entry it made, in files old and new."""

from __future__ import annotations

import base64
import json
import re
from pathlib import Path

import pytest

from shipcaptaincrew.adapters.sqlite import SqliteStore
from shipcaptaincrew.adapters.sqlite_transfer import SqliteTransfer
from shipcaptaincrew.domain.errors import InvalidInput
from shipcaptaincrew.domain.ledger import PaymentDraft
from shipcaptaincrew.domain.periods import DEFAULT_PERIODS
from shipcaptaincrew.ports import Transfer
from shipcaptaincrew.services import booking, payments
from shipcaptaincrew.services.transfer import encode, import_jsonl
from tests.builders import event_details
from tests.contract.test_transfer import context, exported, line_of, restore


def export_with_a_key(tmp_path: Path) -> list[bytes]:
    store = SqliteStore(tmp_path / "keyed.sqlite3", DEFAULT_PERIODS)
    ctx = context(store)
    event = booking.create_event(ctx, event_details(amount_due_cents=90000), "test")
    payments.log_payment_once(ctx, event.slug, PaymentDraft(40000, "venmo", "Sarah Lopez"), "test", "key-1", "fp")
    store.close()
    return exported(SqliteTransfer(store.path)).splitlines(keepends=True)


def as_format_3(line: bytes) -> bytes:
    """The line as a version 3 file has it: an idempotency key kept the API's whole answer, not its entry."""
    record = json.loads(line)
    if record.get("type") != "idempotency_key":
        return line
    answer = json.dumps({"payment": {"id": record.pop("entry_id"), "amount_cents": 40000}, "event": {}}).encode()
    return encode({**record, "status": 201, "body_base64": base64.b64encode(answer).decode("ascii")})


def test_a_format_3_file_keeps_each_idempotency_key_naming_the_entry_its_answer_named(
    target: Transfer, tmp_path: Path
) -> None:
    lines = export_with_a_key(tmp_path)
    older = [b'{"format":"scc-transfer","version":3}\n', *map(as_format_3, lines[1:])]
    assert older != lines and b"body_base64" in b"".join(older)

    restore(target, b"".join(older))

    assert exported(target) == b"".join(lines)


def test_an_idempotency_key_naming_no_entry_is_refused_and_nothing_is_written(target: Transfer, tmp_path: Path) -> None:
    lines = export_with_a_key(tmp_path)
    at = line_of(lines, "idempotency_key")
    lines[at] = re.sub(rb'"entry_id":"[^"]*"', b'"entry_id":"pay_nowhere"', lines[at])

    with pytest.raises(InvalidInput, match=f"line {at + 1} .*entry_id 'pay_nowhere' is not a ledger_entry"):
        import_jsonl(target, lines, lambda done, total: None)

    assert target.is_empty()
