"""Settings, read once from the environment (SCC_*). Nothing else reads the environment."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from shipcaptaincrew.domain.addresses import FORWARDED_FOR, TrustedProxies
from shipcaptaincrew.domain.keys import MIN_SECRET_BYTES
from shipcaptaincrew.domain.ledger import DEFAULT_METHODS
from shipcaptaincrew.domain.periods import DEFAULT_PERIODS_SPEC, Periods, parse_periods
from shipcaptaincrew.domain.text import EMAIL_PATTERN

DEMO_DATA_DIR = Path("./scc-demo")
"""Where `scc serve --demo` (`make run`) keeps the demo when SCC_DATA_DIR is unset: never the folder of real use."""

# Every setting, its default and what it does; the README's table and `scc --help` come from here.
DOCUMENTED: dict[str, tuple[str, str]] = {
    "SCC_DATA_DIR": (
        "./scc-data",
        "Folder for the SQLite database, the secret key and the outbox (unset, `scc serve --demo` uses ./scc-demo).",
    ),
    "SCC_HOST": ("127.0.0.1", "Address `scc serve` listens on."),
    "SCC_PORT": ("8000", "Port `scc serve` listens on."),
    "SCC_STORE": ("sqlite", "Where data lives: `sqlite` (in SCC_DATA_DIR) or `dynamodb` (SCC_DYNAMODB_TABLE)."),
    "SCC_DYNAMODB_TABLE": ("scc", "DynamoDB table (SCC_STORE=dynamodb); `scc db create-table` makes it."),
    "SCC_AWS_ENDPOINT_URL": (
        "(the AWS default)",
        "DynamoDB endpoint for a local emulator, e.g. http://localhost:8000.",
    ),
    "SCC_SECRET_KEY": (
        "(generated)",
        "At least 32 bytes; each purpose's key is derived from it. Unset: generated into SCC_DATA_DIR/secret.key.",
    ),
    "SCC_ADMIN_PASSWORD_HASH": ("(unset)", "An argon2id hash that fixes the admin password; unset: kept in the store."),
    "SCC_PERIODS": (DEFAULT_PERIODS_SPEC, "Charter periods and time windows, `name=HH:MM-HH:MM`, comma-separated."),
    "SCC_TOKEN_TTL_HOURS": ("12", "How long a sign-in token lasts."),
    "SCC_PAYMENT_METHODS": (",".join(DEFAULT_METHODS), "Payment methods the dispatcher can log, comma-separated."),
    "SCC_MAIL_FROM": ("ShipCaptainCrew <bookings@localhost>", "Sender of every email."),
    "SCC_OPERATOR_NAME": ("ShipCaptainCrew charters", "The operator's name, shown on guest pages and waiver copies."),
    "SCC_PUBLIC_URL": (
        "http://localhost:SCC_PORT",
        "Address guests and crew open the site at, for the links in emails, the board's guest links and QR codes "
        "(e.g. https://charters.example.com); unset: this machine at the port served (`scc serve --port` too).",
    ),
    "SCC_TIMEZONE": ("UTC", "The operator's time zone (IANA name, e.g. America/New_York): charter times are local."),
    "SCC_REMINDER_DAYS": ("3,1", "Days before a charter its patron is reminded (comma-separated; empty: none)."),
    "SCC_MEETING_POINT": ("The dock — your captain will confirm the berth", "Where guests meet, on the party page."),
    "SCC_SHORE_EMAIL": (
        "(unset)",
        "The shore contact: gets each departure's manifest (who is aboard) and word of the return. Unset: nobody.",
    ),
    "SCC_TRUSTED_PROXIES": (
        "(unset)",
        "The proxies in front of `scc serve`: their addresses or networks (e.g. `127.0.0.1/32,10.0.0.0/8`) or how "
        "many there are (e.g. `1`). Unset: no forwarding header is believed; the connection's peer is the client.",
    ),
    "SCC_CLIENT_IP_HEADER": (
        "X-Forwarded-For",
        "The header the trusted proxies append the client's address to; read only with SCC_TRUSTED_PROXIES.",
    ),
    # Read by the Lambda handler only (lambda_function.py); see docs/deploy.md.
    "SCC_ORIGIN_SECRET": ("(unset)", "Lambda: answer 403 unless X-Origin-Secret carries this (CloudFront adds it)."),
    "SCC_PATH_PREFIX": ("(none)", "Lambda: path prefix to strip and keep for links (staging: `/_staging`)."),
    "SCC_SSM_PREFIX": ("(unset)", "Lambda: SSM path whose SCC_* parameters (SecureString) fill unset settings."),
    # Mail transports (adapters/mail_*.py); credentials are never printed or logged.
    "SCC_MAIL_TRANSPORT": ("folder", "How email leaves: `folder` (.eml files), `smtp`, `ses` or `gmail`."),
    "SCC_SMTP_HOST": ("localhost", "SMTP server (SCC_MAIL_TRANSPORT=smtp)."),
    "SCC_SMTP_PORT": ("587 (465 with tls, 25 with none)", "SMTP server port."),
    "SCC_SMTP_SECURITY": ("starttls", "`starttls` (required, never clear text), `tls` (implicit) or `none`."),
    "SCC_SMTP_USERNAME": ("(unset)", "SMTP user; unset: no AUTH."),
    "SCC_SMTP_PASSWORD": ("(unset)", "SMTP password."),
    "SCC_SES_REGION": ("(the AWS default)", "AWS region for SES; the sender must be verified there."),
    "SCC_GMAIL_CLIENT_ID": ("(unset)", "Google OAuth client id (fallback when the token store has none)."),
    "SCC_GMAIL_CLIENT_SECRET": ("(unset)", "Google OAuth client secret (fallback when the token store has none)."),
    "SCC_GMAIL_REFRESH_TOKEN": ("(unset)", "Gmail refresh token (fallback when the token store has none)."),
    "SCC_GMAIL_TOKEN_STORE": ("file", "Gmail token store: `file` (SCC_DATA_DIR/gmail-token.json, 0600) or `ssm`."),
    "SCC_GMAIL_SSM_PARAMETER": ("/shipcaptaincrew/gmail-token", "SSM SecureString parameter holding the Gmail token."),
    "SCC_GMAIL_TOKEN_URL": ("https://oauth2.googleapis.com/token", "Google's OAuth token endpoint."),
    "SCC_GMAIL_API_URL": ("https://gmail.googleapis.com", "Base URL of the Gmail API."),
}
MAIL_TRANSPORTS = ("folder", "smtp", "ses", "gmail")
STORES = ("sqlite", "dynamodb")
SMTP_PORTS = {"starttls": 587, "tls": 465, "none": 25}


class SettingsError(ValueError):
    """A setting has a value we cannot use; the message names the variable."""


@dataclass(frozen=True)
class MailSettings:
    """How email leaves. Secrets are kept out of repr, so printing the settings cannot show them."""

    transport: str = "folder"
    smtp_host: str = "localhost"
    smtp_port: int = 587
    smtp_security: str = "starttls"
    smtp_username: str | None = None
    smtp_password: str | None = field(default=None, repr=False)
    ses_region: str | None = None
    gmail_client_id: str | None = None
    gmail_client_secret: str | None = field(default=None, repr=False)
    gmail_refresh_token: str | None = field(default=None, repr=False)
    gmail_token_store: str = "file"
    gmail_ssm_parameter: str = "/shipcaptaincrew/gmail-token"
    gmail_token_url: str = "https://oauth2.googleapis.com/token"
    gmail_api_url: str = "https://gmail.googleapis.com"

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> MailSettings:
        security = _choice(env, "SCC_SMTP_SECURITY", "starttls", tuple(SMTP_PORTS))
        return cls(
            transport=_choice(env, "SCC_MAIL_TRANSPORT", "folder", MAIL_TRANSPORTS),
            smtp_host=env.get("SCC_SMTP_HOST") or "localhost",
            smtp_port=_number(env, "SCC_SMTP_PORT", str(SMTP_PORTS[security]), int, 1, 65535),
            smtp_security=security,
            smtp_username=env.get("SCC_SMTP_USERNAME") or None,
            smtp_password=env.get("SCC_SMTP_PASSWORD") or None,
            ses_region=env.get("SCC_SES_REGION") or None,
            gmail_client_id=env.get("SCC_GMAIL_CLIENT_ID") or None,
            gmail_client_secret=env.get("SCC_GMAIL_CLIENT_SECRET") or None,
            gmail_refresh_token=env.get("SCC_GMAIL_REFRESH_TOKEN") or None,
            gmail_token_store=_choice(env, "SCC_GMAIL_TOKEN_STORE", "file", ("file", "ssm")),
            gmail_ssm_parameter=env.get("SCC_GMAIL_SSM_PARAMETER") or cls.gmail_ssm_parameter,
            gmail_token_url=_url(env, "SCC_GMAIL_TOKEN_URL", cls.gmail_token_url),
            gmail_api_url=_url(env, "SCC_GMAIL_API_URL", cls.gmail_api_url).rstrip("/"),
        )


@dataclass(frozen=True)
class Settings:
    data_dir: Path
    host: str
    port: int
    store: str
    secret_key: str | None
    admin_password_hash: str | None
    periods: Periods
    token_ttl_hours: float
    trusted_proxies: TrustedProxies
    payment_methods: tuple[str, ...]
    mail_from: str
    operator_name: str
    meeting_point: str
    mail: MailSettings = field(default_factory=MailSettings)
    dynamodb_table: str = "scc"
    aws_endpoint_url: str | None = None
    public_url: str = "http://localhost:8000"
    timezone: str = "UTC"
    reminder_days: tuple[int, ...] = (3, 1)
    shore_email: str = ""

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, *, port: int | None = None) -> Settings:
        """`port`: the port actually served (`scc serve --port`), which wins over SCC_PORT, here and in the
        default SCC_PUBLIC_URL, so links in emails lead to the server that sent them."""
        env = os.environ if environ is None else environ
        served = port if port is not None else _number(env, "SCC_PORT", "8000", int, 1, 65535)
        return cls(
            data_dir=Path(env.get("SCC_DATA_DIR", "./scc-data")),
            host=env.get("SCC_HOST", "127.0.0.1"),
            port=served,
            store=_choice(env, "SCC_STORE", "sqlite", STORES),
            secret_key=_secret_key(env),
            admin_password_hash=env.get("SCC_ADMIN_PASSWORD_HASH") or None,
            periods=_periods(env.get("SCC_PERIODS", DEFAULT_PERIODS_SPEC)),
            token_ttl_hours=_number(env, "SCC_TOKEN_TTL_HOURS", "12", float, 0.01, 24 * 30),
            trusted_proxies=_trusted_proxies(env),
            payment_methods=_methods(env.get("SCC_PAYMENT_METHODS", ",".join(DEFAULT_METHODS))),
            mail_from=env.get("SCC_MAIL_FROM", "ShipCaptainCrew <bookings@localhost>"),
            operator_name=env.get("SCC_OPERATOR_NAME", DOCUMENTED["SCC_OPERATOR_NAME"][0]),
            meeting_point=env.get("SCC_MEETING_POINT", DOCUMENTED["SCC_MEETING_POINT"][0]),
            mail=MailSettings.from_env(env),
            dynamodb_table=_table(env.get("SCC_DYNAMODB_TABLE") or "scc"),
            aws_endpoint_url=_url(env, "SCC_AWS_ENDPOINT_URL", "") if env.get("SCC_AWS_ENDPOINT_URL") else None,
            public_url=_public_url(env, served),
            timezone=_timezone(env.get("SCC_TIMEZONE") or "UTC"),
            reminder_days=_reminder_days(env.get("SCC_REMINDER_DAYS", "3,1")),
            shore_email=_email(env, "SCC_SHORE_EMAIL"),
        )

    @property
    def database_path(self) -> Path:
        return self.data_dir / "scc.sqlite3"


N = TypeVar("N", int, float)


def _number(env: Mapping[str, str], name: str, default: str, kind: type[N], low: N, high: N) -> N:
    raw = env.get(name, default)
    try:
        value = kind(raw)
    except ValueError:
        raise SettingsError(f"{name} must be a number; got {raw!r}") from None
    if not low <= value <= high:
        raise SettingsError(f"{name} must be between {low} and {high}; got {raw!r}")
    return value


def _choice(env: Mapping[str, str], name: str, default: str, allowed: tuple[str, ...]) -> str:
    value = env.get(name, default)
    if value not in allowed:
        raise SettingsError(f"{name} must be one of {', '.join(allowed)}; got {value!r}")
    return value


def _url(env: Mapping[str, str], name: str, default: str) -> str:
    value = env.get(name) or default
    if not re.fullmatch(r"https?://[^\s/]+(/\S*)?", value):
        raise SettingsError(f"{name} must be an http(s) URL; got {value!r}")
    return value


def _public_url(env: Mapping[str, str], port: int) -> str:
    """SCC_PUBLIC_URL without a trailing slash; unset: this machine at the port served."""
    value = _url(env, "SCC_PUBLIC_URL", f"http://localhost:{port}")
    if re.search(r"[?#]", value):
        raise SettingsError(f"SCC_PUBLIC_URL must be a plain address, without ? or #; got {value!r}")
    return value.rstrip("/")


def _email(env: Mapping[str, str], name: str) -> str:
    value = env.get(name, "").strip()
    if value and not re.fullmatch(EMAIL_PATTERN, value):
        raise SettingsError(f"{name} must be an email address like ops@example.org; got {value!r}")
    return value


def _trusted_proxies(env: Mapping[str, str]) -> TrustedProxies:
    spec, header = env.get("SCC_TRUSTED_PROXIES", "").strip(), env.get("SCC_CLIENT_IP_HEADER", "").strip()
    if not spec:
        if header:
            raise SettingsError(
                "SCC_CLIENT_IP_HEADER is read only behind proxies you trust: set SCC_TRUSTED_PROXIES to their "
                "addresses (e.g. 127.0.0.1/32) or to how many there are (e.g. 1), or unset SCC_CLIENT_IP_HEADER"
            )
        return TrustedProxies()
    if header and not re.fullmatch(r"[A-Za-z0-9-]+", header):
        raise SettingsError(f"SCC_CLIENT_IP_HEADER must be a header name like X-Forwarded-For; got {header!r}")
    try:
        return TrustedProxies.parse(spec, header or FORWARDED_FOR)
    except ValueError as error:
        raise SettingsError(f"SCC_TRUSTED_PROXIES: {error}; got {spec!r}") from None


def _secret_key(env: Mapping[str, str]) -> str | None:
    value = env.get("SCC_SECRET_KEY") or None
    if value is not None and len(value.encode()) < MIN_SECRET_BYTES:
        raise SettingsError(
            f"SCC_SECRET_KEY must be at least {MIN_SECRET_BYTES} bytes (e.g. `openssl rand -hex 32`); "
            f"it has {len(value.encode())}"
        )
    return value


def _reminder_days(spec: str) -> tuple[int, ...]:
    parts = [part.strip() for part in spec.split(",") if part.strip()]
    if not all(part.isdigit() and 0 <= int(part) <= 60 for part in parts):
        raise SettingsError(f"SCC_REMINDER_DAYS must be days before a charter, 0 to 60, like 3,1; got {spec!r}")
    return tuple(sorted({int(part) for part in parts}, reverse=True))


def _timezone(name: str) -> str:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise SettingsError(
            f"SCC_TIMEZONE must be a time zone name like America/New_York or UTC; got {name!r}"
        ) from None
    return name


def _table(name: str) -> str:
    if not re.fullmatch(r"[A-Za-z0-9_.-]{3,255}", name):
        raise SettingsError(
            f"SCC_DYNAMODB_TABLE must be a DynamoDB table name (3-255 of A-Z a-z 0-9 _ . -); got {name!r}"
        )
    return name


def _methods(spec: str) -> tuple[str, ...]:
    methods = tuple(part.strip() for part in spec.split(",") if part.strip())
    if not methods or not all(re.fullmatch(r"[a-z][a-z0-9_]{0,19}", method) for method in methods):
        raise SettingsError(f"SCC_PAYMENT_METHODS must be comma-separated lowercase names; got {spec!r}")
    return methods


def _periods(spec: str) -> Periods:
    try:
        return parse_periods(spec)
    except ValueError as error:
        raise SettingsError(f"SCC_PERIODS: {error}") from None


@dataclass(frozen=True)
class LambdaSettings:
    """What only the Lambda handler reads: CloudFront's origin secret, the stage's path prefix, the SSM path."""

    origin_secret: str | None = None
    path_prefix: str = ""
    ssm_prefix: str | None = None

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> LambdaSettings:
        env = os.environ if environ is None else environ
        return cls(
            origin_secret=env.get("SCC_ORIGIN_SECRET") or None,
            path_prefix=_path(env, "SCC_PATH_PREFIX", r"(/[A-Za-z0-9_.-]+)*", "a path like /_staging, no trailing /"),
            ssm_prefix=_path(env, "SCC_SSM_PREFIX", r"(/[A-Za-z0-9_.-]+)*", "an SSM path like /scc/prod") or None,
        )


def environment_with(fallback: Mapping[str, str]) -> dict[str, str]:
    """The environment, with `fallback` filling the names it does not set (on Lambda: SSM parameters)."""
    return {**fallback, **os.environ}


def _path(env: Mapping[str, str], name: str, pattern: str, expected: str) -> str:
    value = env.get(name, "")
    if not re.fullmatch(pattern, value):
        raise SettingsError(f"{name} must be {expected}; got {value!r}")
    return value
