"""`scc waiver verify`: every seal, the chain, each version's text and each event's count, checked again."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from shipcaptaincrew.domain import seals, waivers
from shipcaptaincrew.domain.waivers import Signature, Void, WaiverVersion
from shipcaptaincrew.ports import UnitOfWork
from shipcaptaincrew.services.context import Context


@dataclass(frozen=True)
class Problem:
    record_id: str
    event_slug: str
    problem: str


@dataclass
class Verification:
    checked: int = 0
    """Records read: signatures and voids."""
    unsealed: int = 0
    """Signatures from before sealing: checked by their unkeyed hash only, anchored by the first sealed record."""
    problems: list[Problem] = field(default_factory=list)


def verify_signatures(ctx: Context) -> Verification:
    """Read every record and say what does not match: a seal (the record was rewritten), the chain (one was
    removed or inserted, or the last ones cut off), a version's text, or an event's stored count."""
    report = Verification()
    with ctx.store.reading() as uow:
        signed = list(uow.waivers.every_signature())
        voids = list(uow.waivers.every_void())
        head = uow.waivers.chain_head()
        report.checked, report.unsealed = len(signed) + len(voids), sum(1 for s in signed if not s.seal)
        slugs = {signature.event_key: signature.event_slug for signature in signed}
        report.problems += _seal_and_chain_problems(ctx.keys.seal, signed, voids, head, slugs)
        report.problems += _version_problems(uow, signed)
        report.problems += _count_problems(uow, signed, voids)
    return report


def _seal_and_chain_problems(
    key: bytes, signed: list[Signature], voids: list[Void], head: seals.ChainHead, slugs: dict[str, str]
) -> list[Problem]:
    records: list[tuple[str, seals.Chained, bool]] = [(s.id, s, waivers.seal_is_right(key, s)) for s in signed]
    records += [(v.id, v, waivers.seal_is_right(key, v)) for v in voids]
    where = {s.id: s.event_slug for s in signed} | {v.id: slugs.get(v.event_key, "?") for v in voids}
    breaks = seals.chain_breaks(records, head, key)
    return [Problem(found.record_id, where.get(found.record_id, ""), found.problem) for found in breaks]


def _version_problems(uow: UnitOfWork, signed: list[Signature]) -> list[Problem]:
    versions: dict[int, WaiverVersion | None] = {}
    problems = []
    for signature in signed:
        version = versions.setdefault(signature.version_id, uow.waivers.get_version(signature.version_id))
        if version is None or waivers.text_hash(version.text) != signature.version_hash:
            problems.append(Problem(signature.id, signature.event_slug, "the waiver text differs from what was shown"))
    return problems


def _count_problems(uow: UnitOfWork, signed: list[Signature], voids: list[Void]) -> list[Problem]:
    by_event: dict[str, list[Signature]] = defaultdict(list)
    for signature in signed:
        by_event[signature.event_slug].append(signature)
    voided = {void.signature_id for void in voids}
    problems = []
    for slug, records in sorted(by_event.items()):
        event = uow.events.get(slug)
        expected = len(waivers.counted(records, voided))
        if event is not None and event.waivers_signed != expected:
            problems.append(
                Problem("count", slug, f"the event counts {event.waivers_signed} signed, the records {expected}")
            )
    return problems
