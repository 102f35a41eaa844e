"""`scc mail`: try the configured transport, and authorise Gmail. No secret is ever printed."""

from __future__ import annotations

import secrets
import sys
from typing import TYPE_CHECKING

import click

from shipcaptaincrew.bootstrap import gmail_token_store
from shipcaptaincrew.cli.common import load_settings, open_context, reports_errors
from shipcaptaincrew.config import Settings
from shipcaptaincrew.domain.mail import Email, header_safe
from shipcaptaincrew.ports import CredentialsUnavailable, DeliveryFailed
from shipcaptaincrew.services import outbox

if TYPE_CHECKING:
    from shipcaptaincrew.adapters.gmail_consent import Consent
    from shipcaptaincrew.adapters.gmail_oauth import GmailToken, TokenStore

PASTE_PORT = 8765
TEST_TEXT = """This is a test message from ShipCaptainCrew.

It was sent straight through the configured mail transport, without the outbox.
If you can read it, receipts and waiver copies can reach your guests.
"""


@click.group("mail")
def mail_group() -> None:
    """Email transports: send a test message, authorise Gmail."""


@mail_group.command("test")
@click.option("--to", "to", required=True, help="Where to send the test message.")
@reports_errors
def send_test(to: str) -> None:
    """Send one message now through SCC_MAIL_TRANSPORT and say exactly what happened."""
    ctx = open_context()
    describe = getattr(ctx.mailer, "describe", None)
    click.echo(f"transport: {describe() if callable(describe) else ctx.mail_transport}")
    message_id = f"<test-{secrets.token_hex(8)}@shipcaptaincrew>"
    email = Email(header_safe(to), "ShipCaptainCrew test message", TEST_TEXT)
    try:
        receipt = ctx.mailer.send(email, message_id)
    except CredentialsUnavailable as error:
        raise click.ClickException(f"not sent: no usable credentials: {error}") from None
    except DeliveryFailed as error:
        raise click.ClickException(f"not sent: {error}") from None
    click.echo(f"sent: {receipt or 'accepted'} ({message_id})")


@mail_group.command("gmail-auth")
@click.option("--client-id", help="The OAuth client's id (default: the stored one, or SCC_GMAIL_CLIENT_ID).")
@click.option("--client-secret-stdin", is_flag=True, help="Read the client secret from standard input.")
@click.option("--paste", is_flag=True, help="No listener: paste the address the browser ends on (remote machines).")
@click.option("--port", default=0, show_default="any free port; 8765 with --paste", help="Loopback redirect port.")
@click.option("--timeout", default=300.0, show_default=True, help="Seconds to wait for the browser.")
@reports_errors
def gmail_auth(client_id: str | None, client_secret_stdin: bool, paste: bool, port: int, timeout: float) -> None:
    """Obtain a Gmail refresh token and store it (data folder file, mode 0600, or SSM).

    \b
    Before: in Google Cloud, enable the Gmail API and create an OAuth client of type "Desktop app".
    Then run this, open the address it prints, and consent; it stores the token and makes mail that was
    waiting for credentials due again.
    """
    from shipcaptaincrew.adapters.gmail_consent import ConsentRefused, code_from_redirect, exchange_code

    settings = load_settings()
    store = gmail_token_store(settings)
    stored = _load(store)
    client_id = client_id or stored.client_id or settings.mail.gmail_client_id or click.prompt("OAuth client id")
    secret = _client_secret(settings, stored, client_secret_stdin)
    address, consent = _consent(client_id, paste, port, timeout)
    ctx = open_context(settings)
    try:
        code = code_from_redirect(address, consent)
        token = exchange_code(settings.mail.gmail_token_url, client_id, secret, code, consent, ctx.clock.now())
        store.save(token)
    except (ConsentRefused, CredentialsUnavailable) as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Stored the Gmail token in {store.describe()}.")
    released = outbox.release_waiting(ctx)
    click.echo(f"{released} message(s) waiting for credentials are due again (`scc outbox deliver` sends them now).")
    if settings.mail.transport != "gmail":
        click.echo("Set SCC_MAIL_TRANSPORT=gmail to send through Gmail.")


def _load(store: TokenStore) -> GmailToken:
    from shipcaptaincrew.adapters.gmail_oauth import GmailToken

    try:
        return store.load() or GmailToken()
    except CredentialsUnavailable as error:
        raise click.ClickException(str(error)) from None


def _client_secret(settings: Settings, stored: GmailToken, from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().strip()
    known = stored.client_secret or settings.mail.gmail_client_secret
    return known or click.prompt("OAuth client secret", hide_input=True)


def _consent(client_id: str, paste: bool, port: int, timeout: float) -> tuple[str, Consent]:
    from shipcaptaincrew.adapters.gmail_consent import RedirectListener, start_consent

    if paste:
        consent = start_consent(client_id, f"http://127.0.0.1:{port or PASTE_PORT}/")
        click.echo(f"Open this address in a browser and consent:\n\n  {consent.url}\n")
        click.echo("The browser then fails to load a 127.0.0.1 address: that is expected. Copy that address.")
        return click.prompt("Paste the address the browser ended on"), consent
    with RedirectListener(port) as listener:
        consent = start_consent(client_id, listener.redirect_uri)
        click.echo(f"Open this address in a browser on this machine and consent:\n\n  {consent.url}\n")
        click.echo(f"Waiting up to {timeout:.0f} s for the browser to come back to {listener.redirect_uri} ...")
        try:
            return listener.wait(timeout), consent
        except TimeoutError as error:
            raise click.ClickException(f"{error}; run again, or use --paste on a machine without a browser") from None
