"""Handing the outbox to an asynchronous invocation of this function, so that no request waits for a mail server.

A payment or a signature is committed and answered; its message is in the outbox. The handler then asks Lambda
to invoke this same function (the alias or version the request came through, from the invocation's ARN) with
`{"scc": "deliver-outbox"}` and InvocationType=Event, which Lambda queues and answers with 202 at once. If even
that fails, nothing is lost: the schedule that runs every minute delivers the outbox. boto3 is imported here, on
a container's first request that queued mail, never on a cold start's path.
"""

from __future__ import annotations

import logging
from typing import Any

DELIVER_OUTBOX = b'{"scc": "deliver-outbox"}'
log = logging.getLogger("shipcaptaincrew.lambda")


def lambda_client() -> Any:
    """A Lambda client that gives up quickly: the request it serves is waiting (about a second at worst)."""
    import boto3
    from botocore.config import Config

    bounded = Config(connect_timeout=1, read_timeout=1, retries={"mode": "standard", "total_max_attempts": 2})
    return boto3.client("lambda", config=bounded)


class OutboxHandOff:
    """One per container: its Lambda client is made on the first hand-off and kept."""

    def __init__(self) -> None:
        self._client: Any = None

    def deliver_later(self, function_arn: str | None) -> bool:
        """Ask Lambda to deliver the outbox in an invocation of its own; False if it is left to the schedule."""
        if not function_arn:
            log.info("no function ARN in the context: the schedule delivers the outbox")
            return False
        try:
            self._client = self._client or lambda_client()
            self._client.invoke(FunctionName=function_arn, InvocationType="Event", Payload=DELIVER_OUTBOX)
        except Exception as error:  # the answer is committed already: never fail it for the hand-off
            log.warning(
                "the outbox was not handed to an asynchronous invocation (%s); the schedule delivers it",
                type(error).__name__,
            )
            return False
        return True
