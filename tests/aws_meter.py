"""Count every AWS call a process makes through boto3, and what DynamoDB would bill for each: the count budgets
(tests/deploy/test_call_budgets.py) and what a season costs (bench/cost.py) both read it.

`Meter.attach()` hooks the default boto3 session's event system, so every client the application builds later is
counted (the application builds its clients itself, in its adapters); `detach()` unhooks it. For DynamoDB each
call's read and write request units are computed as AWS defines them, from the sizes of the items read and written:

- an item's size is the sum of its attribute names' and values' sizes (strings and binary by length, a number by
  its significant digits: 1 byte per 2 digits plus 1, a boolean or null 1 byte, a list or map 3 bytes plus its
  elements, a map's names counted as well);
- a read unit covers 4 KB of a strongly consistent read (half as much for an eventually consistent one); a Query
  is rounded up once over all the items it returns; GetItem rounds its item up, at least one unit;
- a write unit covers 1 KB of the larger of the item before and after the write (each item of a transaction twice:
  TransactWriteItems costs two units per KB); every write to an item that is in the index writes the index too,
  one unit per KB of what it projects (everything: ProjectionType ALL).

The item before and after each write is read from the table with a client of its own that is not counted.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

INDEX_KEYS = ("gsi1pk", "gsi1sk")


@dataclass
class Usage:
    """What one operation cost, by AWS call."""

    calls: Counter[str] = field(default_factory=Counter)  # "dynamodb.Query" -> how many
    read_units: float = 0.0
    write_units: float = 0.0
    bytes_read: int = 0
    bytes_written: int = 0
    emails: int = 0
    strong_reads: Counter[str] = field(default_factory=Counter)
    """DynamoDB reads that asked for ConsistentRead (twice the price of an eventually consistent one), by call."""

    def add(self, other: Usage) -> None:
        self.calls.update(other.calls)
        self.strong_reads.update(other.strong_reads)
        self.read_units += other.read_units
        self.write_units += other.write_units
        self.bytes_read += other.bytes_read
        self.bytes_written += other.bytes_written
        self.emails += other.emails


class Meter:
    def __init__(self, endpoint_url: str, region: str) -> None:
        import boto3

        self.usage = Usage()
        self._before: dict[int, list[tuple[str, dict[str, Any], dict[str, Any] | None]]] = {}
        self._raw = boto3.session.Session().client("dynamodb", endpoint_url=endpoint_url, region_name=region)

    def attach(self) -> None:
        import boto3

        session = boto3._get_default_session()
        session.events.register("before-call", self._before_call)
        session.events.register("after-call", self._after_call)

    def detach(self) -> None:
        import boto3

        session = boto3._get_default_session()
        session.events.unregister("before-call", self._before_call)
        session.events.unregister("after-call", self._after_call)

    @contextmanager
    def paused(self) -> Iterator[None]:
        """Nothing inside is counted (the set-up an operation needs)."""
        counting, self.usage = self.usage, Usage()
        try:
            yield
        finally:
            self.usage = counting

    @contextmanager
    def measuring(self) -> Iterator[Usage]:
        """The usage of what runs inside; the meter's running total goes on counting too."""
        before = self.usage
        self.usage = Usage()
        try:
            yield self.usage
        finally:
            before.add(self.usage)
            self.usage = before

    def _before_call(self, model: Any, params: dict[str, Any], context: dict[str, Any], **_: Any) -> None:
        if model.service_model.service_name != "dynamodb":
            return
        request = _json(params.get("body"))
        context["scc_consistent"] = bool(request.get("ConsistentRead", False))  # DynamoDB's default: eventually
        writes = list(_written_keys(model.name, request))
        context["scc_meter_writes"] = [(table, key, self._item(table, key)) for table, key in writes]

    def _after_call(
        self, http_response: Any, parsed: dict[str, Any], model: Any, context: dict[str, Any], **_: Any
    ) -> None:
        service, operation = model.service_model.service_name, model.name
        self.usage.calls[f"{service}.{operation}"] += 1
        if service in ("ses", "sesv2") and operation.startswith("Send"):
            self.usage.emails += 1
        if service != "dynamodb" or http_response.status_code >= 400:
            return
        self._count_reads(operation, parsed, context)
        transactional = 2 if operation == "TransactWriteItems" else 1
        for table, key, before in context.get("scc_meter_writes", []):
            after = self._item(table, key)
            size = max(item_size(before or {}), item_size(after or {}))
            self.usage.write_units += transactional * max(1, math.ceil(size / 1024))
            self.usage.bytes_written += size
            if any(name in (before or {}) or name in (after or {}) for name in INDEX_KEYS):
                self.usage.write_units += max(1, math.ceil(size / 1024))

    def _count_reads(self, operation: str, parsed: dict[str, Any], context: dict[str, Any]) -> None:
        consistent = bool(context.get("scc_consistent", False))
        if consistent:
            self.usage.strong_reads[operation] += 1
        if operation == "GetItem":
            size = item_size(parsed.get("Item", {}))
            self.usage.bytes_read += size
            self.usage.read_units += max(1, math.ceil(size / 4096)) * (1 if consistent else 0.5)
        elif operation in ("Query", "Scan"):
            size = sum(item_size(item) for item in parsed.get("Items", []))
            self.usage.bytes_read += size
            self.usage.read_units += max(1, math.ceil(size / 4096)) * (1 if consistent else 0.5)

    def _item(self, table: str, key: dict[str, Any]) -> dict[str, Any] | None:
        found = self._raw.get_item(TableName=table, Key=key, ConsistentRead=True)
        item: dict[str, Any] | None = found.get("Item")
        return item


def _json(body: Any) -> dict[str, Any]:
    import json

    if isinstance(body, bytes | bytearray):
        body = body.decode()
    return json.loads(body) if body else {}


def _written_keys(operation: str, request: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """(table, key) of every item the request writes."""
    if operation == "TransactWriteItems":
        for item in request.get("TransactItems", []):
            for kind in ("Put", "Update", "Delete"):
                if kind in item:
                    yield item[kind]["TableName"], _key(item[kind])
    elif operation in ("PutItem", "UpdateItem", "DeleteItem"):
        yield request["TableName"], _key(request)
    elif operation == "BatchWriteItem":
        for table, requests in request.get("RequestItems", {}).items():
            for one in requests:
                body = one.get("PutRequest") or one.get("DeleteRequest") or {}
                yield table, _key(body)


def _key(write: dict[str, Any]) -> dict[str, Any]:
    if "Key" in write:
        return dict(write["Key"])
    return {name: write["Item"][name] for name in ("pk", "sk")}


def item_size(item: dict[str, Any]) -> int:
    """An item's size as DynamoDB counts it, from its typed form ({"S": ...}, {"N": ...}, ...)."""
    return sum(len(name.encode()) + value_size(value) for name, value in item.items())


def value_size(value: dict[str, Any]) -> int:
    ((kind, inner),) = value.items()
    if kind == "S":
        return len(inner.encode())
    if kind == "B":
        return len(inner) if isinstance(inner, bytes | bytearray) else len(inner) * 3 // 4
    if kind == "N":
        return number_size(inner)
    if kind in ("BOOL", "NULL"):
        return 1
    if kind == "L":
        return 3 + sum(1 + value_size(part) for part in inner)
    if kind == "M":
        return 3 + sum(len(name.encode()) + 1 + value_size(part) for name, part in inner.items())
    if kind in ("SS", "NS", "BS"):
        return sum(value_size({kind[0]: part}) for part in inner)
    raise ValueError(f"unknown DynamoDB type {kind}")


def number_size(text: str) -> int:
    digits = Decimal(text).normalize().as_tuple().digits
    return min(21, (len(digits) + 1) // 2 + 1)
