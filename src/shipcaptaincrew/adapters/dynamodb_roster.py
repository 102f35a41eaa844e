"""Ships and people in DynamoDB: `ROSTER`/`SHIP#<id>` and `ROSTER`/`PERSON#<id>`, items to records in one place.

The roster is one partition (a handful of items, read with one Query). A ship's name is claimed by an item
`SHIPNAME#<name, case-folded>` put on the condition that it does not exist, so two ships cannot share a name;
a calendar token leads to its person through `CALTOKEN#<token>`.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from shipcaptaincrew.adapters.dynamodb_store import Item
from shipcaptaincrew.domain.errors import Conflict
from shipcaptaincrew.domain.roster import Person, Ship

if TYPE_CHECKING:
    from shipcaptaincrew.adapters.dynamodb_store import DynamoDbUnitOfWork

ROSTER = "ROSTER"


class DynamoDbRoster:
    def __init__(self, uow: DynamoDbUnitOfWork) -> None:
        self._uow = uow

    def add_ship(self, ship: Ship, now: datetime) -> None:
        self._claim_name(ship)
        self._uow.writes.put(
            {
                "pk": ROSTER,
                "sk": f"SHIP#{ship.id}",
                "id": ship.id,
                "name": ship.name,
                "capacity": ship.capacity,
                "retired_at": None,
                "created_at": now.isoformat(),
            },
            "attribute_not_exists(pk)",
        )
        self._uow.writes.data_changed = True

    def save_ship(self, ship: Ship) -> None:
        current = self._uow.get((ROSTER, f"SHIP#{ship.id}"))
        if current is None:
            return
        if _folded(current["name"]) != _folded(ship.name):
            self._uow.writes.delete(_name_key(current["name"]))
            self._claim_name(ship)
        self._uow.writes.update(
            (ROSTER, f"SHIP#{ship.id}"),
            {"name": ship.name, "capacity": ship.capacity},
            condition="attribute_exists(pk)",
        )
        self._uow.writes.data_changed = True

    def ship(self, ship_id: str) -> Ship | None:
        item = self._uow.get((ROSTER, f"SHIP#{ship_id}"))
        return None if item is None else _ship(item)

    def ships(self) -> list[Ship]:
        found = [_ship(item) for item in self._items("SHIP#") if not item.get("retired_at")]
        return sorted(found, key=lambda ship: ship.name.casefold())

    def retire_ship(self, ship_id: str, now: datetime) -> None:
        self._uow.writes.update((ROSTER, f"SHIP#{ship_id}"), {"retired_at": now.isoformat()})
        self._uow.writes.data_changed = True

    def retire_person(self, person_id: str, now: datetime) -> None:
        self._uow.writes.update((ROSTER, f"PERSON#{person_id}"), {"retired_at": now.isoformat()})
        self._uow.writes.data_changed = True

    def add_person(self, person: Person, now: datetime) -> None:
        self._uow.writes.put(
            {
                **_person_item(person),
                "calendar_token": person.calendar_token,
                "day_sheet_nonce": person.day_sheet_nonce,
                "retired_at": None,
                "created_at": now.isoformat(),
            },
            "attribute_not_exists(pk)",
        )
        if person.calendar_token:
            self._uow.writes.put(
                {"pk": f"CALTOKEN#{person.calendar_token}", "sk": "TOKEN", "person_id": person.id},
                "attribute_not_exists(pk)",
            )
        self._uow.writes.data_changed = True

    def save_person(self, person: Person) -> None:
        fields = {name: value for name, value in _person_item(person).items() if name not in ("pk", "sk", "id")}
        self._uow.writes.update((ROSTER, f"PERSON#{person.id}"), fields, condition="attribute_exists(pk)")
        self._uow.writes.data_changed = True

    def replace_calendar_token(self, person_id: str, old: str, new: str) -> None:
        self._uow.writes.update(
            (ROSTER, f"PERSON#{person_id}"), {"calendar_token": new}, condition="attribute_exists(pk)"
        )
        if old:
            self._uow.writes.delete((f"CALTOKEN#{old}", "TOKEN"))
        pointer = {"pk": f"CALTOKEN#{new}", "sk": "TOKEN", "person_id": person_id}
        self._uow.writes.put(pointer, "attribute_not_exists(pk)")
        self._uow.writes.data_changed = True

    def replace_day_sheet_nonce(self, person_id: str, nonce: str) -> None:
        self._uow.writes.update(
            (ROSTER, f"PERSON#{person_id}"), {"day_sheet_nonce": nonce}, condition="attribute_exists(pk)"
        )

    def person(self, person_id: str) -> Person | None:
        item = self._uow.get((ROSTER, f"PERSON#{person_id}"))
        return None if item is None else _person(item)

    def person_by_token(self, token: str) -> Person | None:
        pointer = self._uow.get((f"CALTOKEN#{token}", "TOKEN"))
        return None if pointer is None else self.person(str(pointer["person_id"]))

    def people(self) -> list[Person]:
        found = [_person(item) for item in self._items("PERSON#") if not item.get("retired_at")]
        return sorted(found, key=lambda person: (person.role, person.name.casefold()))

    def _items(self, prefix: str) -> list[Item]:
        return list(self._uow.query("pk = :pk AND begins_with(sk, :prefix)", {":pk": ROSTER, ":prefix": prefix}))

    def _claim_name(self, ship: Ship) -> None:
        pk, sk = _name_key(ship.name)
        self._uow.writes.put(
            {"pk": pk, "sk": sk, "ship_id": ship.id},
            "attribute_not_exists(pk)",
            error=lambda: Conflict(f"a ship named {ship.name!r} is already on the roster", "name"),
        )


def _folded(name: str) -> str:
    return name.casefold()


def _name_key(name: str) -> tuple[str, str]:
    return (f"SHIPNAME#{_folded(name)}", "NAME")


def _ship(item: Item) -> Ship:
    return Ship(item["id"], item["name"], item["capacity"], **_retired(item))


def _retired(item: Item) -> dict[str, Any]:
    """`retired=True` for a retired entry (records without the flag need not know it)."""
    return {"retired": True} if item.get("retired_at") else {}


def _person_item(person: Person) -> Item:
    return {
        "pk": ROSTER,
        "sk": f"PERSON#{person.id}",
        "id": person.id,
        "name": person.name,
        "role": person.role,
        "email": person.email,
        "phone": person.phone,
        "licence_expires": person.licence_expires.isoformat() if person.licence_expires else None,
        "medical_expires": person.medical_expires.isoformat() if person.medical_expires else None,
    }


def _person(item: Item) -> Person:
    licence, medical = item.get("licence_expires"), item.get("medical_expires")
    return Person(
        id=item["id"],
        name=item["name"],
        role=item["role"],
        email=item["email"],
        phone=item["phone"],
        licence_expires=date.fromisoformat(licence) if licence else None,
        medical_expires=date.fromisoformat(medical) if medical else None,
        calendar_token=item.get("calendar_token", ""),
        # People stored before day sheets had a nonce: their id serves (the secret is keyed) until a rotation.
        day_sheet_nonce=item.get("day_sheet_nonce") or str(item["id"]),
        **_retired(item),
    )
