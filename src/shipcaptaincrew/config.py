"""Settings, read once from the environment (SCC_*). Nothing else reads the environment."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from shipcaptaincrew.domain.ledger import DEFAULT_METHODS
from shipcaptaincrew.domain.periods import DEFAULT_PERIODS_SPEC, Periods, parse_periods

# Every setting, its default and what it does; the README's table and `scc --help` come from here.
DOCUMENTED: dict[str, tuple[str, str]] = {
    "SCC_DATA_DIR": ("./scc-data", "Folder for the SQLite database, the secret key and the outbox."),
    "SCC_HOST": ("127.0.0.1", "Address `scc serve` listens on."),
    "SCC_PORT": ("8000", "Port `scc serve` listens on."),
    "SCC_STORE": ("sqlite", "Where data lives: `sqlite` (in SCC_DATA_DIR)."),
    "SCC_SECRET_KEY": ("(generated)", "Key that signs tokens; unset: generated into SCC_DATA_DIR/secret.key."),
    "SCC_ADMIN_PASSWORD_HASH": ("(unset)", "An argon2id hash that fixes the admin password; unset: kept in the store."),
    "SCC_PERIODS": (DEFAULT_PERIODS_SPEC, "Charter periods and time windows, `name=HH:MM-HH:MM`, comma-separated."),
    "SCC_TOKEN_TTL_HOURS": ("12", "How long a sign-in token lasts."),
    "SCC_PAYMENT_METHODS": (",".join(DEFAULT_METHODS), "Payment methods the dispatcher can log, comma-separated."),
    "SCC_MAIL_FROM": ("ShipCaptainCrew <bookings@localhost>", "Sender of every email."),
    "SCC_OPERATOR_NAME": ("ShipCaptainCrew charters", "The operator's name, shown on guest pages and waiver copies."),
    "SCC_MEETING_POINT": ("The dock — your captain will confirm the berth", "Where guests meet, on the party page."),
    "SCC_CLIENT_IP_HEADER": ("(unset)", "Header with the client address behind a trusted proxy (X-Forwarded-For)."),
}


class SettingsError(ValueError):
    """A setting has a value we cannot use; the message names the variable."""


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
    client_ip_header: str | None
    payment_methods: tuple[str, ...]
    mail_from: str
    operator_name: str
    meeting_point: str

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ
        return cls(
            data_dir=Path(env.get("SCC_DATA_DIR", "./scc-data")),
            host=env.get("SCC_HOST", "127.0.0.1"),
            port=_number(env, "SCC_PORT", "8000", int, 1, 65535),
            store=_choice(env, "SCC_STORE", "sqlite", ("sqlite",)),
            secret_key=env.get("SCC_SECRET_KEY") or None,
            admin_password_hash=env.get("SCC_ADMIN_PASSWORD_HASH") or None,
            periods=_periods(env.get("SCC_PERIODS", DEFAULT_PERIODS_SPEC)),
            token_ttl_hours=_number(env, "SCC_TOKEN_TTL_HOURS", "12", float, 0.01, 24 * 30),
            client_ip_header=env.get("SCC_CLIENT_IP_HEADER") or None,
            payment_methods=_methods(env.get("SCC_PAYMENT_METHODS", ",".join(DEFAULT_METHODS))),
            mail_from=env.get("SCC_MAIL_FROM", "ShipCaptainCrew <bookings@localhost>"),
            operator_name=env.get("SCC_OPERATOR_NAME", DOCUMENTED["SCC_OPERATOR_NAME"][0]),
            meeting_point=env.get("SCC_MEETING_POINT", DOCUMENTED["SCC_MEETING_POINT"][0]),
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
