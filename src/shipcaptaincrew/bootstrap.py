"""The one place that turns Settings into running parts: it picks the adapters."""

from __future__ import annotations

import os
import secrets
import threading
from datetime import UTC, timedelta, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING

from starlette.types import ASGIApp

from shipcaptaincrew.adapters.argon2_hasher import Argon2Hasher
from shipcaptaincrew.adapters.clock import SystemClock
from shipcaptaincrew.adapters.first_password_file import FirstPasswordFile
from shipcaptaincrew.adapters.mail_deferred import DeferredMailer
from shipcaptaincrew.adapters.private_files import private_folder
from shipcaptaincrew.adapters.sqlite import SqliteStore
from shipcaptaincrew.adapters.waiver_pdf import FpdfCopyPrinter
from shipcaptaincrew.config import Settings, SettingsError
from shipcaptaincrew.domain.keys import Keys, WeakSecret
from shipcaptaincrew.ports import Clock, Mailer, Store, Transfer
from shipcaptaincrew.services.context import Context
from shipcaptaincrew.web.web_settings import WebSettings

if TYPE_CHECKING:
    from shipcaptaincrew.adapters.gmail_oauth import GmailTokens, TokenStore


def build_context(settings: Settings, clock: Clock | None = None, *, path_prefix: str = "") -> Context:
    """Open the store (creating the data folder and running migrations) and gather what use cases need.

    `path_prefix`: the stage's prefix (on Lambda, SCC_PATH_PREFIX), carried by the links the API and emails give.
    """
    private_folder(settings.data_dir)
    clock = clock or SystemClock()
    return Context(
        store=build_store(settings),
        clock=clock,
        hasher=Argon2Hasher(),
        keys=Keys.derive(_secret_key(settings)),
        mailer=DeferredMailer(lambda: build_mailer(settings, clock)),
        mail_transport=settings.mail.transport,
        public_url=stage_url(settings.public_url, path_prefix),
        path_prefix=path_prefix,
        zone=_zone(settings.timezone),
        meeting_point=settings.meeting_point,
        reminder_days=settings.reminder_days,
        payment_methods=settings.payment_methods,
        periods=settings.periods,
        token_ttl=timedelta(hours=settings.token_ttl_hours),
        admin_password_hash=settings.admin_password_hash,
        first_password=FirstPasswordFile(settings.data_dir / "first-run-password"),
        operator=settings.operator_name,
        printer=FpdfCopyPrinter(),
        shore_email=settings.shore_email,
    )


def stage_url(public_url: str, path_prefix: str) -> str:
    """The public address with the stage's prefix, unless it ends with it already (the template's does)."""
    return public_url if public_url.endswith(path_prefix) else public_url + path_prefix


def build_store(settings: Settings) -> Store:
    """The store SCC_STORE names; the DynamoDB one (and boto3 with it) is imported only when chosen."""
    if settings.store == "dynamodb":
        from shipcaptaincrew.adapters.dynamodb import DynamoDbStore

        return DynamoDbStore(settings.dynamodb_table, settings.periods, endpoint_url=settings.aws_endpoint_url)
    return SqliteStore(settings.database_path, settings.periods)


def build_transfer(settings: Settings) -> Transfer:
    """Whole-store export and import (`scc export --jsonl`, `scc import --jsonl`) for the store SCC_STORE names."""
    if settings.store == "dynamodb":
        from shipcaptaincrew.adapters.dynamodb import DynamoDbStore
        from shipcaptaincrew.adapters.dynamodb_transfer import DynamoDbTransfer

        store = DynamoDbStore(settings.dynamodb_table, settings.periods, endpoint_url=settings.aws_endpoint_url)
        return DynamoDbTransfer(store)
    from shipcaptaincrew.adapters.sqlite_transfer import SqliteTransfer

    private_folder(settings.data_dir)
    return SqliteTransfer(settings.database_path)


def build_app(
    settings: Settings,
    ctx: Context | None = None,
    *,
    one_request_at_a_time: bool = False,
    deliver_mail: bool = True,
    mail_queued: threading.Event | None = None,
) -> ASGIApp:
    """The web application for these settings (the context is built unless given).

    `one_request_at_a_time`: the host never sends a request before the last one is answered (Lambda).
    `deliver_mail`: False where something else delivers the outbox (`scc serve`'s delivery process; on Lambda an
    asynchronous invocation, for which `mail_queued` is set whenever a response queued mail).
    """
    from shipcaptaincrew.web.app import create_app  # the web stack is not needed by the CLI's other commands

    return create_app(
        ctx or build_context(settings),
        WebSettings(settings.meeting_point, settings.trusted_proxies),
        one_request_at_a_time=one_request_at_a_time,
        deliver_mail=deliver_mail,
        mail_queued=mail_queued,
    )


def build_mailer(settings: Settings, clock: Clock) -> Mailer:
    """The transport SCC_MAIL_TRANSPORT names; each is imported only when chosen (boto3 stays unloaded)."""
    mail = settings.mail
    if mail.transport == "smtp":
        from shipcaptaincrew.adapters.mail_smtp import SmtpMailer

        return SmtpMailer(
            mail.smtp_host,
            mail.smtp_port,
            mail.smtp_security,
            settings.mail_from,
            mail.smtp_username,
            mail.smtp_password,
        )
    if mail.transport == "ses":
        from shipcaptaincrew.adapters.mail_ses import SesMailer

        return SesMailer(settings.mail_from, mail.ses_region)
    if mail.transport == "gmail":
        from shipcaptaincrew.adapters.mail_gmail import GmailMailer

        return GmailMailer(gmail_tokens(settings, clock), settings.mail_from, mail.gmail_api_url)
    from shipcaptaincrew.adapters.mail_folder import FolderMailer  # the email package: only when mail goes out

    return FolderMailer(settings.data_dir / "outbox", settings.mail_from)


def gmail_tokens(settings: Settings, clock: Clock) -> GmailTokens:
    """Gmail's access tokens: the stored token (file or SSM), the SCC_GMAIL_* settings filling what it lacks."""
    from shipcaptaincrew.adapters.gmail_oauth import GmailToken, GmailTokens

    mail = settings.mail
    fallback = GmailToken(mail.gmail_client_id or "", mail.gmail_client_secret or "", mail.gmail_refresh_token or "")
    return GmailTokens(gmail_token_store(settings), fallback, clock, mail.gmail_token_url)


def gmail_token_store(settings: Settings) -> TokenStore:
    from shipcaptaincrew.adapters.gmail_token_store import FileTokenStore, SsmTokenStore

    if settings.mail.gmail_token_store == "ssm":
        return SsmTokenStore(settings.mail.gmail_ssm_parameter)
    return FileTokenStore(settings.data_dir / "gmail-token.json")


def _zone(name: str) -> tzinfo:
    if name == "UTC":
        return UTC
    from zoneinfo import ZoneInfo

    return ZoneInfo(name)


def _secret_key(settings: Settings) -> bytes:
    if settings.secret_key:
        return settings.secret_key.encode()
    path = settings.data_dir / "secret.key"
    if not path.exists():
        _write_private(path, secrets.token_hex(32))
    key = path.read_text().strip().encode()
    try:
        Keys.derive(key)
    except WeakSecret as error:
        raise SettingsError(f"{path}: {error}; replace it with `openssl rand -hex 32`") from None
    return key


def _write_private(path: Path, text: str) -> None:
    """Create the file readable by its owner only (0600), refusing to overwrite one that appeared meanwhile."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w") as handle:
        handle.write(text + "\n")
