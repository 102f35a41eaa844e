"""Admin sign-in: the password, tokens, and throttling of failed attempts."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, replace
from datetime import datetime
from typing import TYPE_CHECKING, NoReturn

from shipcaptaincrew.domain import tokens
from shipcaptaincrew.domain.errors import InvalidInput, Throttled, Unauthorized, WrongPassword
from shipcaptaincrew.domain.throttle import limit_key
from shipcaptaincrew.domain.tokens import Claims
from shipcaptaincrew.services.context import Context, SignInState
from shipcaptaincrew.services.retries import retried

if TYPE_CHECKING:  # the tags are imported on the first sign-in, not at start-up
    from shipcaptaincrew.domain.password_tags import Lane
    from shipcaptaincrew.ports import UnitOfWork

ADMIN = "admin"
MIN_PASSWORD = 10


@dataclass(frozen=True)
class SignInAttempt:
    """An attempt counted against its client before its password is checked."""

    client: str
    """The client's limit key (an IPv6 client's /64)."""
    attempt: str
    at: datetime


def start_sign_in(ctx: Context, client: str) -> SignInAttempt:
    """Count an attempt by `client` as a failure before any password is checked. Raise Throttled when the client
    already has its limit of failures in the window (nothing counted then).

    The count and the claim are one atomic step in the store, so concurrent guesses from one client get at most
    the per-client limit of password checks between them, in every process and Lambda container.
    """
    now, limits, key = ctx.clock.now(), ctx.sign_in_limits, limit_key(client)
    with ctx.store.writing() as uow:
        attempt = uow.credentials.claim_sign_in_attempt(key, now, now - limits.window, limits.per_client)
    if attempt is None:
        with ctx.store.reading() as uow:
            mine = uow.credentials.failed_sign_ins(key, now - limits.window, limits.per_client)
        wait = limits.client_wait(mine, now)
        raise Throttled(f"too many failed sign-ins; try again in {wait} seconds", wait)
    return SignInAttempt(key, attempt, now)


def sort_sign_in(ctx: Context, attempt: SignInAttempt, password: str) -> Lane:
    """Which lane a started attempt's password is checked in, from the password's tag: microseconds, no argon2.

    A password whose tag differs from the current one is wrong for certain: it is counted as a wrong password and
    WrongPassword is raised here, without argon2 (domain/password_tags.py). With no current tag (a password set
    before tags, a new secret key, a new configured hash) every password is UNSORTED: argon2 says.
    """
    from shipcaptaincrew.domain.password_tags import Lane, sort_password

    with ctx.store.reading() as uow:
        stored = ctx.admin_password_hash or uow.credentials.admin_password_hash()
        tag = uow.credentials.admin_password_tag()
    if stored is None:
        return Lane.UNSORTED
    lane = sort_password(tag, ctx.keys.password_tag, tokens.password_fingerprint(stored), password)
    if lane is Lane.WRONG:
        _count_wrong_password(ctx, attempt)
    return lane


def finish_sign_in(ctx: Context, attempt: SignInAttempt, password: str) -> tuple[str, Claims]:
    """Check the password of a started attempt with argon2: a signed token for the admin, or WrongPassword.

    A wrong password stays counted (against the client and in everyone's total); WrongPassword.delay is how
    long to hold back its answer while everyone's failures are over the overall limit. The right password is
    never refused or delayed by everyone's failures. A right password with no current tag gets one.
    """
    stored = _password_hash(ctx)
    if stored is None or not ctx.hasher.verify(stored, password):
        _count_wrong_password(ctx, attempt)
    with ctx.store.writing() as uow:
        uow.credentials.clear_failed_sign_ins(attempt.client, attempt.attempt)
        _tag_if_untagged(ctx, uow, stored, password)
    if ctx.first_password is not None:
        ctx.first_password.forget()  # someone is in: the first-run password is shown no more
    now = ctx.clock.now()
    claims = Claims(ADMIN, secrets.token_urlsafe(12), now + ctx.token_ttl, tokens.password_fingerprint(stored))
    return tokens.issue(ctx.keys.sign_in, claims), claims


def _count_wrong_password(ctx: Context, attempt: SignInAttempt) -> NoReturn:
    limits = ctx.sign_in_limits
    after = attempt.at - limits.window
    with ctx.store.writing() as uow:
        uow.credentials.record_failed_sign_in(attempt.client, attempt.attempt, attempt.at, after)
    with ctx.store.reading() as uow:
        everyone = uow.credentials.failed_sign_ins(None, after, limits.overall)
    raise WrongPassword("wrong password", "password", limits.delay(everyone))


def _tag_if_untagged(ctx: Context, uow: UnitOfWork, password_hash: str, password: str) -> None:
    """The password was just found right: give it a tag if it has no current one (set before tags, or tagged
    under a secret key since replaced), unless the password changed meanwhile."""
    from shipcaptaincrew.domain.password_tags import is_current, tag_password

    fingerprint, key = tokens.password_fingerprint(password_hash), ctx.keys.password_tag
    if is_current(uow.credentials.admin_password_tag(), key, fingerprint):
        return
    if (ctx.admin_password_hash or uow.credentials.admin_password_hash()) == password_hash:
        uow.credentials.set_admin_password_tag(tag_password(key, fingerprint, password))


def abandon_sign_in(ctx: Context, attempt: SignInAttempt) -> None:
    """The attempt's password was never checked (the server was too busy): stop counting it."""
    with ctx.store.writing() as uow:
        uow.credentials.forget_sign_in_attempt(attempt.client, attempt.attempt)


def log_in(ctx: Context, password: str, client: str) -> tuple[str, Claims]:
    """Start, sort and finish a sign-in at once (the CLI and tests; the web layer puts the password check in its
    lane between)."""
    attempt = start_sign_in(ctx, client)
    sort_sign_in(ctx, attempt, password)
    return finish_sign_in(ctx, attempt, password)


@dataclass(frozen=True)
class Session:
    actor: str
    generation: int
    """The store's data generation when the check was made; callers may cache reads by it."""


def check_token(ctx: Context, token: str) -> Session:
    """Who the token was issued to; raise Unauthorized if it is invalid, expired, signed out or revoked.

    Pure CPU plus one counter read while nothing changed: the password fingerprint and the signed-out
    tokens are re-read only when the store generation moves.
    """
    state = _sign_in_state(ctx)
    if state.fingerprint is None:
        raise Unauthorized("no admin password is set; run `scc admin set-password`")
    claims = tokens.verify(ctx.keys.sign_in, token, state.fingerprint, ctx.clock.now())
    if claims.token_id in state.revoked:
        raise Unauthorized("this token was signed out; sign in again")
    return Session(claims.subject, state.data_generation)


@retried
def log_out(ctx: Context, token: str) -> None:
    """Revoke this token. A token that is already invalid needs nothing more."""
    claims = tokens.verify(ctx.keys.sign_in, token, _fingerprint_or_blank(ctx), ctx.clock.now())
    with ctx.store.writing() as uow:
        uow.credentials.revoke(claims.token_id, claims.expires_at, ctx.clock.now())
        uow.audit.append("admin.logged_out", claims.subject, ctx.clock.now(), {})


@retried
def set_admin_password(ctx: Context, password: str, actor: str) -> None:
    """Store a new argon2id hash and the password's tag; every token issued before stops working."""
    from shipcaptaincrew.domain.password_tags import tag_password

    if len(password) < MIN_PASSWORD:
        raise InvalidInput(f"password must be at least {MIN_PASSWORD} characters", "password")
    if ctx.admin_password_hash:
        raise InvalidInput("the admin password is fixed by SCC_ADMIN_PASSWORD_HASH; change it there", "password")
    password_hash = ctx.hasher.hash(password)
    tag = tag_password(ctx.keys.password_tag, tokens.password_fingerprint(password_hash), password)
    with ctx.store.writing() as uow:
        uow.credentials.set_admin_password_hash(password_hash)
        uow.credentials.set_admin_password_tag(tag)
        uow.audit.append("admin.password_changed", actor, ctx.clock.now(), {})


def ensure_admin_password(ctx: Context) -> str | None:
    """On first run, create a random admin password and return it (to print once); None if one exists."""
    if _password_hash(ctx) is not None:
        return None
    password = secrets.token_urlsafe(12)
    set_admin_password(ctx, password, actor="first-run")
    return password


def first_run_password(ctx: Context) -> str | None:
    """The admin password to show at start: a new one on first run, then the same one at each start until someone
    signs in (or it is changed); None once it is no longer to be shown."""
    new = ensure_admin_password(ctx)
    keeper = ctx.first_password
    if keeper is None:
        return new
    if new is not None:
        keeper.keep(new)
        return new
    kept, stored = keeper.kept(), _password_hash(ctx)
    if kept is not None and stored is not None and ctx.hasher.verify(stored, kept):
        return kept
    keeper.forget()
    return None


def _sign_in_state(ctx: Context) -> SignInState:
    generations = ctx.store.generations()
    cached = ctx.sign_in_cache
    if cached is not None and cached.generation == generations.auth:
        return replace(cached, data_generation=generations.data)
    with ctx.store.reading() as uow:
        stored = ctx.admin_password_hash or uow.credentials.admin_password_hash()
        revoked = frozenset(uow.credentials.revoked_token_ids())
    fingerprint = tokens.password_fingerprint(stored) if stored else None
    ctx.sign_in_cache = SignInState(generations.auth, fingerprint, revoked, generations.data)
    return ctx.sign_in_cache


def _fingerprint_or_blank(ctx: Context) -> str:
    stored = _password_hash(ctx)
    return tokens.password_fingerprint(stored) if stored else ""


def _password_hash(ctx: Context) -> str | None:
    if ctx.admin_password_hash:
        return ctx.admin_password_hash
    with ctx.store.reading() as uow:
        return uow.credentials.admin_password_hash()
