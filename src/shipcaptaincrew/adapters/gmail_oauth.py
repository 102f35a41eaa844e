"""Gmail's OAuth 2.0: an access token cached with its expiry and refreshed shortly before it expires.

The refresh token, client id and secret come from a token store (a 0600 file locally, an SSM SecureString on
AWS), with the SCC_GMAIL_* settings as a fallback. When there is no usable token (missing, revoked with
`invalid_grant`, or the token endpoint cannot be reached) `access_token` raises CredentialsUnavailable: the
outbox keeps the messages waiting for credentials. No secret ever goes into an error message or a log.
"""

from __future__ import annotations

import json
import logging
import threading
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Protocol

from shipcaptaincrew.ports import Clock, CredentialsUnavailable

GOOGLE_TOKEN_URL = "https://oauth2.googleapis.com/token"
REFRESH_MARGIN = timedelta(minutes=5)  # refresh this long before expiry: a send never races the deadline
TIMEOUT_SECONDS = 5.0
"""For the token endpoint and the Gmail API: well inside a Lambda invocation's 15 s."""
RUN_GMAIL_AUTH = "run `scc mail gmail-auth`"
log = logging.getLogger("shipcaptaincrew.mail")


@dataclass(frozen=True)
class GmailToken:
    """Everything needed to call Gmail. Secrets are kept out of repr, so printing one cannot show them."""

    client_id: str = ""
    client_secret: str = field(default="", repr=False)
    refresh_token: str = field(default="", repr=False)
    access_token: str = field(default="", repr=False)
    expires_at: datetime | None = None

    def fresh(self, now: datetime) -> bool:
        return bool(self.access_token) and self.expires_at is not None and now < self.expires_at - REFRESH_MARGIN

    def missing(self) -> list[str]:
        names = ("client_id", "client_secret", "refresh_token")
        return [name for name in names if not getattr(self, name)]

    def over(self, fallback: GmailToken) -> GmailToken:
        """This token with its empty fields taken from `fallback` (the settings)."""
        return GmailToken(
            self.client_id or fallback.client_id,
            self.client_secret or fallback.client_secret,
            self.refresh_token or fallback.refresh_token,
            self.access_token,
            self.expires_at,
        )

    def to_json(self) -> str:
        fields = {name: getattr(self, name) for name in ("client_id", "client_secret", "refresh_token", "access_token")}
        fields["expires_at"] = self.expires_at.isoformat() if self.expires_at else None
        return json.dumps(fields, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> GmailToken:
        data = json.loads(text)
        if not isinstance(data, dict):
            raise ValueError("a Gmail token is a JSON object")
        expires = data.get("expires_at")
        return cls(
            str(data.get("client_id") or ""),
            str(data.get("client_secret") or ""),
            str(data.get("refresh_token") or ""),
            str(data.get("access_token") or ""),
            datetime.fromisoformat(expires) if expires else None,
        )


class TokenStore(Protocol):
    def load(self) -> GmailToken | None:
        """The stored token, None if none is stored; raise CredentialsUnavailable if the store cannot be read."""

    def save(self, token: GmailToken) -> None:
        """Replace the stored token (a refreshed access token is written back, so other processes reuse it)."""

    def describe(self) -> str: ...


class GmailTokens:
    """The access token for Gmail's API, refreshed when less than REFRESH_MARGIN of its life is left.

    Thread-safe: one refresh at a time. The store is read again before each refresh, so a token stored by
    `scc mail gmail-auth` (or refreshed by another process) is picked up without a restart.
    """

    def __init__(
        self,
        store: TokenStore,
        fallback: GmailToken,
        clock: Clock,
        token_url: str = GOOGLE_TOKEN_URL,
        timeout: float = TIMEOUT_SECONDS,
    ) -> None:
        self.store = store
        self.token_url = token_url
        self._fallback = fallback
        self._clock = clock
        self._timeout = timeout
        self._lock = threading.Lock()
        self._cached: GmailToken | None = None
        self._rejected = ""

    def access_token(self) -> str:
        with self._lock:
            now, cached = self._clock.now(), self._cached
            if cached is not None and self._usable(cached, now):
                return cached.access_token
            stored = self.store.load()
            token = (stored or GmailToken()).over(self._fallback)
            if not self._usable(token, now):
                token = self._refresh(token, now)
                self._write_back(token)
            self._cached = token
            return token.access_token

    def reject(self, access_token: str) -> None:
        """The API refused this access token: never use it again, refresh before the next send."""
        with self._lock:
            self._rejected = access_token
            self._cached = None

    def _usable(self, token: GmailToken, now: datetime) -> bool:
        return token.fresh(now) and token.access_token != self._rejected

    def _refresh(self, token: GmailToken, now: datetime) -> GmailToken:
        if token.missing():
            raise CredentialsUnavailable(f"Gmail has no {' or '.join(token.missing())} configured; {RUN_GMAIL_AUTH}")
        form = {
            "grant_type": "refresh_token",
            "client_id": token.client_id,
            "client_secret": token.client_secret,
            "refresh_token": token.refresh_token,
        }
        answer = call_token_endpoint(self.token_url, form, self._timeout, token)
        return replace(
            token,
            access_token=answer.access_token,
            expires_at=now + timedelta(seconds=answer.expires_in),
            refresh_token=answer.refresh_token or token.refresh_token,  # Google may rotate it
        )

    def _write_back(self, token: GmailToken) -> None:
        try:
            self.store.save(token)
        except Exception as error:  # best effort: the token works from memory; another process refreshes its own
            log.warning(
                "could not write the refreshed Gmail token back to %s (%s)", self.store.describe(), type(error).__name__
            )


@dataclass(frozen=True)
class TokenAnswer:
    access_token: str = field(repr=False)
    expires_in: int
    refresh_token: str = field(default="", repr=False)


def call_token_endpoint(url: str, form: dict[str, str], timeout: float, secrets: GmailToken) -> TokenAnswer:
    """POST a grant to the OAuth token endpoint. Any failure is CredentialsUnavailable, its reason named."""
    headers = {"Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json"}
    try:
        status, body = post(url, urllib.parse.urlencode(form).encode(), headers, timeout)
    except OSError as failure:
        raise CredentialsUnavailable(f"could not reach Google's token endpoint: {reason(failure)}") from None
    data = _json_object(body)
    if status != 200:
        raise CredentialsUnavailable(_refusal(status, data, redact_from=(secrets, form.get("code", ""))))
    access_token, expires_in = data.get("access_token"), data.get("expires_in", 3600)
    if not isinstance(access_token, str) or not access_token or not isinstance(expires_in, int):
        raise CredentialsUnavailable("Google's token endpoint answered without a usable access token")
    return TokenAnswer(access_token, expires_in, str(data.get("refresh_token") or ""))


def _refusal(status: int, data: dict[str, object], redact_from: tuple[GmailToken, str]) -> str:
    error = str(data.get("error") or f"HTTP {status}")
    description = redact(str(data.get("error_description") or ""), *redact_from)
    text = f"Google's token endpoint refused: {error}" + (f" ({description})" if description else "")
    return text + (f"; {RUN_GMAIL_AUTH}" if error in ("invalid_grant", "invalid_client", "unauthorized_client") else "")


def post(url: str, body: bytes, headers: dict[str, str], timeout: float) -> tuple[int, bytes]:
    """(status, body) of an HTTP POST, error statuses included; OSError if the server cannot be reached."""
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return int(response.status), bytes(response.read())
    except urllib.error.HTTPError as error:
        with error:
            return int(error.code), bytes(error.read())


def redact(text: str, token: GmailToken, *more: str) -> str:
    """`text` with every secret we hold replaced, in case a server echoes one back."""
    for secret in (token.client_secret, token.refresh_token, token.access_token, *more):
        if secret:
            text = text.replace(secret, "[redacted]")
    return text


def _json_object(body: bytes) -> dict[str, object]:
    try:
        data = json.loads(body)
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def reason(error: OSError) -> str:
    """What went wrong reaching a server, in words (connection refused, timed out...)."""
    reason = getattr(error, "reason", None) or error.strerror or error
    return str(reason)
