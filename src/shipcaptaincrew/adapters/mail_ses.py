"""Amazon SES (the sesv2 API), sending the same raw MIME message every transport sends.

boto3 is imported when the first message goes out, never at import (Lambda cold start). The client gives up
quickly (2 s to connect, 4 s to read, two attempts in all: 12 s at worst) instead of botocore's 60 s with
retries: a delivery runs inside a Lambda invocation of 15 s, and a message that fails stays queued for its retry.
"""

from __future__ import annotations

from typing import Any

from shipcaptaincrew.adapters.mail_mime import envelope_address, message_bytes
from shipcaptaincrew.domain.mail import Email
from shipcaptaincrew.ports import CredentialsUnavailable, DeliveryFailed


class SesMailer:
    def __init__(self, sender: str, region: str | None = None, client: Any = None) -> None:
        self.sender = sender
        self.region = region
        self._client = client

    def describe(self) -> str:
        return f"ses: Amazon SES v2 in {self.region or 'the default AWS region'}"

    def send(self, email: Email, message_id: str) -> str:
        """Return SES's message id. Refusals (throttling, an unverified sender...) are DeliveryFailed."""
        from botocore.exceptions import BotoCoreError, ClientError, NoCredentialsError

        data = message_bytes(email, message_id, self.sender)
        recipient = envelope_address(email.to)
        try:
            answer = self._sesv2().send_email(
                FromEmailAddress=envelope_address(self.sender),
                Destination={"ToAddresses": [recipient]},
                Content={"Raw": {"Data": data}},
            )
        except NoCredentialsError:
            raise CredentialsUnavailable("no AWS credentials were found for SES") from None
        except ClientError as error:
            details = error.response.get("Error", {})
            raise DeliveryFailed(f"SES refused the message: {details.get('Code')}: {details.get('Message')}") from None
        except BotoCoreError as error:
            raise DeliveryFailed(f"could not reach SES: {error}") from None
        return f"accepted by SES, message id {answer.get('MessageId')}"

    def _sesv2(self) -> Any:
        if self._client is None:
            import boto3
            from botocore.config import Config

            bounded = Config(connect_timeout=2, read_timeout=4, retries={"mode": "standard", "total_max_attempts": 2})
            self._client = boto3.client("sesv2", region_name=self.region, config=bounded)
        return self._client
