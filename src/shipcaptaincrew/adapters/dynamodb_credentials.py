"""The admin credentials, signed-out tokens and audit log in the DynamoDB table (see dynamodb_store.py for keys)."""

from __future__ import annotations

import itertools
import json
import uuid
from datetime import datetime
from typing import TYPE_CHECKING

from shipcaptaincrew.adapters.dynamodb_table import Item, encode
from shipcaptaincrew.domain.errors import Unavailable

if TYPE_CHECKING:
    from shipcaptaincrew.adapters.dynamodb_store import DynamoDbStore, DynamoDbUnitOfWork
    from shipcaptaincrew.domain.password_tags import PasswordTag


class DynamoDbCredentials:
    def __init__(self, uow: DynamoDbUnitOfWork) -> None:
        self._uow = uow

    def admin_password_hash(self) -> str | None:
        item = self._uow.get(("CRED", "ADMIN"))
        return None if item is None else str(item["value"])

    def set_admin_password_hash(self, password_hash: str) -> None:
        self._uow.writes.put({"pk": "CRED", "sk": "ADMIN", "value": password_hash})
        self._uow.writes.auth_changed = True

    def admin_password_tag(self) -> PasswordTag | None:
        from shipcaptaincrew.domain.password_tags import PasswordTag

        item = self._uow.get(("CRED", "TAG"))
        return None if item is None else PasswordTag.parse(str(item["value"]))

    def set_admin_password_tag(self, tag: PasswordTag) -> None:
        self._uow.writes.put({"pk": "CRED", "sk": "TAG", "value": tag.text()})

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

    # Failed sign-ins. A client's count is `limit` slot items under its own partition (`SLOT#0`...): claiming an
    # attempt is a conditional put on a slot that is free (absent, or its failure has left the window), so
    # concurrent claims from any container get at most `limit` slots between them. Everyone's total is one item
    # per wrong password under `SIGNINFAIL`. Every item carries `expires` (epoch seconds) for the table's
    # time-to-live to remove once the window has passed.
    def failed_sign_ins(self, client: str | None, after: datetime, limit: int) -> list[datetime]:
        if client is not None:
            slots = self._uow.query("pk = :pk AND begins_with(sk, :slot)", {":pk": _client_pk(client), ":slot": SLOT})
            times = sorted((datetime.fromisoformat(str(item["at"])) for item in slots), reverse=True)
            return [moment for moment in times if moment > after][:limit]
        # "~" sorts after every "#<hex>" suffix: a failure at exactly `after` is outside, as in the SQLite store
        values = {":pk": SIGN_IN_FAILURES, ":after": f"{after.isoformat()}#~"}
        items = self._uow.query("pk = :pk AND sk > :after", values, limit=limit, forward=False)
        return [datetime.fromisoformat(str(item["at"])) for item in itertools.islice(items, limit)]

    def claim_sign_in_attempt(self, client: str, at: datetime, after: datetime, limit: int) -> str | None:
        item = {"pk": _client_pk(client), "at": at.isoformat(), "expires": _expires(at, after)}
        for number in range(limit):
            slot = f"{SLOT}{number}"
            if _claim_slot(self._uow.store, {**item, "sk": slot}, after):
                return slot
        return None

    def record_failed_sign_in(self, client: str, attempt: str, at: datetime, forget_before: datetime) -> None:
        item = {"pk": SIGN_IN_FAILURES, "sk": f"{at.isoformat()}#{uuid.uuid4().hex}", "at": at.isoformat()}
        self._uow.writes.put({**item, "expires": _expires(at, forget_before)})

    def forget_sign_in_attempt(self, client: str, attempt: str) -> None:
        self._uow.writes.delete((_client_pk(client), attempt))

    def clear_failed_sign_ins(self, client: str, attempt: str) -> None:
        pk = _client_pk(client)
        for item in self._uow.query("pk = :pk", {":pk": pk}, limit=CLEAR_AT_MOST):
            self._uow.writes.delete((pk, str(item["sk"])))


SIGN_IN_FAILURES = "SIGNINFAIL"
SLOT = "SLOT#"
FREE_SLOT = "attribute_not_exists(pk) OR #at <= :after"
CLEAR_AT_MOST = 50  # one transaction holds 100 writes; a client holds at most its limit of slots


def _claim_slot(store: DynamoDbStore, item: Item, after: datetime) -> bool:
    """One conditional PutItem at once, outside the unit of work's transaction (the claim must hold before the
    password is checked); False if the slot is taken (nothing written)."""
    from botocore.exceptions import BotoCoreError, ClientError

    try:
        store.client.put_item(
            TableName=store.table,
            Item=encode(item),
            ConditionExpression=FREE_SLOT,
            ExpressionAttributeValues=encode({":after": after.isoformat()}),
            ExpressionAttributeNames={"#at": "at"},
        )
    except ClientError as error:
        code = error.response.get("Error", {}).get("Code", "")
        if code == "ConditionalCheckFailedException":
            return False
        raise Unavailable(f"the table refused the change ({code}); nothing was written") from None
    except BotoCoreError as error:
        raise Unavailable(f"the table could not be reached ({type(error).__name__}); try again") from None
    return True


def _client_pk(client: str) -> str:
    return f"{SIGN_IN_FAILURES}#{client}"


def _expires(at: datetime, forget_before: datetime) -> int:
    return int(at.timestamp() + (at - forget_before).total_seconds()) + 60


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
