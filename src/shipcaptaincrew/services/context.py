"""What every use case is handed: the store, the clock and the operator's settings that rules need."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, timedelta, tzinfo

from shipcaptaincrew.domain.keys import Keys
from shipcaptaincrew.domain.ledger import DEFAULT_METHODS
from shipcaptaincrew.domain.periods import DEFAULT_PERIODS, Periods
from shipcaptaincrew.domain.throttle import SignInLimits
from shipcaptaincrew.ports import Clock, Mailer, PasswordHasher, Store
from shipcaptaincrew.services.retries import Retries


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
    """Where guests and crew reach this stage of the site (SCC_PUBLIC_URL and the path prefix, no trailing
    slash), for links in emails."""
    path_prefix: str = ""
    """The stage's path prefix (SCC_PATH_PREFIX: `/_staging` on the staging function), in every link the API gives."""
    operator_name: str = "ShipCaptainCrew charters"
    """Who runs the charters (SCC_OPERATOR_NAME), for what patrons and guests are sent."""
    meeting_point: str = "The dock — your captain will confirm the berth"
    """Where guests meet (SCC_MEETING_POINT)."""
    reminder_days: tuple[int, ...] = (3, 1)
    """Days before a charter its patron is reminded (SCC_REMINDER_DAYS)."""
    zone: tzinfo = UTC
    """The operator's time zone (SCC_TIMEZONE): charter periods are local times there."""
    mail_transport: str = "folder"
    """Which transport `mailer` is (SCC_MAIL_TRANSPORT), for /healthz and `scc mail test`."""
    retries: Retries = field(default_factory=Retries)
    """How a use case that lost a race with another writer runs again (services/retries.py)."""
