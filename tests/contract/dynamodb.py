"""A DynamoDB store on moto's in-process mock (no network), its table made by `create_table`."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from moto import mock_aws

from shipcaptaincrew.adapters.dynamodb import DynamoDbStore, create_table
from shipcaptaincrew.domain.periods import DEFAULT_PERIODS

TABLE = "scc-test"
REGION = "us-east-1"


def client() -> Any:
    import boto3

    return boto3.client("dynamodb", region_name=REGION, aws_access_key_id="testing", aws_secret_access_key="testing")


def dynamodb_store() -> Iterator[DynamoDbStore]:
    with mock_aws():
        made = client()
        create_table(made, TABLE)
        store = DynamoDbStore(TABLE, DEFAULT_PERIODS, client=made)
        yield store
        store.close()
