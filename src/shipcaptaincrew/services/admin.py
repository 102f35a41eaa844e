"""Admin sign-in: the password, tokens, and throttling of failed attempts."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, replace

from shipcaptaincrew.domain import tokens
from shipcaptaincrew.domain.errors import InvalidInput, Throttled, Unauthorized
from shipcaptaincrew.domain.tokens import Claims
from shipcaptaincrew.services.context import Context, SignInState

ADMIN = "admin"
MIN_PASSWORD = 10


def log_in(ctx: Context, password: str, client: str) -> tuple[str, Claims]:
    """A signed token for the admin. Raise Throttled after repeated failures, Unauthorized on a wrong password.

    Failures are counted in the store (per client and overall, in a sliding window), so every process and every
    Lambda container applies one count; the password is not even checked while a client must wait.
    """
    now = ctx.clock.now()
    limits, after = ctx.sign_in_limits, now - ctx.sign_in_limits.window
    with ctx.store.reading() as uow:
        mine = uow.credentials.failed_sign_ins(client, after, limits.per_client)
        everyone = uow.credentials.failed_sign_ins(None, after, limits.overall)
    wait = limits.retry_after(mine, everyone, now)
    if wait:
        raise Throttled(f"too many failed sign-ins; try again in {wait} seconds", wait)
    stored = _password_hash(ctx)
    if stored is None or not ctx.hasher.verify(stored, password):
        with ctx.store.writing() as uow:
            uow.credentials.record_failed_sign_in(client, now, after)
        raise Unauthorized("wrong password", "password")
    if mine:
        with ctx.store.writing() as uow:
            uow.credentials.clear_failed_sign_ins(client)
    claims = Claims(ADMIN, secrets.token_urlsafe(12), now + ctx.token_ttl, tokens.password_fingerprint(stored))
    return tokens.issue(ctx.keys.sign_in, claims), claims


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


def log_out(ctx: Context, token: str) -> None:
    """Revoke this token. A token that is already invalid needs nothing more."""
    claims = tokens.verify(ctx.keys.sign_in, token, _fingerprint_or_blank(ctx), ctx.clock.now())
    with ctx.store.writing() as uow:
        uow.credentials.revoke(claims.token_id, claims.expires_at, ctx.clock.now())
        uow.audit.append("admin.logged_out", claims.subject, ctx.clock.now(), {})


def set_admin_password(ctx: Context, password: str, actor: str) -> None:
    """Store a new argon2id hash; every token issued before stops working."""
    if len(password) < MIN_PASSWORD:
        raise InvalidInput(f"password must be at least {MIN_PASSWORD} characters", "password")
    if ctx.admin_password_hash:
        raise InvalidInput("the admin password is fixed by SCC_ADMIN_PASSWORD_HASH; change it there", "password")
    password_hash = ctx.hasher.hash(password)
    with ctx.store.writing() as uow:
        uow.credentials.set_admin_password_hash(password_hash)
        uow.audit.append("admin.password_changed", actor, ctx.clock.now(), {})


def ensure_admin_password(ctx: Context) -> str | None:
    """On first run, create a random admin password and return it (to print once); None if one exists."""
    if _password_hash(ctx) is not None:
        return None
    password = secrets.token_urlsafe(12)
    set_admin_password(ctx, password, actor="first-run")
    return password


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
