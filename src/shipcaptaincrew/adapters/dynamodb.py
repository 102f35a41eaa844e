"""The DynamoDB store (SCC_STORE=dynamodb): see dynamodb_store.py for the single-table key design."""

from __future__ import annotations

from shipcaptaincrew.adapters.dynamodb_store import DynamoDbStore, DynamoDbUnitOfWork, create_table

__all__ = ["DynamoDbStore", "DynamoDbUnitOfWork", "create_table"]
