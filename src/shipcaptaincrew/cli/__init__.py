"""The `scc` command line: the root group, which gathers the commands of this package's modules.

Every command is listed, with its --help, in docs/cli.md (generated from them: `make docs`).
"""

from __future__ import annotations

import click

from shipcaptaincrew import __version__
from shipcaptaincrew.cli.admin import admin_group
from shipcaptaincrew.cli.backup import backup_command, restore_command
from shipcaptaincrew.cli.cdn import cdn_group, infra_group
from shipcaptaincrew.cli.db import db_group
from shipcaptaincrew.cli.deploy import deploy_command, package_command, promote_command, rollback_command
from shipcaptaincrew.cli.events import events_group
from shipcaptaincrew.cli.export import export_group
from shipcaptaincrew.cli.mail import mail_group
from shipcaptaincrew.cli.outbox import outbox_group
from shipcaptaincrew.cli.payments import payments_group
from shipcaptaincrew.cli.reminders import reminders_group
from shipcaptaincrew.cli.roster import assign, roster_group
from shipcaptaincrew.cli.serve import serve
from shipcaptaincrew.cli.site import site_group
from shipcaptaincrew.cli.smoke import smoke_command
from shipcaptaincrew.cli.transfer import import_command
from shipcaptaincrew.cli.waiver import waiver_group
from shipcaptaincrew.cli.weather import weather_call_command
from shipcaptaincrew.config import DOCUMENTED

SETTINGS_HELP = "\n".join(f"  {name:<24} {text} (default: {default})" for name, (default, text) in DOCUMENTED.items())


@click.group(
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 120},
    epilog=f"Settings come from the environment:\n\n\b\n{SETTINGS_HELP}",
)
@click.version_option(__version__, prog_name="scc")
def cli() -> None:
    """ShipCaptainCrew: booking and dispatch for small charter operators.

    Start with `scc serve`; every command has --help.
    """


cli.add_command(serve)
cli.add_command(admin_group)
cli.add_command(events_group)
cli.add_command(roster_group)
events_group.add_command(assign)
cli.add_command(payments_group)
cli.add_command(reminders_group)
cli.add_command(weather_call_command)
cli.add_command(outbox_group)
cli.add_command(export_group)
cli.add_command(import_command)
cli.add_command(db_group)
cli.add_command(backup_command)
cli.add_command(restore_command)
cli.add_command(waiver_group)
cli.add_command(package_command)
cli.add_command(deploy_command)
cli.add_command(promote_command)
cli.add_command(rollback_command)
cli.add_command(mail_group)
cli.add_command(cdn_group)
cli.add_command(infra_group)
cli.add_command(site_group)
cli.add_command(smoke_command)


def main() -> None:
    cli(prog_name="scc")
