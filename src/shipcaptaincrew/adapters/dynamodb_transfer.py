"""The DynamoDB table's whole data as transfer records, out and in (see services/transfer.py for the format).

A dump is a paginated, strongly consistent Scan (the one place the table is scanned: it reads everything);
pointer items (`EV#<key>`/`SLUG`, `ENTRY#`, `COPY#`, `CALTOKEN#`, `SHIPNAME#`, aliases) and the counters are
store details, rebuilt by a load rather than exported. An item the dump does not know stops it: an export that
silently left something out would not be lossless. A load writes the items the repositories would have written
(dynamodb_*.py hold the key design), 25 to a BatchWriteItem; DynamoDB has no transaction that large, so if a batch
fails, what was written is deleted again before the error is raised.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from shipcaptaincrew.adapters.dynamodb_store import DynamoDbStore, Item, Key
from shipcaptaincrew.adapters.dynamodb_transfer_items import EPHEMERAL, items_for, record_for
from shipcaptaincrew.domain.errors import Conflict, Unavailable
from shipcaptaincrew.ports import Record

BATCH = 25  # BatchWriteItem's limit
PROGRESS_EVERY = 1000


class DynamoDbTransfer:
    def __init__(self, store: DynamoDbStore) -> None:
        self._store = store

    def is_empty(self) -> bool:
        """No operator data in the table: failed sign-ins (a throttle's count, say from a mistyped password on a
        fresh stage) do not count. Stops at the first item that does."""
        return all(str(item["pk"]).startswith(EPHEMERAL) for item in self._scan())

    def dump(self) -> Iterator[Record]:
        items = list(self._scan())
        slugs = {str(item["key"]): str(item["slug"]) for item in items if item.get("kind") == "event"}
        for item in items:
            record = record_for(item, slugs)
            if record is not None:
                yield record

    def load(self, records: Sequence[Record], progress: Callable[[int], None]) -> None:
        if not self.is_empty():
            raise Conflict("the target table is not empty: import only into an empty table", "store")
        keys: dict[str, str] = {}  # event slug (and old slug) -> the new event key
        written: list[Key] = []
        pending: list[Item] = []
        try:
            for done, record in enumerate(records, start=1):
                pending.extend(items_for(record, keys))
                while len(pending) >= BATCH:
                    self._write(pending[:BATCH], written)
                    del pending[:BATCH]
                if done % PROGRESS_EVERY == 0:
                    progress(done)
            pending.append({"pk": "META", "sk": "GEN", "data": 1, "auth": 1})
            for start in range(0, len(pending), BATCH):
                self._write(pending[start : start + BATCH], written)
        except Unavailable as error:
            raise Unavailable(f"{error.message}; {self._undo(written)}") from None
        except Exception:
            self._undo(written)
            raise
        progress(len(records))

    def _undo(self, written: list[Key]) -> str:
        try:
            self._remove(written)
        except Unavailable:
            return (
                "the import stopped half-way and what it wrote could not be deleted: delete the table, create it again"
            )
        return f"the import stopped and the {len(written)} items it wrote were deleted again"

    def _scan(self) -> Iterator[Item]:
        from shipcaptaincrew.adapters.dynamodb_table import decode

        request: Item = {"TableName": self._store.table, "ConsistentRead": True}
        while True:
            answer = self._call("scan", **request)
            for raw in answer.get("Items", []):
                yield decode(raw)
            if "LastEvaluatedKey" not in answer:
                return
            request["ExclusiveStartKey"] = answer["LastEvaluatedKey"]

    def _write(self, items: list[Item], written: list[Key]) -> None:
        """Put the items, their keys noted first: a batch that fails half-way may have written some of them."""
        from shipcaptaincrew.adapters.dynamodb_table import encode

        written.extend((str(item["pk"]), str(item["sk"])) for item in items)
        self._batch([{"PutRequest": {"Item": encode(item)}} for item in items])

    def _remove(self, keys: list[Key]) -> None:
        from shipcaptaincrew.adapters.dynamodb_table import encode

        for start in range(0, len(keys), BATCH):
            part = keys[start : start + BATCH]
            self._batch([{"DeleteRequest": {"Key": encode({"pk": pk, "sk": sk})}} for pk, sk in part])

    def _batch(self, requests: list[Item]) -> None:
        """One BatchWriteItem, sending again what the table left unprocessed (throttling), with a growing pause."""
        pause = 0.05
        for _ in range(8):
            answer = self._call("batch_write_item", RequestItems={self._store.table: requests})
            requests = answer.get("UnprocessedItems", {}).get(self._store.table, [])
            if not requests:
                return
            time.sleep(pause)
            pause *= 2
        raise Unavailable(f"the table kept {len(requests)} writes unprocessed (throttled)")

    def _call(self, operation: str, **request: Any) -> Any:
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            return getattr(self._store.client, operation)(**request)
        except ClientError as error:
            code = error.response.get("Error", {}).get("Code", "")
            raise Unavailable(f"the table refused {operation} ({code})") from None
        except BotoCoreError as error:
            raise Unavailable(f"the table could not be reached ({type(error).__name__})") from None
