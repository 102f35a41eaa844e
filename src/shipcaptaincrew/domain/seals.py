"""Sealed, chained waiver records: what `scc waiver verify` proves.

Every record (a signature, a void) takes the next position in one chain. Its seal is an HMAC, under a key derived
from SCC_SECRET_KEY and never stored, over its content, its position and the previous record's seal. The chain's
head (the last position and seal) is sealed too. So whoever can write to the database but does not hold the key
cannot rewrite a record, delete or insert one, or cut the chain short without `verify` noticing; see
docs/operations.md for what it cannot prove.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import asdict, dataclass, replace
from typing import Any, Protocol, TypeVar


class Chained(Protocol):
    @property
    def position(self) -> int | None: ...

    @property
    def previous_seal(self) -> str: ...

    @property
    def seal(self) -> str: ...


R = TypeVar("R", bound=Chained)


@dataclass(frozen=True)
class ChainHead:
    position: int = 0
    seal: str = ""
    head_seal: str = ""


def canonical(fields: dict[str, Any]) -> bytes:
    return json.dumps(fields, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def sealed_content(record: Any, left_out: frozenset[str]) -> dict[str, Any]:
    """The fields a seal covers: all but the seal itself and those in `left_out` (links and credentials)."""
    fields = asdict(record)
    for name in (*left_out, "seal"):
        fields.pop(name, None)
    return fields


def seal_of(key: bytes, kind: str, content: dict[str, Any]) -> str:
    return hmac.new(key, kind.encode() + b"\n" + canonical(content), hashlib.sha256).hexdigest()


def head_after(key: bytes, position: int, last_seal: str) -> ChainHead:
    return ChainHead(position, last_seal, seal_of(key, "head", {"position": position, "seal": last_seal}))


def head_is_authentic(key: bytes, head: ChainHead) -> bool:
    return hmac.compare_digest(head_after(key, head.position, head.seal).head_seal, head.head_seal)


def link(record: R, head: ChainHead) -> R:
    """The record placed after the head: the next position, the head's seal as its previous one."""
    return replace(record, position=head.position + 1, previous_seal=head.seal)  # type: ignore[type-var]


@dataclass(frozen=True)
class Break:
    position: int | None
    record_id: str
    problem: str


def chain_breaks(records: list[tuple[str, Chained, bool]], head: ChainHead | None, key: bytes) -> list[Break]:
    """What is wrong with the chain: `records` are (id, record, seal is right), sealed or from before sealing.

    Positions must run 1..N without a gap or a repeat; from the first sealed record on, each must name the seal
    before it; the head must be authentic and name the last position and seal.
    """
    breaks: list[Break] = []
    ordered = sorted(records, key=lambda found: found[1].position or 0)
    expected, previous = 1, ""
    for record_id, record, seal_is_right in ordered:
        if record.position is None:
            continue
        if record.position != expected:
            problem = f"position {expected} is missing" if record.position > expected else "its position is repeated"
            breaks.append(Break(record.position, record_id, problem))
            expected = record.position
        if record.seal and not seal_is_right:
            breaks.append(Break(record.position, record_id, "the record differs from what was sealed"))
        elif record.seal and record.previous_seal != previous:
            breaks.append(Break(record.position, record_id, "the record before it was removed or replaced"))
        previous, expected = record.seal, expected + 1
    breaks.extend(_head_breaks(head, expected - 1, previous, key))
    return breaks


def _head_breaks(head: ChainHead | None, last: int, last_seal: str, key: bytes) -> list[Break]:
    if head is None:
        return [] if not last_seal else [Break(None, "head", "the chain's head is missing")]
    if not head_is_authentic(key, head):
        return [Break(None, "head", "the chain's head was altered")]
    if (head.position, head.seal) != (last, last_seal):
        return [
            Break(
                head.position,
                "head",
                f"the chain ends at {last} but its head says {head.position}: the last records were removed",
            )
        ]
    return []
