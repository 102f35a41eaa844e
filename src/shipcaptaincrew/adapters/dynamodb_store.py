"""The DynamoDB store: one table, reads straight to it, a unit of work's writes as ONE TransactWriteItems.

boto3 is imported only by this module's functions, and this module only when SCC_STORE=dynamodb (cold start).
Storage items are translated to domain records in the repository modules (dynamodb_*.py), each in one
place; a failed condition becomes the domain's own error (SlugTaken, StaleVersion, Conflict), never a 500.

Keys (table `pk`/`sk`, index `gsi1` on `gsi1pk`/`gsi1sk`, all strings):

| item | pk | sk | gsi1pk / gsi1sk |
|---|---|---|---|
| event | `SLUG#<slug>` | `SLUG` | `EVENTS` / `<date>#<period start>#<slug>` |
| old slug | `SLUG#<alias>` | `SLUG` (kind alias) | |
| ledger entry | `EV#<event key>` | `LEDGER#<recorded at>#<id>` | `LEDGER` / `<recorded at>#<id>` |
| check-in line, departure | `EV#<event key>` | `CHECKIN#<guest key>`, `DEPARTURE` | |
| entry pointer | `ENTRY#<id>` | `ENTRY` (and `REVERSED`) | |
| idempotency key | `IDEM#<key>` | `IDEM` | `IDEM` / `<created at>` |
| outbox message | `OUTBOX#<id>` | `MSG` | `OUTBOX#<status>` / `<created at>#<id>` |
| audit | `AUDIT#<day>` | `<at>#<uuid>` | |
| credentials | `CRED` | `ADMIN` / `REVOKED#<token id>` | |
| failed sign-ins | `SIGNINFAIL#<client>` (slots), `SIGNINFAIL` (everyone's) | `SLOT#<n>`, `<at>#<uuid>` | |
| generations | `META` | `GEN` | |

Events and aliases share one key space, so one conditional put refuses a slug taken by either.
"""

from __future__ import annotations

import functools
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from types import TracebackType
from typing import TYPE_CHECKING, Any, Self

from shipcaptaincrew.adapters.dynamodb_table import INDEX, Item, create_table, decode, encode
from shipcaptaincrew.domain.errors import Conflict, DomainError, Unavailable
from shipcaptaincrew.domain.periods import Periods
from shipcaptaincrew.ports import Generations

if TYPE_CHECKING:
    from shipcaptaincrew.adapters.dynamodb_credentials import DynamoDbAuditLog, DynamoDbCredentials
    from shipcaptaincrew.adapters.dynamodb_dock import DynamoDbDock
    from shipcaptaincrew.adapters.dynamodb_events import DynamoDbEvents
    from shipcaptaincrew.adapters.dynamodb_ledger import DynamoDbIdempotencyKeys, DynamoDbLedger
    from shipcaptaincrew.adapters.dynamodb_outbox import DynamoDbOutbox
    from shipcaptaincrew.adapters.dynamodb_roster import DynamoDbRoster
    from shipcaptaincrew.adapters.dynamodb_waivers import DynamoDbWaivers

Key = tuple[str, str]
ErrorFactory = Callable[[], DomainError]
MAX_TRANSACTION_ITEMS = 100


def changed_by_someone_else() -> DomainError:
    return Conflict("the data was changed by another request at the same time; try again")


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


class DynamoDbStore:
    def __init__(
        self,
        table: str,
        periods: Periods,
        client: Any = None,
        endpoint_url: str | None = None,
        region: str | None = None,
    ) -> None:
        self.table = table
        self.periods = periods
        self._client = client
        self._endpoint_url = endpoint_url
        self._region = region

    @property
    def client(self) -> Any:
        if self._client is None:
            import boto3  # only when this store is chosen: boto3 costs the cold start ~100 ms

            self._client = boto3.client("dynamodb", endpoint_url=self._endpoint_url, region_name=self._region)
        return self._client

    def writing(self) -> DynamoDbUnitOfWork:
        return DynamoDbUnitOfWork(self, writable=True)

    def reading(self) -> DynamoDbUnitOfWork:
        return DynamoDbUnitOfWork(self, writable=False)

    def generations(self) -> Generations:
        item = self.get_item(("META", "GEN"))
        if item is None:
            return Generations(data=0, auth=0)
        return Generations(data=int(item.get("data", 0)), auth=int(item.get("auth", 0)))

    def close(self) -> None:
        self._client = None

    # The calls every repository makes, so that errors are translated in one place.

    def get_item(self, key: Key) -> Item | None:
        answer = self._call(
            "get_item", TableName=self.table, Key=encode({"pk": key[0], "sk": key[1]}), ConsistentRead=True
        )
        return decode(answer["Item"]) if "Item" in answer else None

    def query(
        self,
        condition: str,
        values: Item,
        index: str | None = None,
        limit: int | None = None,
        forward: bool = True,
        filter_: str | None = None,
        names: dict[str, str] | None = None,
    ) -> Iterator[Item]:
        """Every item the key condition selects, page by page (each page one Query call)."""
        request: Item = {
            "TableName": self.table,
            "KeyConditionExpression": condition,
            "ExpressionAttributeValues": encode(values),
            "ScanIndexForward": forward,
        }
        if index:
            request["IndexName"] = index
        else:
            request["ConsistentRead"] = True
        if limit:
            request["Limit"] = limit
        if filter_:
            request["FilterExpression"] = filter_
        if names:
            request["ExpressionAttributeNames"] = names
        while True:
            answer = self._call("query", **request)
            for raw in answer.get("Items", []):
                yield decode(raw)
            if "LastEvaluatedKey" not in answer:
                return
            request["ExclusiveStartKey"] = answer["LastEvaluatedKey"]

    def count(self, condition: str, values: Item, index: str | None = None) -> int:
        request: Item = {
            "TableName": self.table,
            "KeyConditionExpression": condition,
            "ExpressionAttributeValues": encode(values),
            "Select": "COUNT",
        }
        if index:
            request["IndexName"] = index
        total = 0
        while True:
            answer = self._call("query", **request)
            total += int(answer["Count"])
            if "LastEvaluatedKey" not in answer:
                return total
            request["ExclusiveStartKey"] = answer["LastEvaluatedKey"]

    def commit(self, writes: Writes) -> None:
        """Every pending write, and the generation counters, as ONE TransactWriteItems with a request token."""
        ops = list(writes.pending.values())
        if not ops:
            return
        if writes.data_changed or writes.auth_changed:
            counters = {"data": 1 if writes.data_changed else 0, "auth": 1 if writes.auth_changed else 0}
            ops.append(Write("update", ("META", "GEN"), add=counters))
        if len(ops) > MAX_TRANSACTION_ITEMS:
            raise Unavailable(f"one change may write at most {MAX_TRANSACTION_ITEMS} items; this one wrote {len(ops)}")
        from botocore.exceptions import ClientError

        try:
            self.client.transact_write_items(
                TransactItems=[self._transact_item(op) for op in ops], ClientRequestToken=str(uuid.uuid4())
            )
        except ClientError as error:
            raise self._translate(error, ops) from None

    def _transact_item(self, op: Write) -> Item:
        key = encode({"pk": op.key[0], "sk": op.key[1]})
        body: Item = {"TableName": self.table}
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
                f"{verb} {', '.join(parts)}"
                for verb, parts in (("SET", sets), ("REMOVE", removes), ("ADD", adds))
                if parts
            ]
            body["UpdateExpression"] = " ".join(clauses)
            body["ExpressionAttributeNames"] = names
            wrapped = {"Update": body}
        if values:
            body["ExpressionAttributeValues"] = encode(values)
        return wrapped

    def _translate(self, error: Any, ops: list[Write]) -> DomainError:
        details = error.response.get("Error", {})
        code = details.get("Code", "")
        if code == "TransactionCanceledException":
            reasons = error.response.get("CancellationReasons") or _reasons_from_message(details.get("Message", ""))
            for op, reason in zip(ops, reasons, strict=False):
                if (reason.get("Code") if isinstance(reason, dict) else reason) == "ConditionalCheckFailed":
                    return op.error()
            return Unavailable("the change collided with another one and was not saved; try again")
        if code == "ConditionalCheckFailedException":
            return changed_by_someone_else()
        return Unavailable(f"the table refused the change ({code}); nothing was written")

    def _call(self, operation: str, **request: Any) -> Any:
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            return getattr(self.client, operation)(**request)
        except ClientError as error:
            code = error.response.get("Error", {}).get("Code", "")
            raise Unavailable(f"the table could not be read ({code}); try again") from None
        except BotoCoreError as error:
            raise Unavailable(f"the table could not be reached ({type(error).__name__}); try again") from None


def _reasons_from_message(message: str) -> list[str]:
    """Reasons from `Transaction cancelled, please refer cancellation reasons ... [None, ConditionalCheckFailed]`."""
    start, end = message.find("["), message.rfind("]")
    if start < 0 or end < start:
        return []
    return [part.strip() for part in message[start + 1 : end].split(",")]


class DynamoDbUnitOfWork:
    """Reads go straight to the table (strongly consistent); writes wait in `writes` for one transaction at exit."""

    def __init__(self, store: DynamoDbStore, writable: bool) -> None:
        self.store = store
        self.writes = Writes()
        self._writable = writable

    @functools.cached_property
    def events(self) -> DynamoDbEvents:
        from shipcaptaincrew.adapters.dynamodb_events import DynamoDbEvents

        return DynamoDbEvents(self)

    @functools.cached_property
    def credentials(self) -> DynamoDbCredentials:
        from shipcaptaincrew.adapters.dynamodb_credentials import DynamoDbCredentials

        return DynamoDbCredentials(self)

    @functools.cached_property
    def audit(self) -> DynamoDbAuditLog:
        from shipcaptaincrew.adapters.dynamodb_credentials import DynamoDbAuditLog

        return DynamoDbAuditLog(self)

    @functools.cached_property
    def ledger(self) -> DynamoDbLedger:
        from shipcaptaincrew.adapters.dynamodb_ledger import DynamoDbLedger

        return DynamoDbLedger(self)

    @functools.cached_property
    def idempotency(self) -> DynamoDbIdempotencyKeys:
        from shipcaptaincrew.adapters.dynamodb_ledger import DynamoDbIdempotencyKeys

        return DynamoDbIdempotencyKeys(self)

    @functools.cached_property
    def outbox(self) -> DynamoDbOutbox:
        from shipcaptaincrew.adapters.dynamodb_outbox import DynamoDbOutbox

        return DynamoDbOutbox(self)

    @functools.cached_property
    def waivers(self) -> DynamoDbWaivers:
        from shipcaptaincrew.adapters.dynamodb_waivers import DynamoDbWaivers

        return DynamoDbWaivers(self)

    @functools.cached_property
    def roster(self) -> DynamoDbRoster:
        from shipcaptaincrew.adapters.dynamodb_roster import DynamoDbRoster

        return DynamoDbRoster(self)

    @functools.cached_property
    def dock(self) -> DynamoDbDock:
        from shipcaptaincrew.adapters.dynamodb_dock import DynamoDbDock

        return DynamoDbDock(self)

    def get(self, key: Key) -> Item | None:
        """The item as this unit of work sees it: the table's, with this unit of work's pending writes applied."""
        pending = self.writes.pending.get(key)
        if pending is not None and pending.kind != "update":
            return None if pending.kind == "delete" else dict(pending.item)
        return self.writes.overlay(self.store.get_item(key))

    def partition(self, pk: str, prefix: str) -> list[Item]:
        """One partition's items whose sort key starts with `prefix`, in order, this unit of work's own included."""
        items = self.query("pk = :pk AND begins_with(sk, :prefix)", {":pk": pk, ":prefix": prefix})
        found = {str(item["sk"]): item for item in items}
        for write in self.writes.pending.values():
            if write.kind == "put" and write.key[0] == pk and write.key[1].startswith(prefix):
                found[write.key[1]] = dict(write.item)
        return [found[sk] for sk in sorted(found)]

    def query(
        self, condition: str, values: Item, index: str | None = None, limit: int | None = None, forward: bool = True
    ) -> Iterator[Item]:
        """A Query's items with this unit of work's pending updates and deletes applied (new items are not added)."""
        for item in self.store.query(condition, values, index, limit, forward):
            seen = self.writes.overlay(item)
            if seen is not None:
                yield seen

    def __enter__(self) -> Self:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None) -> None:
        if kind is None:
            if self.writes.pending and not self._writable:
                raise RuntimeError("a reading unit of work tried to write")
            self.store.commit(self.writes)
        self.writes = Writes()


__all__ = ["INDEX", "DynamoDbStore", "DynamoDbUnitOfWork", "Item", "Key", "create_table"]
