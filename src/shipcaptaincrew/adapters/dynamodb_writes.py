"""A unit of work's buffered writes, each turned into one member of a TransactWriteItems (or, alone and
repeatable, into an UpdateItem), and a cancelled transaction turned back into the domain error its failing write
registered.

A failed condition is `Contention` (another request changed what this one read; the use case runs again) unless
the write registered a real conflict (a taken slug, a stale version, a key used with another request...). When
several writes fail at once, a real conflict wins over contention: running again would only meet it again.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from shipcaptaincrew.adapters.dynamodb_table import Item, encode
from shipcaptaincrew.domain.errors import Contention, DomainError, Unavailable

Key = tuple[str, str]
ErrorFactory = Callable[[], DomainError]
MAX_TRANSACTION_ITEMS = 100


def changed_by_someone_else() -> DomainError:
    """What a failed optimistic condition means unless its write says otherwise: another request won the race.
    Not a conflict of intent, so the use case is run again (services/retries.py)."""
    return Contention("the data was changed by another request at the same time; try again")


@dataclass
class Write:
    """One buffered write: a whole item (put), a partial one (update: set and remove), or a delete."""

    kind: str  # "put" | "update" | "delete"
    key: Key
    item: Item = field(default_factory=dict)
    remove: set[str] = field(default_factory=set)
    add: dict[str, int] = field(default_factory=dict)
    conditions: list[str] = field(default_factory=list)
    values: Item = field(default_factory=dict)
    error: ErrorFactory = changed_by_someone_else


class Writes:
    """The unit of work's pending writes, at most one per item (as a transaction requires), merged in order."""

    def __init__(self) -> None:
        self.pending: dict[Key, Write] = {}
        self.data_changed = False
        self.auth_changed = False

    def put(
        self,
        item: Item,
        condition: str | None = None,
        values: Item | None = None,
        error: ErrorFactory = changed_by_someone_else,
    ) -> None:
        key = (item["pk"], item["sk"])
        write = Write(
            "put", key, dict(item), conditions=[condition] if condition else [], values=values or {}, error=error
        )
        earlier = self.pending.get(key)
        if earlier is not None and earlier.kind != "put":  # keep the guards of what it replaces (a version check)
            write.conditions = earlier.conditions + [c for c in write.conditions if c not in earlier.conditions]
            write.values = {**earlier.values, **write.values}
            if earlier.error is not changed_by_someone_else:
                write.error = earlier.error
        self.pending[key] = write

    def update(
        self,
        key: Key,
        set_: Item,
        remove: set[str] | None = None,
        condition: str | None = None,
        values: Item | None = None,
        error: ErrorFactory | None = None,
        add: dict[str, int] | None = None,
    ) -> None:
        earlier = self.pending.get(key)
        if earlier is not None and earlier.kind == "put":  # fold into the pending item
            earlier.item.update(set_)
            for name in remove or ():
                earlier.item.pop(name, None)
            for name, amount in (add or {}).items():
                earlier.item[name] = int(earlier.item.get(name, 0)) + amount
            return
        if earlier is None or earlier.kind == "delete":
            earlier = Write("update", key)
            self.pending[key] = earlier
        earlier.item.update(set_)
        earlier.remove |= set(remove or ()) - set(set_)
        for name, amount in (add or {}).items():
            earlier.add[name] = earlier.add.get(name, 0) + amount
        if condition and condition not in earlier.conditions:
            earlier.conditions.append(condition)
        earlier.values.update(values or {})
        if error is not None:
            earlier.error = error

    def delete(self, key: Key, condition: str | None = None, values: Item | None = None) -> None:
        self.pending[key] = Write("delete", key, conditions=[condition] if condition else [], values=values or {})

    def overlay(self, item: Item | None) -> Item | None:
        """`item` as it will be once the pending write on it (if any) is applied."""
        if item is None:
            return None
        write = self.pending.get((item["pk"], item["sk"]))
        if write is None:
            return item
        if write.kind != "update":
            return None if write.kind == "delete" else dict(write.item)
        seen = {name: value for name, value in item.items() if name not in write.remove}
        seen.update(write.item)
        for name, amount in write.add.items():
            seen[name] = int(seen.get(name, 0)) + amount
        return seen


REPEATABLE_CONDITIONS = ("attribute_exists(pk)",)


def repeatable(op: Write) -> bool:
    """Whether the write may go alone, outside a transaction: an update that sets and removes only (no counter
    added) under no condition but the item's existence, so that botocore sending it again after a lost answer finds
    what the first send left and leaves it so. A transaction's request token gives the others that guarantee."""
    return op.kind == "update" and not op.add and all(c in REPEATABLE_CONDITIONS for c in op.conditions)


def transact_item(table: str, op: Write) -> Item:
    """One TransactItems member for a buffered write."""
    key = encode({"pk": op.key[0], "sk": op.key[1]})
    body: Item = {"TableName": table}
    values = dict(op.values)
    if op.conditions:
        body["ConditionExpression"] = " AND ".join(f"({condition})" for condition in op.conditions)
    if op.kind == "put":
        body["Item"] = encode(op.item)
        wrapped = {"Put": body}
    elif op.kind == "delete":
        body["Key"] = key
        wrapped = {"Delete": body}
    else:
        body["Key"] = key
        names: dict[str, str] = {}
        sets, removes, adds = [], [], []
        for number, (name, value) in enumerate(sorted(op.item.items())):
            names[f"#s{number}"] = name
            values[f":s{number}"] = value
            sets.append(f"#s{number} = :s{number}")
        for number, name in enumerate(sorted(op.remove)):
            names[f"#r{number}"] = name
            removes.append(f"#r{number}")
        for number, (name, amount) in enumerate(sorted(op.add.items())):
            names[f"#a{number}"] = name
            values[f":a{number}"] = amount
            adds.append(f"#a{number} :a{number}")
        clauses = [
            f"{verb} {', '.join(parts)}" for verb, parts in (("SET", sets), ("REMOVE", removes), ("ADD", adds)) if parts
        ]
        body["UpdateExpression"] = " ".join(clauses)
        body["ExpressionAttributeNames"] = names
        wrapped = {"Update": body}
    if values:
        body["ExpressionAttributeValues"] = encode(values)
    return wrapped


def translate(error: Any, ops: list[Write]) -> DomainError:
    """A refused TransactWriteItems (botocore's ClientError) as a domain error, never a 500."""
    details = error.response.get("Error", {})
    code = details.get("Code", "")
    if code == "TransactionCanceledException":
        reasons = error.response.get("CancellationReasons") or _reasons_from_message(details.get("Message", ""))
        return _cancelled([_reason_code(reason) for reason in reasons], ops)
    if code == "ConditionalCheckFailedException":  # a write sent alone (see `repeatable`)
        return _cancelled(["ConditionalCheckFailed"], ops)
    if code == "TransactionConflictException":
        return changed_by_someone_else()
    return Unavailable(f"the table refused the change ({code}); nothing was written")


def _cancelled(reasons: list[str], ops: list[Write]) -> DomainError:
    """The error of the first failing write that is a real conflict; else contention (a failed condition, or
    another transaction on the same item at that moment: `TransactionConflict`); else the table was unavailable."""
    raced: DomainError | None = None
    for op, reason in zip(ops, reasons, strict=False):
        if reason == "ConditionalCheckFailed":
            found = op.error()  # some read the table to say why (a slug taken by an event or an old slug)
            if not isinstance(found, Contention):
                return found
            raced = raced or found
    if raced is not None:
        return raced
    if "TransactionConflict" in reasons:
        return changed_by_someone_else()
    return Unavailable("the change collided with another one and was not saved; try again")


def _reason_code(reason: object) -> str:
    return str(reason.get("Code", "")) if isinstance(reason, dict) else str(reason)


def _reasons_from_message(message: str) -> list[str]:
    """Reasons from `Transaction cancelled, please refer cancellation reasons ... [None, ConditionalCheckFailed]`."""
    start, end = message.find("["), message.rfind("]")
    if start < 0 or end < start:
        return []
    return [part.strip() for part in message[start + 1 : end].split(",")]
