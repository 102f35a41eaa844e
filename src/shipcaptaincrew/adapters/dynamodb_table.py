"""The table itself: typed values to and from DynamoDB's form, and creating the table with its key schema."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

INDEX = "gsi1"
Item = dict[str, Any]


def encode(item: Item) -> Item:
    """Plain values to DynamoDB's typed form. A float is refused (boto3's serializer raises): money is int cents."""
    from boto3.dynamodb.types import TypeSerializer  # type: ignore[import-untyped]

    serializer = TypeSerializer()
    return {name: serializer.serialize(value) for name, value in item.items()}


def decode(raw: Item) -> Item:
    """DynamoDB's typed form to plain values; whole numbers come back as int, never Decimal or float."""
    from boto3.dynamodb.types import TypeDeserializer

    deserializer = TypeDeserializer()
    item = {name: deserializer.deserialize(value) for name, value in raw.items()}
    return {name: _plain(value) for name, value in item.items()}


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else value
    if isinstance(value, list):
        return [_plain(part) for part in value]
    if isinstance(value, dict):
        return {name: _plain(part) for name, part in value.items()}
    if isinstance(value, bytes | bytearray):
        return bytes(value)
    return value


def create_table(client: Any, table: str) -> bool:
    """Create the table with the key schema above (on demand); return False if it already exists."""
    from botocore.exceptions import ClientError

    strings = ["pk", "sk", "gsi1pk", "gsi1sk"]
    try:
        client.create_table(
            TableName=table,
            BillingMode="PAY_PER_REQUEST",
            AttributeDefinitions=[{"AttributeName": name, "AttributeType": "S"} for name in strings],
            KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
            GlobalSecondaryIndexes=[
                {
                    "IndexName": INDEX,
                    "KeySchema": [
                        {"AttributeName": "gsi1pk", "KeyType": "HASH"},
                        {"AttributeName": "gsi1sk", "KeyType": "RANGE"},
                    ],
                    "Projection": {"ProjectionType": "ALL"},
                }
            ],
        )
    except ClientError as error:
        if error.response.get("Error", {}).get("Code") == "ResourceInUseException":
            return False
        raise
    client.get_waiter("table_exists").wait(TableName=table)
    # Failed sign-ins, spent form tokens and idempotency keys carry `expires`; the table forgets them once it passes
    # (the template sets the same).
    client.update_time_to_live(TableName=table, TimeToLiveSpecification={"Enabled": True, "AttributeName": "expires"})
    return True
