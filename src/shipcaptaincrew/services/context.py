"""What every use case is handed: the store, the clock and the operator's settings that rules need."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, timedelta, tzinfo

from shipcaptaincrew.domain.guest_words import GuestWords
from shipcaptaincrew.domain.keys import Keys
from shipcaptaincrew.domain.ledger import DEFAULT_METHODS
from shipcaptaincrew.domain.periods import DEFAULT_PERIODS, Periods
from shipcaptaincrew.domain.throttle import SignInLimits
from shipcaptaincrew.ports import Clock, CopyPrinter, FirstPasswordKeeper, Mailer, PasswordHasher, Store
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
    first_password: FirstPasswordKeeper | None = None
    """Keeps the first-run password to show again at each start until the first sign-in; None: shown once."""
    sign_in_limits: SignInLimits = field(default_factory=SignInLimits)
    sign_in_cache: SignInState | None = None
    public_url: str = ""
    """Where guests and crew reach this stage of the site (SCC_PUBLIC_URL and the path prefix, no trailing
    slash), for links in emails."""
    path_prefix: str = ""
    """The stage's path prefix (SCC_PATH_PREFIX: `/_staging` on the staging function), in every link the API gives."""
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
    operator: str = "ShipCaptainCrew charters"
    """The operator's name (SCC_OPERATOR_NAME), on guest pages, signed copies and their emails."""
    printer: CopyPrinter | None = None
    """Makes the signer's copy into a PDF; None: copies go by email without it, and the PDF link answers 404."""

    @property
    def words(self) -> GuestWords:
        """How guest pages, copies and emails say when things are: this operator's name, periods and time zone."""
        return GuestWords(self.operator, self.periods, self.zone)

    shore_email: str = ""
    """Who ashore gets each departure's manifest and word of the return (SCC_SHORE_EMAIL); empty: nobody."""
