"""Events in DynamoDB: items to domain records and back, in one place.

An event is the item `SLUG#<slug>`; an old slug is an item of kind `alias` at its own `SLUG#<alias>`, so one
conditional put (`attribute_not_exists(pk)`) refuses a slug that is taken by an event or still leads to one.
Each event item carries `rev`, moved by every write: a write on an event read in this unit of work is
conditional on the `rev` it read (no lost update between two Lambda instances), and `save` also on `version`.
Events of a date window come from a Query on `gsi1` (`EVENTS`, `<date>#<period start>#<slug>`), never a Scan.
"""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Callable, Iterator, Sequence
from datetime import date, datetime
from itertools import islice
from typing import TYPE_CHECKING, Any

from shipcaptaincrew.adapters.dynamodb_store import INDEX, Item, Key
from shipcaptaincrew.adapters.dynamodb_writes import changed_by_someone_else
from shipcaptaincrew.domain import ledger, search
from shipcaptaincrew.domain.bookings import (
    Assignment,
    Conflict,
    DockState,
    Event,
    EventDetails,
    Patron,
    PaymentState,
    Ref,
)
from shipcaptaincrew.domain.errors import AlreadyUsed, DomainError, SlugTaken, StaleVersion

if TYPE_CHECKING:
    from shipcaptaincrew.adapters.dynamodb_store import DynamoDbUnitOfWork

EVENTS = "EVENTS"


def slug_key(slug: str) -> Key:
    return (f"SLUG#{slug}", "SLUG")


class DynamoDbEvents:
    def __init__(self, uow: DynamoDbUnitOfWork) -> None:
        self._uow = uow
        self._store = uow.store
        self._periods = uow.store.periods
        self._revs: dict[str, int] = {}  # slug -> the `rev` this unit of work read
        self._names: dict[str, str] | None = None

    def add(self, event: Event) -> None:
        item = self._item(event, event.key or uuid.uuid4().hex, [])
        self._uow.writes.put(item, "attribute_not_exists(pk)", error=self._taken_error(event.slug))
        self._uow.writes.put({"pk": f"EV#{item['key']}", "sk": "SLUG", "slug": event.slug})
        self._uow.writes.data_changed = True

    def get(self, slug: str) -> Event | None:
        item = self.item(slug)
        return None if item is None else self._event(item)

    def item(self, slug: str) -> Item | None:
        """The stored event item this slug (or old slug) leads to; remembers its `rev` for later writes."""
        item = self._uow.get(slug_key(slug))
        if item is not None and item.get("kind") == "alias":
            item = self._uow.get(slug_key(str(item["target"])))
        if item is None or item.get("kind") != "event":
            return None
        self._revs.setdefault(str(item["slug"]), int(item["rev"]))
        return item

    def save(self, event: Event, expected_version: int) -> None:
        stale = StaleVersion(f"event {event.slug} was changed by someone else; reload it and try again", "version")
        current = self.item(event.slug)
        if current is None or current["slug"] != event.slug:
            raise stale
        fields = {
            name: value
            for name, value in self._item(event, current["key"], current["aliases"]).items()
            if name not in ("pk", "sk", "rev", "key", "aliases", "kind")
        }
        raced = self._stale_or_raced(event.slug, expected_version, stale)
        self._update(event.slug, fields, "version = :expected", {":expected": expected_version}, raced)

    def rename(self, old: str, new: str) -> None:
        current = self.item(old)
        if current is None or current["slug"] != old:
            return
        renamed = {
            **current,
            **slug_key_item(new),
            "slug": new,
            "aliases": sorted({*current["aliases"], old} - {new}),
            "gsi1sk": _sort_key(current["date"], current["starts"], new),
            "rev": int(current["rev"]) + 1,
        }
        if new in current["aliases"]:  # a charter moved and moved back takes its own old slug again
            taking_back = "kind = :alias AND target = :old"
            self._uow.writes.put(renamed, taking_back, {":alias": "alias", ":old": old}, self._taken_error(new))
        else:
            self._uow.writes.put(renamed, "attribute_not_exists(pk)", error=self._taken_error(new))
        self._uow.writes.put(
            {**slug_key_item(old), "kind": "alias", "target": new}, "rev = :rev", {":rev": self._revs[old]}
        )
        self._uow.writes.update((f"EV#{current['key']}", "SLUG"), {"slug": new})
        for alias in set(current["aliases"]) - {new}:
            self._uow.writes.update(slug_key(alias), {"target": new}, condition="attribute_exists(pk)")
        self._revs[new] = int(current["rev"]) + 1
        self._uow.writes.data_changed = True

    def aliases(self, slug: str) -> list[str]:
        item = self._uow.get(slug_key(slug))
        if item is None or item.get("kind") != "event":
            return []
        return sorted(str(alias) for alias in item["aliases"])

    def list_window(self, start: date, end: date, after: tuple[str, str, str] | None, limit: int) -> list[Event]:
        low = f"{start.isoformat()}#"
        if after is not None:
            low = max(low, _sort_key(*after) + "\x00")  # just after the cursor's key: slugs are ASCII
        return self._events(islice(self._between(low, f"{end.isoformat()}#~", limit), limit))

    def search(self, words: Sequence[str], limit: int) -> list[Event]:
        """One Query over the index's EVENTS partition (page by page), matched here: no Scan (docs/dynamodb.md)."""
        items = self._uow.query("gsi1pk = :pk", {":pk": EVENTS}, INDEX)
        fields = ("slug", "patron_first_name", "patron_last_name", "patron_email", "patron_phone")
        events = (item for item in items if item.get("kind") == "event")
        found = (item for item in events if search.matches(words, *(str(item.get(name) or "") for name in fields)))
        return self._events(islice(found, limit))

    def on_date(self, day: date) -> list[Event]:
        return self._events(self._between(f"{day.isoformat()}#", f"{day.isoformat()}#~"))

    def for_person(self, person_id: str, start: date, end: date) -> list[Event]:
        items = self._between(f"{start.isoformat()}#", f"{end.isoformat()}#~")
        return self._events(
            item for item in items if item.get("captain_id") == person_id or person_id in item.get("crew_ids", [])
        )

    def _between(self, low: str, high: str, limit: int | None = None) -> list[Item]:
        """Event items with low <= gsi1sk <= high: one Query on the index per page, never a Scan.

        Events this unit of work has put (booked, or renamed: a new key) are merged in, and items it has
        turned into old slugs are left out, so a use case sees its own writes.
        """
        values = {":pk": EVENTS, ":low": low, ":high": high}
        items = self._uow.query("gsi1pk = :pk AND gsi1sk BETWEEN :low AND :high", values, INDEX, limit=limit)
        read = items if limit is None else islice(items, limit)
        found = {item["pk"]: item for item in read if item.get("kind") == "event"}
        for write in self._uow.writes.pending.values():
            item = write.item
            if write.kind == "put" and item.get("kind") == "event" and low <= item["gsi1sk"] <= high:
                found[item["pk"]] = item
        return sorted(found.values(), key=lambda item: str(item["gsi1sk"]))

    def set_assignment(self, slug: str, assignment: Assignment, now: datetime) -> None:
        self._update(slug, {**_assignment_fields(assignment), "updated_at": now.isoformat()})

    def all_slugs(self) -> Iterator[str]:
        for item in self._uow.query("gsi1pk = :pk", {":pk": EVENTS}, INDEX):
            if item.get("kind") == "event":
                yield str(item["slug"])

    def count(self) -> int:
        return self._store.count("gsi1pk = :pk", {":pk": EVENTS}, INDEX)

    def set_waivers_signed(self, slug: str, count: int) -> None:
        # Exact at commit (the caller holds the waiver chain's head), so not guarded by the `rev` read: a payment
        # landing on the event meanwhile does not make a signature run again.
        self._move(slug, {"waivers_signed": count})

    def reminded(self, slug: str, days_before: int) -> bool:
        item = self.item(slug)
        return item is not None and self._uow.get((f"EV#{item['key']}", f"REMINDER#{days_before}")) is not None

    def mark_reminded(self, slug: str, days_before: int, at: datetime) -> None:
        item = self.item(slug)
        if item is None:
            return
        reminder = {"pk": f"EV#{item['key']}", "sk": f"REMINDER#{days_before}", "sent_at": at.isoformat()}

        def sent() -> DomainError:
            return AlreadyUsed(f"the {days_before}-day reminder of {slug} went out already", "days_before")

        self._uow.writes.put(reminder, "attribute_not_exists(pk)", error=sent)

    def set_guest_nonce(self, slug: str, nonce: str) -> None:
        self._update(slug, {"guest_nonce": nonce})

    def set_payment_state(self, slug: str, state: PaymentState) -> None:
        self._update(slug, {"paid_cents": state.paid_cents, "payment_cleared_at": _iso(state.cleared_at)})

    def move_payment_state(self, event: Event, state: PaymentState) -> None:
        """ADD the entry's amount to `paid_cents`, so payments to one event at the same moment never collide;
        `payment_cleared_at` is set only when the entry crosses the clearing point, and the write holds only while
        the stored amount is on the side of it this unit of work read, before and after (else Contention)."""
        moved = state.paid_cents - event.payment.paid_cents
        point = ledger.clearing_point(event.details.amount_due_cents)
        before = ">=" if event.payment.paid_cents >= point else "<"
        after = ">=" if state.paid_cents >= point else "<"
        guard = f"version = :pay_version AND paid_cents {before} :pay_point AND paid_cents {after} :pay_after"
        values = {":pay_version": event.version, ":pay_point": point, ":pay_after": point - moved}
        cleared = {} if state.cleared_at == event.payment.cleared_at else {"payment_cleared_at": _iso(state.cleared_at)}
        self._move(event.slug, cleared, {"paid_cents": moved}, guard, values)

    def set_dock_state(self, slug: str, state: DockState) -> None:
        self._update(slug, dock_fields(state))

    def _update(
        self,
        slug: str,
        fields: Item,
        condition: str | None = None,
        values: Item | None = None,
        error: Callable[[], DomainError] | None = None,
    ) -> None:
        """Change some fields of an event, guarded by the `rev` read in this unit of work (if it was read)."""
        writes = self._uow.writes
        rev = self._revs.get(slug)
        pending = writes.pending.get(slug_key(slug))
        if pending is not None:  # a `_move` before: this write's `rev` supersedes its ADD (one action per name)
            pending.add.pop("rev", None)
        if rev is None:
            writes.update(slug_key(slug), fields, condition="attribute_exists(pk)", add={"rev": 1})
        else:
            writes.update(slug_key(slug), {**fields, "rev": rev + 1}, condition="rev = :rev", values={":rev": rev})
        if condition:
            writes.update(slug_key(slug), {}, condition=condition, values=values, error=error)
        writes.data_changed = True

    def _move(
        self,
        slug: str,
        fields: Item,
        add: dict[str, int] | None = None,
        guard: str | None = None,
        values: Item | None = None,
    ) -> None:
        """Change some fields of an event whatever its `rev` (still the event: not turned into an old slug), and
        move `rev` by ADD, so that a writer of the whole item who read it before (save, rename) runs again."""
        key, writes = slug_key(slug), self._uow.writes
        pending = writes.pending.get(key)
        bump = {} if pending is not None and "rev" in pending.item else {"rev": 1}
        still_the_event, its_slug = "slug = :moved_slug", {":moved_slug": slug}
        writes.update(key, fields, condition=still_the_event, values=its_slug, add={**(add or {}), **bump})
        if guard:
            writes.update(key, {}, condition=guard, values=values)
        writes.data_changed = True

    def _stale_or_raced(self, slug: str, expected: int, stale: DomainError) -> Callable[[], DomainError]:
        """Why a save guarded by `rev` and `version` failed: the version the client sent is no longer current (a
        real conflict), or only `rev` moved (a payment, a signature: contention, the save runs again)."""

        def error() -> DomainError:
            found = self._store.get_item(slug_key(slug))
            if found is not None and found.get("kind") == "event" and found.get("version") == expected:
                return changed_by_someone_else()
            return stale

        return error

    def _taken_error(self, slug: str) -> Callable[[], DomainError]:
        def error() -> DomainError:
            found = self._store.get_item(slug_key(slug))
            if found is not None and found.get("kind") == "alias":
                return SlugTaken(
                    f"slug {slug!r} is an old name of event {found['target']!r} and still leads there", "slug"
                )
            return SlugTaken(f"slug {slug!r} is already taken by another event; choose another", "slug")

        return error

    def _item(self, event: Event, key: str, aliases: list[str]) -> Item:
        details, patron = event.details, event.details.patron
        starts = self._periods.get(details.period).starts.strftime("%H:%M")
        cleared_at = event.payment.cleared_at.isoformat() if event.payment.cleared_at else None
        return {
            **slug_key_item(event.slug),
            "kind": "event",
            "key": key,
            "slug": event.slug,
            "aliases": aliases,
            "gsi1pk": EVENTS,
            "gsi1sk": _sort_key(details.date.isoformat(), starts, event.slug),
            "date": details.date.isoformat(),
            "period": details.period,
            "starts": starts,
            "patron_first_name": patron.first_name,
            "patron_last_name": patron.last_name,
            "patron_email": patron.email,
            "patron_phone": patron.phone,
            "party_size": details.party_size,
            "title": details.title,
            "notes": details.notes,
            "amount_due_cents": details.amount_due_cents,
            "status": details.status,
            "reminders": details.reminders,
            **_assignment_fields(event.assignment),
            "paid_cents": event.payment.paid_cents,
            "payment_cleared_at": cleared_at,
            "waivers_signed": event.waivers_signed,
            "created_at": event.created_at.isoformat(),
            "updated_at": event.updated_at.isoformat(),
            "version": event.version,
            "guest_nonce": event.guest_nonce,
            **dock_fields(event.dock),
            "rev": 1,
        }

    def _events(self, items: Iterator[Item] | Any) -> list[Event]:
        return [self._event(item) for item in items]

    def _event(self, item: Item) -> Event:
        details = EventDetails(
            date=date.fromisoformat(item["date"]),
            period=item["period"],
            patron=Patron(
                item["patron_first_name"], item["patron_last_name"], item["patron_email"], item["patron_phone"]
            ),
            party_size=item["party_size"],
            title=item["title"],
            notes=item["notes"],
            amount_due_cents=item.get("amount_due_cents"),
            status=item["status"],
            reminders=bool(item.get("reminders", True)),
        )
        cleared_at = item.get("payment_cleared_at")
        return Event(
            slug=item["slug"],
            details=details,
            created_at=datetime.fromisoformat(item["created_at"]),
            updated_at=datetime.fromisoformat(item["updated_at"]),
            assignment=self._assignment(item),
            version=item["version"],
            payment=PaymentState(item["paid_cents"], datetime.fromisoformat(cleared_at) if cleared_at else None),
            waivers_signed=item["waivers_signed"],
            key=str(item["key"]),
            # Events stored before guest links had a nonce: their random key serves until a rotation.
            guest_nonce=item.get("guest_nonce") or str(item["key"]),
            dock=dock_state(item),
        )

    def _assignment(self, item: Item) -> Assignment:
        ids = [item.get("ship_id"), item.get("captain_id"), *item.get("crew_ids", [])]
        if not any(ids) and not item.get("conflicts"):
            return Assignment()
        names = self._roster_names()

        def ref(key: str | None) -> Ref | None:
            return None if key is None else Ref(key, names.get(key, "?"))

        crew = tuple(Ref(key, names.get(key, "?")) for key in item.get("crew_ids", []))
        conflicts = tuple(Conflict(**conflict) for conflict in item.get("conflicts", []))
        return Assignment(
            ref(item.get("ship_id")), ref(item.get("captain_id")), crew, conflicts, item.get("override_reason", "")
        )

    def _roster_names(self) -> dict[str, str]:
        """Names of every ship and person by id: one Query for the unit of work (the roster is a handful)."""
        if self._names is None:
            items = self._uow.query("pk = :pk", {":pk": "ROSTER"})
            self._names = {str(item["id"]): str(item["name"]) for item in items}
        return self._names


def slug_key_item(slug: str) -> Item:
    pk, sk = slug_key(slug)
    return {"pk": pk, "sk": sk}


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def _sort_key(day: str, starts: str, slug: str) -> str:
    return f"{day}#{starts}#{slug}"


def dock_fields(state: DockState) -> Item:
    return {
        "dock_status": state.status,
        "aboard": state.aboard,
        "departed_at": state.departed_at.isoformat() if state.departed_at else None,
        "returned_at": state.returned_at.isoformat() if state.returned_at else None,
    }


def dock_state(item: Item) -> DockState:
    """Events stored before the charter day had none of these: nothing at the dock yet."""
    departed, returned = (item.get(name) for name in ("departed_at", "returned_at"))
    departed_at, returned_at = (datetime.fromisoformat(at) if at else None for at in (departed, returned))
    return DockState(item.get("dock_status", ""), item.get("aboard", 0), departed_at, returned_at)


def _assignment_fields(assignment: Assignment) -> Item:
    return {
        "ship_id": assignment.ship.id if assignment.ship else None,
        "captain_id": assignment.captain.id if assignment.captain else None,
        "crew_ids": [member.id for member in assignment.crew],
        "conflicts": [dataclasses.asdict(conflict) for conflict in assignment.conflicts],
        "override_reason": assignment.override_reason,
    }
