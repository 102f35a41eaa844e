"""A charter's day at the dock in DynamoDB, items to records in one place.

Under the event's immutable key, beside its ledger and signatures: a check-in line is `EV#<key>`/`CHECKIN#<guest>`
(each tap puts it whole), the departure `EV#<key>`/`DEPARTURE`, put on the condition that it does not exist (two
taps at once store one) and given its return on the condition that it has none. One Query reads a charter's lines.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from shipcaptaincrew.adapters.dynamodb_store import Item
from shipcaptaincrew.adapters.sqlite_dock import guests, guests_json
from shipcaptaincrew.domain.boarding import AlreadyDeparted, CheckIn, Departure
from shipcaptaincrew.domain.errors import Conflict

if TYPE_CHECKING:
    from shipcaptaincrew.adapters.dynamodb_store import DynamoDbUnitOfWork

CHECKIN, DEPARTURE = "CHECKIN#", "DEPARTURE"
NOT_RETURNED = "attribute_exists(pk) AND (attribute_not_exists(returned_at) OR attribute_type(returned_at, :null))"


class DynamoDbDock:
    def __init__(self, uow: DynamoDbUnitOfWork) -> None:
        self._uow = uow

    def check_ins(self, event_key: str) -> list[CheckIn]:
        return [check_in(item) for item in self._uow.partition(f"EV#{event_key}", CHECKIN)]

    def put_check_in(self, event_key: str, check_in: CheckIn) -> None:
        self._uow.writes.put(check_in_item(event_key, check_in))

    def departure(self, event_key: str) -> Departure | None:
        item = self._uow.get((f"EV#{event_key}", DEPARTURE))
        return None if item is None else departure(item)

    def add_departure(self, event_key: str, departure: Departure) -> None:
        self._uow.writes.put(
            departure_item(event_key, departure),
            "attribute_not_exists(pk)",
            error=lambda: AlreadyDeparted("the charter has departed already", "slug"),
        )

    def add_return(self, event_key: str, departure: Departure) -> None:
        assert departure.returned_at is not None
        self._uow.writes.update(
            (f"EV#{event_key}", DEPARTURE),
            {"returned_at": departure.returned_at.isoformat(), "returned_by": departure.returned_by},
            condition=NOT_RETURNED,
            values={":null": "NULL"},
            error=lambda: Conflict("the charter has returned already", "slug"),
        )


def check_in_item(event_key: str, check_in: CheckIn) -> Item:
    return {
        "pk": f"EV#{event_key}",
        "sk": f"{CHECKIN}{check_in.guest}",
        "event_key": event_key,
        "guest": check_in.guest,
        "name": check_in.name,
        "walk_up": check_in.walk_up,
        "aboard": check_in.aboard,
        "actor": check_in.actor,
        "at": check_in.at.isoformat(),
        "added_at": check_in.added_at.isoformat(),
    }


def check_in(item: Item) -> CheckIn:
    return CheckIn(
        item["guest"],
        item["name"],
        bool(item["walk_up"]),
        bool(item["aboard"]),
        item["actor"],
        datetime.fromisoformat(item["at"]),
        datetime.fromisoformat(item["added_at"]),
    )


def departure_item(event_key: str, departure: Departure) -> Item:
    returned_at = departure.returned_at.isoformat() if departure.returned_at else None
    return {
        "pk": f"EV#{event_key}",
        "sk": DEPARTURE,
        "event_key": event_key,
        "departed_at": departure.departed_at.isoformat(),
        "departed_by": departure.departed_by,
        "aboard": guests_json(departure.aboard),
        "override_reason": departure.override_reason,
        "returned_at": returned_at,
        "returned_by": departure.returned_by,
    }


def departure(item: Item) -> Departure:
    returned_at = datetime.fromisoformat(item["returned_at"]) if item.get("returned_at") else None
    return Departure(
        datetime.fromisoformat(item["departed_at"]),
        item["departed_by"],
        guests(item["aboard"]),
        item["override_reason"],
        returned_at,
        item.get("returned_by", ""),
    )
