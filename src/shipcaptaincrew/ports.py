"""The ports: what the use cases need from the outside world, as Protocols.

Adapters implement them (`adapters/`); `bootstrap.py` picks which.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from types import TracebackType
from typing import TYPE_CHECKING, Any, Protocol, Self

if TYPE_CHECKING:  # annotations only: importing the whole domain here would cost every cold start
    from shipcaptaincrew.domain.boarding import CheckIn, Departure
    from shipcaptaincrew.domain.bookings import Assignment, DockState, Event, PaymentState
    from shipcaptaincrew.domain.ledger import Entry
    from shipcaptaincrew.domain.mail import Email, OutboxMessage
    from shipcaptaincrew.domain.password_tags import PasswordTag
    from shipcaptaincrew.domain.roster import Person, Ship
    from shipcaptaincrew.domain.seals import ChainHead
    from shipcaptaincrew.domain.waiver_copy import CopySheet
    from shipcaptaincrew.domain.waivers import Signature, Void, WaiverVersion


class EventRepository(Protocol):
    def add(self, event: Event) -> None:
        """Insert a new event. Raise SlugTaken if the slug, or an alias of that name, exists."""

    def get(self, slug: str) -> Event | None:
        """The event with this slug, or whose old slug (alias) this is; None if there is none."""

    def save(self, event: Event, expected_version: int) -> None:
        """Replace the stored event if its version is still `expected_version`; raise StaleVersion if not."""

    def rename(self, old: str, new: str) -> None:
        """Give the event a new slug and keep the old one as an alias; raise SlugTaken if `new` exists."""

    def aliases(self, slug: str) -> list[str]:
        """The old slugs that still lead to this event."""

    def list_window(self, start: date, end: date, after: tuple[str, str, str] | None, limit: int) -> list[Event]:
        """Events with start <= date <= end ordered by (date, period start, slug), after that key if given."""

    def all_slugs(self) -> Iterator[str]:
        """Every current slug, in date order."""

    def search(self, words: Sequence[str], limit: int) -> list[Event]:
        """Events of any date that `domain.search.matches` with these words, by (date, period start, slug), at
        most `limit`. Reads the whole events index in the worst case (never a DynamoDB Scan)."""

    def count(self) -> int: ...

    def set_waivers_signed(self, slug: str, count: int) -> None:
        """Store how many signatures count (no version bump). Callers hold the waiver chain's head, which every
        signature and void moves on the condition that it is still the one read, so `count` is exact when it
        commits: a store need not guard it by what else of the event was read."""

    def set_guest_nonce(self, slug: str, nonce: str) -> None:
        """Store the nonce the event's guest-link secret is made from (no version bump)."""

    def reminded(self, slug: str, days_before: int) -> bool:
        """Whether the reminder this many days before the charter went out (was queued) already."""

    def mark_reminded(self, slug: str, days_before: int, at: datetime) -> None:
        """Note that this reminder was queued; raise AlreadyUsed if another writer noted it first."""

    def set_payment_state(self, slug: str, state: PaymentState) -> None:
        """Store what the ledger says the event has paid (no version bump: edits by others are not stale).
        For a state recomputed from the whole ledger; a new entry moves it with `move_payment_state`."""

    def move_payment_state(self, event: Event, state: PaymentState) -> None:
        """Store `state`: `event.payment` (as read in this unit of work) moved by one new ledger entry.

        Must not lose an entry appended by another request at the same time: on DynamoDB the paid amount moves
        by an atomic ADD of the difference, guarded only by what `state` depends on (the event is still this
        one, at this version, and on the same side of its clearing point), else Contention."""

    def on_date(self, day: date) -> list[Event]:
        """Every event of one day (cancelled ones too), by period start."""

    def for_person(self, person_id: str, start: date, end: date) -> list[Event]:
        """Events from start to end inclusive on which the person is captain or crew, in date order."""

    def set_assignment(self, slug: str, assignment: Assignment, now: datetime) -> None:
        """Store the event's ship, captain, crew, conflicts and override reason (no version bump)."""

    def set_dock_state(self, slug: str, state: DockState) -> None:
        """Store where the charter stands at the dock (no version bump: the dispatcher's edits are not stale)."""


class RosterRepository(Protocol):
    """Ships and people. Nothing is deleted: an event may still point at them."""

    def add_ship(self, ship: Ship, now: datetime) -> None:
        """Insert a ship; raise Conflict if another has that name."""

    def save_ship(self, ship: Ship) -> None:
        """Replace the ship's name and capacity; raise Conflict if another has that name."""

    def ship(self, ship_id: str) -> Ship | None: ...

    def ships(self) -> list[Ship]: ...

    def add_person(self, person: Person, now: datetime) -> None: ...

    def save_person(self, person: Person) -> None:
        """Replace everything but the calendar token and the day-sheet nonce."""

    def person(self, person_id: str) -> Person | None: ...

    def replace_calendar_token(self, person_id: str, old: str, new: str) -> None:
        """Give the person a new calendar token; from the commit on, the old one leads nowhere."""

    def person_by_token(self, token: str) -> Person | None: ...

    def replace_day_sheet_nonce(self, person_id: str, nonce: str) -> None:
        """Give the person a new day-sheet nonce: from the commit on, the link made from the old one leads nowhere."""

    def people(self) -> list[Person]: ...

    def retire_ship(self, ship_id: str, now: datetime) -> None:
        """Take the ship off `ships()`; `ship()` still finds it (retired), so old charters keep its name."""

    def retire_person(self, person_id: str, now: datetime) -> None:
        """Take the person off `people()`; `person()` still finds them (retired)."""


class DockRepository(Protocol):
    """A charter's day at the dock, under the event's permanent key: one check-in line per guest, which each tap
    replaces, and the departure, written once, to which the return is added once. Nothing is deleted."""

    def check_ins(self, event_key: str) -> list[CheckIn]:
        """The charter's check-in lines, in any order."""

    def put_check_in(self, event_key: str, check_in: CheckIn) -> None:
        """Store the guest's line, replacing the one with the same `guest` key."""

    def departure(self, event_key: str) -> Departure | None: ...

    def add_departure(self, event_key: str, departure: Departure) -> None:
        """Store the departure; raise AlreadyDeparted if the charter has one (at the latest when the unit of work
        ends: two taps at once store one)."""

    def add_return(self, event_key: str, departure: Departure) -> None:
        """Store the departure's return (`returned_at`, `returned_by`); raise Conflict if it has one already."""


class LedgerRepository(Protocol):
    """Append-only: there is no method to change or remove an entry, and stores must refuse it."""

    def append(self, entry: Entry) -> None: ...

    def get(self, entry_id: str) -> Entry | None: ...

    def is_reversed(self, entry_id: str) -> bool: ...

    def for_event(self, slug: str) -> list[Entry]:
        """The event's entries in the order they were appended."""

    def between(self, start: date, end: date) -> list[Entry]:
        """Entries recorded on days start..end inclusive (UTC), in order."""


@dataclass(frozen=True)
class IdempotencyRecord:
    """What an idempotency key remembers: the request it came with (a fingerprint) and the ledger entry it made."""

    fingerprint: str
    entry_id: str
    created_at: datetime


class IdempotencyKeys(Protocol):
    def get(self, key: str) -> IdempotencyRecord | None: ...

    def put(self, key: str, record: IdempotencyRecord, expires_at: datetime) -> None:
        """Remember what `key` made, at least until `expires_at`; raise Contention if another request stored it
        meanwhile."""

    def forget_older_than(self, moment: datetime) -> None:
        """Forget the keys stored before `moment`, in this transaction; a store whose keys expire by themselves
        (DynamoDB's time-to-live on `expires`) need do nothing."""


class Outbox(Protocol):
    def add(self, message: OutboxMessage) -> None: ...

    def get(self, message_id: str) -> OutboxMessage | None: ...

    def update(self, message: OutboxMessage) -> None: ...

    def due(self, now: datetime, limit: int) -> list[OutboxMessage]:
        """Pending (or waiting-for-credentials) messages whose next attempt is due, oldest first."""

    def count(self, status: str) -> int:
        """How many messages are in this state (cheap: `/healthz` asks for the waiting ones)."""

    def recent(self, limit: int, status: str | None = None) -> list[OutboxMessage]: ...


class WaiverRepository(Protocol):
    """Versions are immutable, signatures and voids append-only: there is no method to change or remove one."""

    def current_version(self) -> WaiverVersion | None: ...

    def add_version(self, version: WaiverVersion) -> None: ...

    def get_version(self, version_id: int) -> WaiverVersion | None: ...

    def add_signature(self, signature: Signature) -> None:
        """Store a sealed signature; raise Conflict if its chain position is taken."""

    def get_signature(self, signature_id: str) -> Signature | None: ...

    def for_event(self, slug: str) -> list[Signature]:
        """The event's signatures in the order they were signed (with the event's slug now in `event_slug`)."""

    def by_copy_token(self, token: str) -> Signature | None: ...

    def every_signature(self) -> Iterator[Signature]: ...

    def add_void(self, void: Void) -> None:
        """Store a sealed void; raise Conflict if the signature is voided already or the position is taken."""

    def voids_for_event(self, slug: str) -> list[Void]: ...

    def every_void(self) -> Iterator[Void]: ...

    def chain_head(self) -> ChainHead:
        """The sealed head of the records' chain; with none stored yet, an unsealed one after the records from
        before sealing (their count as its position)."""

    def move_chain_head(self, head: ChainHead, replacing: ChainHead) -> None:
        """Store the new head; raise Contention if the stored one is no longer `replacing` (another signer won)."""

    def spend_form_token(self, nonce: str, expires_at: datetime, now: datetime) -> None:
        """Mark a waiver form's token used; raise AlreadyUsed if it was. Tokens past `now` may be forgotten."""


class Credentials(Protocol):
    def admin_password_hash(self) -> str | None: ...

    def set_admin_password_hash(self, password_hash: str) -> None: ...

    def admin_password_tag(self) -> PasswordTag | None:
        """The admin password's tag, as last stored (whether it is current is for the caller to say)."""

    def set_admin_password_tag(self, tag: PasswordTag) -> None:
        """Store the admin password's tag, replacing any. Tokens do not depend on it: the sign-in generation
        need not move (SQLite's credentials trigger moves it; harmless, the token check reads again)."""

    def is_revoked(self, token_id: str) -> bool: ...

    def revoked_token_ids(self) -> set[str]:
        """Ids of signed-out tokens (those long expired may have been forgotten)."""

    def revoke(self, token_id: str, expires_at: datetime, now: datetime) -> None:
        """Refuse this token from now on; forget signed-out tokens that expired before `now`."""

    def failed_sign_ins(self, client: str | None, after: datetime, limit: int) -> list[datetime]:
        """The newest `limit` failed sign-ins after `after`, newest first: the client's (its attempts still being
        checked included), or everyone's (None)."""

    def claim_sign_in_attempt(self, client: str, at: datetime, after: datetime, limit: int) -> str | None:
        """Count an attempt by `client` as a failure BEFORE its password is checked, atomically with counting the
        client's failures after `after`: the attempt's id, or None (nothing written) when the client already has
        `limit`. Must hold against concurrent claims from any process: SQLite does it inside the write
        transaction; DynamoDB with conditional writes made at once, not at the end of the unit of work. Failures
        before `after` may be forgotten. Must not change the sign-in generation."""

    def record_failed_sign_in(self, client: str, attempt: str, at: datetime, forget_before: datetime) -> None:
        """The claimed attempt was a wrong password: it counts in everyone's total too (it already counts against
        the client). Failures before `forget_before` may be forgotten. Must not change the sign-in generation."""

    def forget_sign_in_attempt(self, client: str, attempt: str) -> None:
        """The claimed attempt's password was never checked (the server was too busy): it counts nowhere."""

    def clear_failed_sign_ins(self, client: str, attempt: str) -> None:
        """The claimed attempt signed in: forget it, and the client's failures stop counting against it;
        everyone's total keeps them."""


class AuditLog(Protocol):
    def append(self, action: str, actor: str, at: datetime, data: dict[str, object]) -> None:
        """Record a state change, e.g. `event.created`. Never updated or deleted."""


class UnitOfWork(Protocol):
    """One transaction. Leaving the `with` block commits; an exception rolls everything back."""

    @property
    def events(self) -> EventRepository: ...

    @property
    def credentials(self) -> Credentials: ...

    @property
    def audit(self) -> AuditLog: ...

    @property
    def ledger(self) -> LedgerRepository: ...

    @property
    def idempotency(self) -> IdempotencyKeys: ...

    @property
    def outbox(self) -> Outbox: ...

    @property
    def waivers(self) -> WaiverRepository: ...

    @property
    def roster(self) -> RosterRepository: ...

    @property
    def dock(self) -> DockRepository: ...

    def __enter__(self) -> Self: ...

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None
    ) -> None: ...


@dataclass(frozen=True)
class Generations:
    data: int
    """Moves with every change to events and their old slugs (payments and signatures update events)."""
    auth: int
    """Moves with every change to the admin credentials and signed-out tokens."""


class Store(Protocol):
    def writing(self) -> UnitOfWork:
        """A unit of work whose changes commit together or not at all, with no lost update: SQLite takes the write
        lock at its start; DynamoDB makes each write conditional on what was read and raises Contention at the
        commit when another request changed it first (the use case then runs again: services/retries.py)."""

    def reading(self) -> UnitOfWork:
        """A unit of work for reads only: a consistent snapshot."""

    def generations(self) -> Generations:
        """Counters that change whenever what a reader may cache changes (one cheap read, no transaction)."""

    def close(self) -> None: ...


Record = dict[str, Any]
"""One record of a store's whole data, as `scc export --jsonl` writes it: `type` names the kind (see
services/transfer.py for every kind and its fields); the values are plain JSON values, times as the ISO text stored."""


class Transfer(Protocol):
    """A store's whole data, out and in, record by record: how an operator moves between SQLite and DynamoDB.

    Records carry what the store holds, not what a use case would compute: loading one must not re-run a use
    case (no receipt queued, no audit entry added, no payment state recomputed). Store-internal details (SQLite's
    row ids, DynamoDB's event keys, `rev` counters, pointer items, the generation counters) are not records.
    """

    def is_empty(self) -> bool:
        """True if the store holds no record of any kind (a fresh database or table)."""

    def dump(self) -> Iterator[Record]:
        """Every record the store holds, in any order (the caller sorts). Must not write anything."""

    def load(self, records: Sequence[Record], progress: Callable[[int], None]) -> None:
        """Write these records, already checked and in dependency order, into an EMPTY store, as they are.

        Raise Conflict if the store is not empty. All or nothing: on any failure nothing stays written (SQLite:
        one transaction; DynamoDB: what was written is deleted again) and the error says so. Call
        `progress(done)` now and then with the number of records written so far.
        """


class Clock(Protocol):
    def now(self) -> datetime:
        """The current time, timezone-aware UTC."""


class DeliveryFailed(Exception):
    """A mailer could not hand the message over; the outbox keeps it and retries."""


class CredentialsUnavailable(DeliveryFailed):
    """The transport has no usable credentials (missing, revoked, or they could not be refreshed).

    The outbox keeps the message waiting for credentials: no attempt counted, never dead-lettered.
    """


class Mailer(Protocol):
    def send(self, email: Email, message_id: str) -> str | None:
        """Hand the message to the transport, or raise DeliveryFailed. Must not retry by itself.

        May return the transport's receipt (a server's reply, a provider's message id) for the operator.
        Must never put credentials in an error message or a log.
        """


class CopyPrinter(Protocol):
    def waiver_copy(self, sheet: CopySheet) -> bytes:
        """The signer's copy as a PDF document, with its title, author (the operator) and subject. Slow (tens of
        milliseconds): called by the delivery and the PDF link, never on a signing request."""


class FirstPasswordKeeper(Protocol):
    """Where a first-run admin password waits, readable, to be shown at each start until the first sign-in."""

    def keep(self, password: str) -> None: ...

    def kept(self) -> str | None: ...

    def forget(self) -> None:
        """Drop the kept password, if any."""


class PasswordHasher(Protocol):
    def hash(self, password: str) -> str: ...

    def verify(self, password_hash: str, password: str) -> bool:
        """True if the password matches; False (never an exception) if not or if the hash is malformed."""
