"""Gmail's API (users.messages.send) with an OAuth access token, sending the same raw MIME message.

No usable token (missing, revoked, unrefreshable) or a token without the send scope is CredentialsUnavailable:
the outbox keeps the message waiting for credentials. Anything else Gmail refuses is DeliveryFailed.
"""

from __future__ import annotations

import base64
import json

from shipcaptaincrew.adapters.gmail_oauth import RUN_GMAIL_AUTH, TIMEOUT_SECONDS, GmailTokens, post, reason
from shipcaptaincrew.adapters.mail_mime import envelope_address, message_bytes
from shipcaptaincrew.domain.mail import Email
from shipcaptaincrew.ports import CredentialsUnavailable, DeliveryFailed

GMAIL_API_URL = "https://gmail.googleapis.com"
SEND_PATH = "/gmail/v1/users/me/messages/send"


class GmailMailer:
    def __init__(
        self, tokens: GmailTokens, sender: str, api_url: str = GMAIL_API_URL, timeout: float = TIMEOUT_SECONDS
    ) -> None:
        self.tokens = tokens
        self.sender = sender
        self.api_url = api_url.rstrip("/")
        self.timeout = timeout

    def describe(self) -> str:
        return f"gmail: {self.api_url}, token from {self.tokens.store.describe()}, refreshed at {self.tokens.token_url}"

    def send(self, email: Email, message_id: str) -> str:
        """Return Gmail's message id."""
        envelope_address(email.to)  # refuse what is not an address before spending a token on it
        raw = base64.urlsafe_b64encode(message_bytes(email, message_id, self.sender)).decode()
        access_token = self.tokens.access_token()
        headers = {"Authorization": f"Bearer {access_token}", "Content-Type": "application/json"}
        try:
            status, body = post(self.api_url + SEND_PATH, json.dumps({"raw": raw}).encode(), headers, self.timeout)
        except OSError as error:
            raise DeliveryFailed(f"could not reach Gmail at {self.api_url}: {reason(error)}") from None
        if status == 200:
            return f"accepted by Gmail, message id {_field(body, 'id')}"
        if status == 401:
            self.tokens.reject(access_token)
            raise DeliveryFailed("Gmail refused the access token (401); a new one is fetched before the next try")
        if status == 403 and "scope" in body.decode("utf-8", "replace").lower():
            raise CredentialsUnavailable(f"the Gmail token may not send mail (missing scope); {RUN_GMAIL_AUTH}")
        raise DeliveryFailed(f"Gmail answered {status}: {_error_message(body)}")


def _field(body: bytes, name: str) -> str:
    try:
        data = json.loads(body)
    except ValueError:
        return "?"
    return str(data.get(name, "?")) if isinstance(data, dict) else "?"


def _error_message(body: bytes) -> str:
    try:
        data = json.loads(body)
        return " ".join(str(data["error"]["message"]).split())[:300]
    except (ValueError, KeyError, TypeError):
        return " ".join(body.decode("utf-8", "replace").split())[:300]
