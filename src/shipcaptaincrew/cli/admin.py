"""`scc admin`: the admin password."""

from __future__ import annotations

import sys

import click

from shipcaptaincrew.cli.common import CLI_ACTOR, open_context, reports_errors
from shipcaptaincrew.services import admin as admin_service


@click.group("admin")
def admin_group() -> None:
    """Manage the admin account."""


@admin_group.command("set-password")
@click.option("--password-stdin", is_flag=True, help="Read the new password from standard input (for scripts).")
@reports_errors
def set_password(password_stdin: bool) -> None:
    """Set a new admin password (at least 10 characters). Every signed-in session is signed out."""
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("New admin password", hide_input=True, confirmation_prompt=True)
    admin_service.set_admin_password(open_context(), password, CLI_ACTOR)
    click.echo("Admin password changed; sessions signed in before are signed out.")
