"""What every use case is handed: the store, the clock and the operator's settings that rules need."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, timedelta, tzinfo

from shipcaptaincrew.domain.keys import Keys
from shipcaptaincrew.domain.ledger import DEFAULT_METHODS
from shipcaptaincrew.domain.periods import DEFAULT_PERIODS, Periods
from shipcaptaincrew.domain.throttle import SignInLimits
from shipcaptaincrew.ports import Clock, Mailer, PasswordHasher, Store


@dataclass(frozen=True)
class SignInState:
    """What checking a token needs, as read at one store generation."""

    generation: int
    """The store's auth generation this was read at."""
    fingerprint: str | None
    revoked: frozenset[str]
    data_generation: int = 0


@dataclass
class Context:
    store: Store
    clock: Clock
    hasher: PasswordHasher
    keys: Keys
    """One key per purpose, derived from SCC_SECRET_KEY."""
    mailer: Mailer
    periods: Periods = DEFAULT_PERIODS
    payment_methods: tuple[str, ...] = DEFAULT_METHODS
    token_ttl: timedelta = timedelta(hours=12)
    admin_password_hash: str | None = None
    """A hash fixed by configuration (SCC_ADMIN_PASSWORD_HASH); when set it wins over the stored one."""
    sign_in_limits: SignInLimits = field(default_factory=SignInLimits)
    sign_in_cache: SignInState | None = None
    public_url: str = ""
    """Where guests and crew reach the site (SCC_PUBLIC_URL, no trailing slash), for links in emails."""
    operator_name: str = "ShipCaptainCrew charters"
    """Who runs the charters (SCC_OPERATOR_NAME), for what patrons and guests are sent."""
    zone: tzinfo = UTC
    """The operator's time zone (SCC_TIMEZONE): charter periods are local times there."""
    mail_transport: str = "folder"
    """Which transport `mailer` is (SCC_MAIL_TRANSPORT), for /healthz and `scc mail test`."""
    shore_email: str = ""
    """Who ashore gets each departure's manifest and word of the return (SCC_SHORE_EMAIL); empty: nobody."""
