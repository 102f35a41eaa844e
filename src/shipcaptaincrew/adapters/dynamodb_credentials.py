"""The admin credentials, signed-out tokens and audit log in the DynamoDB table (see dynamodb_store.py for keys)."""

from __future__ import annotations

import json
import uuid
from datetime import datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from shipcaptaincrew.adapters.dynamodb_store import DynamoDbUnitOfWork


class DynamoDbCredentials:
    def __init__(self, uow: DynamoDbUnitOfWork) -> None:
        self._uow = uow

    def admin_password_hash(self) -> str | None:
        item = self._uow.get(("CRED", "ADMIN"))
        return None if item is None else str(item["value"])

    def set_admin_password_hash(self, password_hash: str) -> None:
        self._uow.writes.put({"pk": "CRED", "sk": "ADMIN", "value": password_hash})
        self._uow.writes.auth_changed = True

    def is_revoked(self, token_id: str) -> bool:
        return self._uow.get(("CRED", f"REVOKED#{token_id}")) is not None

    def revoked_token_ids(self) -> set[str]:
        items = self._uow.query("pk = :pk AND begins_with(sk, :prefix)", {":pk": "CRED", ":prefix": "REVOKED#"})
        return {str(item["token_id"]) for item in items}

    def revoke(self, token_id: str, expires_at: datetime, now: datetime) -> None:
        items = self._uow.query("pk = :pk AND begins_with(sk, :prefix)", {":pk": "CRED", ":prefix": "REVOKED#"})
        for item in items:
            if str(item["expires_at"]) < now.isoformat() and item["token_id"] != token_id:
                self._uow.writes.delete(("CRED", item["sk"]))
        if self.is_revoked(token_id):
            return
        self._uow.writes.put(
            {"pk": "CRED", "sk": f"REVOKED#{token_id}", "token_id": token_id, "expires_at": expires_at.isoformat()}
        )
        self._uow.writes.auth_changed = True


class DynamoDbAuditLog:
    def __init__(self, uow: DynamoDbUnitOfWork) -> None:
        self._uow = uow

    def append(self, action: str, actor: str, at: datetime, data: dict[str, object]) -> None:
        self._uow.writes.put(
            {
                "pk": f"AUDIT#{at.date().isoformat()}",
                "sk": f"{at.isoformat()}#{uuid.uuid4().hex}",
                "action": action,
                "actor": actor,
                "at": at.isoformat(),
                "data": json.dumps(data, sort_keys=True, default=str),
            },
            condition="attribute_not_exists(pk)",
        )
