"""Getting a Gmail refresh token once: Google's consent page, a loopback redirect, the code exchanged.

This is OAuth 2.0 for installed applications with PKCE (S256) and a `state` check: the operator opens the
consent address, Google sends the browser to `http://127.0.0.1:<port>/?code=...`, where `RedirectListener`
waits (or, on a machine without a browser, the operator pastes that address), and the code is exchanged at
the token endpoint for a refresh token.
"""

from __future__ import annotations

import base64
import hashlib
import http.server
import secrets
import threading
import urllib.parse
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from types import TracebackType
from typing import Self

from shipcaptaincrew.adapters.gmail_oauth import GmailToken, call_token_endpoint
from shipcaptaincrew.ports import CredentialsUnavailable

GOOGLE_AUTH_URL = "https://accounts.google.com/o/oauth2/v2/auth"
GMAIL_SEND_SCOPE = "https://www.googleapis.com/auth/gmail.send"
DONE_PAGE = b"<!doctype html><title>ShipCaptainCrew</title><p>Done: you can close this tab and go back to the terminal."


class ConsentRefused(Exception):
    """The redirect carried an error, no code, or a state that is not ours."""


@dataclass(frozen=True)
class Consent:
    url: str
    redirect_uri: str
    state: str = field(repr=False)
    verifier: str = field(repr=False)


def start_consent(client_id: str, redirect_uri: str, auth_url: str = GOOGLE_AUTH_URL) -> Consent:
    """The address to open, asking for the Gmail send scope only, offline (so a refresh token comes back)."""
    verifier, state = secrets.token_urlsafe(48), secrets.token_urlsafe(16)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).decode().rstrip("=")
    query = {
        "client_id": client_id,
        "redirect_uri": redirect_uri,
        "response_type": "code",
        "scope": GMAIL_SEND_SCOPE,
        "access_type": "offline",
        "prompt": "consent",  # Google returns a refresh token again even if this account consented before
        "code_challenge": challenge,
        "code_challenge_method": "S256",
        "state": state,
    }
    return Consent(f"{auth_url}?{urllib.parse.urlencode(query)}", redirect_uri, state, verifier)


def code_from_redirect(address: str, consent: Consent) -> str:
    """The authorization code in the address Google redirected to; ConsentRefused if it is not a good one."""
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(address.strip()).query)
    if "error" in query:
        raise ConsentRefused(f"Google did not give consent: {query['error'][0]}")
    if query.get("state", [""])[0] != consent.state:
        raise ConsentRefused("the address does not answer this request (its state differs); start again")
    code = query.get("code", [""])[0]
    if not code:
        raise ConsentRefused("the address carries no authorization code")
    return code


def exchange_code(
    token_url: str,
    client_id: str,
    client_secret: str,
    code: str,
    consent: Consent,
    now: datetime,
    timeout: float = 15.0,
) -> GmailToken:
    """Trade the code for tokens. CredentialsUnavailable if Google refuses or sends no refresh token."""
    token = GmailToken(client_id, client_secret)
    form = {
        "grant_type": "authorization_code",
        "code": code,
        "client_id": client_id,
        "client_secret": client_secret,
        "redirect_uri": consent.redirect_uri,
        "code_verifier": consent.verifier,
    }
    answer = call_token_endpoint(token_url, form, timeout, token)
    if not answer.refresh_token:
        raise CredentialsUnavailable(
            "Google sent no refresh token; remove the app's access in your Google account "
            "settings and run `scc mail gmail-auth` again"
        )
    expires = now + timedelta(seconds=answer.expires_in)
    return replace(token, refresh_token=answer.refresh_token, access_token=answer.access_token, expires_at=expires)


class RedirectListener:
    """A one-shot HTTP server on 127.0.0.1 that waits for Google's redirect and keeps its address."""

    def __init__(self, port: int = 0) -> None:
        received: list[str] = []
        arrived = threading.Event()

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                if "code=" in self.path or "error=" in self.path:
                    received.append(self.path)
                    arrived.set()
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.end_headers()
                self.wfile.write(DONE_PAGE)

            def log_message(self, format: str, *args: object) -> None:
                pass  # the query holds the authorization code: keep it out of the terminal

        self._server = http.server.HTTPServer(("127.0.0.1", port), Handler)
        self._received, self._arrived = received, arrived
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.1,), daemon=True)

    @property
    def redirect_uri(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}/"

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()

    def wait(self, timeout: float) -> str:
        """The redirect address received; TimeoutError if none came in time."""
        if not self._arrived.wait(timeout):
            raise TimeoutError(f"no answer from the browser within {timeout:.0f} s")
        return self.redirect_uri.rstrip("/") + self._received[0]
