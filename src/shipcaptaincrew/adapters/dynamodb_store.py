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
| idempotency key (`expires`: time-to-live) | `IDEM#<key>` | `IDEM` | |
| outbox message | `OUTBOX#<id>` | `MSG` | `OUTBOX#<status>` / `<created at>#<id>` |
| audit | `AUDIT#<day>` | `<at>#<uuid>` | |
| credentials | `CRED` | `ADMIN` (password hash) / `TAG` (its tag) / `REVOKED#<token id>` | |
| failed sign-ins | `SIGNINFAIL#<client>` (slots), `SIGNINFAIL` (everyone's) | `SLOT#<n>`, `<at>#<uuid>` | |
| generations | `META` | `GEN` | |

Events and aliases share one key space, so one conditional put refuses a slug taken by either.
"""

from __future__ import annotations

import functools
import uuid
from collections.abc import Iterator
from types import TracebackType
from typing import TYPE_CHECKING, Any, Self

from shipcaptaincrew.adapters.dynamodb_table import INDEX, Item, create_table, decode, encode
from shipcaptaincrew.adapters.dynamodb_writes import (
    MAX_TRANSACTION_ITEMS,
    Key,
    Write,
    Writes,
    repeatable,
    transact_item,
    translate,
)
from shipcaptaincrew.domain.errors import Unavailable
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
        """Every pending write, and the generation counters, as ONE TransactWriteItems with a request token.

        One update alone that a retry cannot harm (`repeatable`: the outbox's claim and its status after a send) is
        an UpdateItem instead: as atomic, at half the write units (a transaction bills every item twice)."""
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
            if len(ops) == 1 and repeatable(ops[0]):
                self.client.update_item(**transact_item(self.table, ops[0])["Update"])
            else:
                self.client.transact_write_items(
                    TransactItems=[transact_item(self.table, op) for op in ops], ClientRequestToken=str(uuid.uuid4())
                )
        except ClientError as error:
            raise translate(error, ops) from None

    def _call(self, operation: str, **request: Any) -> Any:
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            return getattr(self.client, operation)(**request)
        except ClientError as error:
            code = error.response.get("Error", {}).get("Code", "")
            raise Unavailable(f"the table could not be read ({code}); try again") from None
        except BotoCoreError as error:
            raise Unavailable(f"the table could not be reached ({type(error).__name__}); try again") from None


class DynamoDbUnitOfWork:
    """Reads go straight to the table (strongly consistent); writes wait in `writes` for one transaction at exit."""

    def __init__(self, store: DynamoDbStore, writable: bool) -> None:
        self.store = store
        self.writes = Writes()
        self._writable = writable
        self._read: dict[Key, Item | None] = {}

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
        """The item as this unit of work sees it: the table's, with this unit of work's pending writes applied.

        Each item is read from the table once per unit of work: a use case decides on one view of it (its writes
        are guarded by what it read first), and fewer calls between reading the waiver chain's head and the commit
        leave other signers less time to move it."""
        pending = self.writes.pending.get(key)
        if pending is not None and pending.kind != "update":
            return None if pending.kind == "delete" else dict(pending.item)
        if key not in self._read:
            self._read[key] = self.store.get_item(key)
        stored = self._read[key]
        return self.writes.overlay(None if stored is None else dict(stored))

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
        self.writes, self._read = Writes(), {}


__all__ = ["INDEX", "DynamoDbStore", "DynamoDbUnitOfWork", "Item", "Key", "create_table"]
