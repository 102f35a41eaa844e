"""`scc roster`: ships and people; `scc events assign`: put them on a charter."""

from __future__ import annotations

from datetime import date

import click

from shipcaptaincrew.cli.common import CLI_ACTOR, DAY, open_context, reports_errors
from shipcaptaincrew.domain.errors import InvalidInput
from shipcaptaincrew.domain.roster import AssignmentConflicts, Person
from shipcaptaincrew.services import day_sheets, roster
from shipcaptaincrew.services.context import Context


@click.group("roster")
def roster_group() -> None:
    """Ships, captains and crew."""


@roster_group.group("ships")
def ships() -> None:
    """The ships and their passenger capacity."""


@ships.command("list")
@reports_errors
def list_ships() -> None:
    """List the ships: id, capacity, name."""
    for ship in roster.list_ships(open_context()):
        click.echo(f"{ship.id}\t{ship.capacity:>3}\t{ship.name}")


@ships.command("add")
@click.argument("name")
@click.option("--capacity", required=True, type=int, help="Passengers the ship may carry.")
@reports_errors
def add_ship(name: str, capacity: int) -> None:
    """Put a ship on the roster; prints its id."""
    click.echo(roster.add_ship(open_context(), name, capacity, CLI_ACTOR).id)


@ships.command("update")
@click.argument("ship")
@click.option("--name", help="New name.")
@click.option("--capacity", type=int, help="New capacity.")
@reports_errors
def update_ship(ship: str, name: str | None, capacity: int | None) -> None:
    """Rename a ship (by id or name) or change its capacity."""
    ctx = open_context()
    roster.update_ship(ctx, _ship_id(ctx, ship), name, capacity, CLI_ACTOR)
    click.echo("Saved.")


@ships.command("retire")
@click.argument("ship")
@reports_errors
def retire_ship(ship: str) -> None:
    """Take a ship (by id or name) off the lists; past charters keep its name. Refused while upcoming charters
    use it: reassign those first."""
    ctx = open_context()
    click.echo(f"Retired {roster.retire_ship(ctx, _ship_id(ctx, ship), CLI_ACTOR).name}.")


@roster_group.group("people")
def people() -> None:
    """Captains and crew, their contact details and credentials."""


@people.command("list")
@reports_errors
def list_people() -> None:
    """List the people: id, role, name, licence and medical expiry, calendar address, day-sheet address."""
    ctx = open_context()
    for person in roster.list_people(ctx):
        click.echo(
            f"{person.id}\t{person.role:<7}\t{person.name}\tlicence {person.licence_expires or '-'}\t"
            f"medical {person.medical_expires or '-'}\t/cal/{person.calendar_token}.ics\t"
            f"{day_sheets.sheet_path(ctx, person)}"
        )


@people.command("add")
@click.argument("name")
@click.option("--role", required=True, type=click.Choice(["captain", "crew"]), help="Captain or crew.")
@click.option("--email", default="", help="For assignment emails.")
@click.option("--phone", default="", help="Phone number.")
@click.option("--licence-expires", type=DAY, help="Licence expiry date (YYYY-MM-DD).")
@click.option("--medical-expires", type=DAY, help="Medical certificate expiry date (YYYY-MM-DD).")
@reports_errors
def add_person(name: str, role: str, email: str, phone: str, licence_expires: object, medical_expires: object) -> None:
    """Put a captain or crew member on the roster; prints their id."""
    draft = Person("", name, role, email, phone, _day(licence_expires), _day(medical_expires))
    click.echo(roster.add_person(open_context(), draft, CLI_ACTOR).id)


@people.command("retire")
@click.argument("person")
@reports_errors
def retire_person(person: str) -> None:
    """Take a captain or crew member (by id or name) off the lists, with the ships' rule; their calendar feed
    stops answering."""
    ctx = open_context()
    click.echo(f"Retired {roster.retire_person(ctx, _person_id(ctx, person), CLI_ACTOR).name}.")


@people.command("rotate-calendar")
@click.argument("person")
@reports_errors
def rotate_calendar(person: str) -> None:
    """Give a person (by id or name) a new calendar address; the old one answers 404 from now on."""
    ctx = open_context()
    rotated = roster.rotate_calendar(ctx, _person_id(ctx, person), CLI_ACTOR)
    click.echo(f"{rotated.name}'s calendar is now at {ctx.public_url}/cal/{rotated.calendar_token}.ics")
    click.echo("The old address no longer answers: send the new one to their phone's calendar.")


@people.command("rotate-day-sheet")
@click.argument("person")
@reports_errors
def rotate_day_sheet(person: str) -> None:
    """Give a person (by id or name) a new day-sheet address; the old one answers 404 from now on."""
    ctx = open_context()
    rotated = day_sheets.rotate_day_sheet(ctx, _person_id(ctx, person), CLI_ACTOR)
    click.echo(f"{rotated.name}'s day sheet is now at {ctx.public_url}{day_sheets.sheet_path(ctx, rotated)}")
    click.echo("The old address no longer answers: send them the new one.")


@people.command("schedule")
@click.argument("person")
@reports_errors
def schedule(person: str) -> None:
    """A person's (by id or name) charters for the next 90 days."""
    ctx = open_context()
    found = roster.schedule(ctx, _person_id(ctx, person))
    for event in found.events:
        flag = f"  ! {len(event.assignment.conflicts)} conflict(s)" if event.assignment.conflicts else ""
        click.echo(f"{event.details.date} {event.details.period:<7} {event.slug:<36} {event.ship or '-'}{flag}")


@click.command("assign")
@click.argument("slug")
@click.option("--ship", help="Ship id or name.")
@click.option("--captain", help="Captain id or name.")
@click.option("--crew", multiple=True, help="Crew member id or name (repeat for each).")
@click.option("--override", "reason", default="", help="Save despite conflicts, for this reason (kept on the event).")
@reports_errors
def assign(slug: str, ship: str | None, captain: str | None, crew: tuple[str, ...], reason: str) -> None:
    """Assign ship, captain and crew to an event. Conflicts are listed; saving them needs --override REASON."""
    ctx = open_context()
    try:
        event = roster.assign_crew(
            ctx,
            slug,
            _ship_id(ctx, ship) if ship else None,
            _person_id(ctx, captain) if captain else None,
            [_person_id(ctx, member) for member in crew],
            reason,
            CLI_ACTOR,
        )
    except AssignmentConflicts as refused:
        for conflict in refused.conflicts:
            click.echo(f"conflict: {conflict.message}", err=True)
        raise click.ClickException("not saved: give --override REASON to save with these conflicts") from None
    for conflict in event.assignment.conflicts:
        click.echo(f"conflict (overridden): {conflict.message}", err=True)
    click.echo(
        f"Assigned {event.slug}: ship {event.ship or '-'}, captain {event.captain or '-'}, "
        f"crew {', '.join(event.crew) or '-'}"
    )


def _ship_id(ctx: Context, key: str) -> str:
    found = [ship.id for ship in roster.list_ships(ctx) if key in (ship.id, ship.name)]
    if len(found) != 1:
        raise InvalidInput(f"no single ship with id or name {key!r}", "ship")
    return found[0]


def _person_id(ctx: Context, key: str) -> str:
    found = [person.id for person in roster.list_people(ctx) if key in (person.id, person.name)]
    if len(found) != 1:
        raise InvalidInput(f"no single person with id or name {key!r}", "person")
    return found[0]


def _day(value: object) -> date | None:
    return value.date() if hasattr(value, "date") else None
