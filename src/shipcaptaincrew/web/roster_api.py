"""The roster API (ships, people, a person's schedule and links), event assignment, and the crew calendar feeds."""

from __future__ import annotations

from typing import Any

import msgspec
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from shipcaptaincrew.domain.bookings import KEEP, Keep
from shipcaptaincrew.domain.roster import AssignmentConflicts, Person, Ship
from shipcaptaincrew.services import day_sheets, roster
from shipcaptaincrew.services.context import Context
from shipcaptaincrew.web import convert, roster_schemas, schemas
from shipcaptaincrew.web.errors import ErrorBody
from shipcaptaincrew.web.http import admin_only, context, json_response, read_json, run_use_case


class AssignmentConflictsOut(msgspec.Struct):
    error: ErrorBody
    conflicts: list[schemas.ConflictOut]


def ship_out(ship: Ship) -> roster_schemas.ShipOut:
    return roster_schemas.ShipOut(ship.id, ship.name, ship.capacity)


def person_out(person: Person, ctx: Context) -> roster_schemas.PersonOut:
    sheet = day_sheets.sheet_path(ctx, person)
    return roster_schemas.PersonOut(
        person.id,
        person.name,
        person.role,
        person.email,
        person.phone,
        person.licence_expires,
        person.medical_expires,
        f"/cal/{person.calendar_token}.ics",
        sheet,
        f"{ctx.public_url}{sheet}",
    )


@admin_only
async def get_roster(request: Request) -> Response:
    def work(ctx: Context, actor: str) -> roster_schemas.RosterOut:
        return roster_schemas.RosterOut(
            [ship_out(s) for s in roster.list_ships(ctx)], [person_out(p, ctx) for p in roster.list_people(ctx)]
        )

    return json_response(await run_use_case(request, work))


@admin_only
async def add_ship(request: Request) -> Response:
    body = await read_json(request, roster_schemas.ShipIn)
    ship = await run_use_case(request, lambda ctx, actor: roster.add_ship(ctx, body.name, body.capacity, actor))
    return json_response(ship_out(ship), 201)


@admin_only
async def patch_ship(request: Request) -> Response:
    body = await read_json(request, roster_schemas.ShipPatch)
    name, capacity = _unset_none(body.name), _unset_none(body.capacity)
    ship_id = request.path_params["ship_id"]
    ship = await run_use_case(request, lambda ctx, actor: roster.update_ship(ctx, ship_id, name, capacity, actor))
    return json_response(ship_out(ship))


@admin_only
async def add_person(request: Request) -> Response:
    body = await read_json(request, roster_schemas.PersonIn)
    draft = Person("", body.name, body.role, body.email, body.phone, body.licence_expires, body.medical_expires)
    person = await run_use_case(request, lambda ctx, actor: roster.add_person(ctx, draft, actor))
    return json_response(person_out(person, context(request)), 201)


@admin_only
async def patch_person(request: Request) -> Response:
    body = await read_json(request, roster_schemas.PersonPatch)
    changes = roster.PersonChanges(*(_keep(getattr(body, name)) for name in roster.PersonChanges.__dataclass_fields__))
    person_id = request.path_params["person_id"]
    person = await run_use_case(request, lambda ctx, actor: roster.update_person(ctx, person_id, changes, actor))
    return json_response(person_out(person, context(request)))


@admin_only
async def retire_ship(request: Request) -> Response:
    ship_id = request.path_params["ship_id"]
    await run_use_case(request, lambda ctx, actor: roster.retire_ship(ctx, ship_id, actor))
    return Response(status_code=204)


@admin_only
async def retire_person(request: Request) -> Response:
    person_id = request.path_params["person_id"]
    await run_use_case(request, lambda ctx, actor: roster.retire_person(ctx, person_id, actor))
    return Response(status_code=204)


@admin_only
async def rotate_calendar(request: Request) -> Response:
    """A new calendar link for the person; the old one answers 404 from now on."""
    person_id = request.path_params["person_id"]
    person = await run_use_case(request, lambda ctx, actor: roster.rotate_calendar(ctx, person_id, actor))
    return json_response(person_out(person, context(request)))


@admin_only
async def rotate_day_sheet(request: Request) -> Response:
    """A new day-sheet link for the person; the old one answers 404 from now on."""
    person_id = request.path_params["person_id"]
    person = await run_use_case(request, lambda ctx, actor: day_sheets.rotate_day_sheet(ctx, person_id, actor))
    return json_response(person_out(person, context(request)))


@admin_only
async def person_schedule(request: Request) -> Response:
    def work(ctx: Context, actor: str) -> roster_schemas.ScheduleOut:
        found = roster.schedule(ctx, request.path_params["person_id"])
        return roster_schemas.ScheduleOut(
            person_out(found.person, ctx), [convert.event_out(e, ctx) for e in found.events]
        )

    return json_response(await run_use_case(request, work))


@admin_only
async def put_assignment(request: Request) -> Response:
    """409 with every conflict listed when there are conflicts and no override_reason; nothing is saved then."""
    body = await read_json(request, roster_schemas.AssignmentIn)

    def work(ctx: Context, actor: str) -> schemas.EventOut:
        event = roster.assign_crew(
            ctx, request.path_params["slug"], body.ship, body.captain, body.crew, body.override_reason, actor
        )
        return convert.event_out(event, ctx)

    try:
        return json_response(await run_use_case(request, work))
    except AssignmentConflicts as refused:
        conflicts = [schemas.ConflictOut(c.kind, c.message, c.other, c.overridden) for c in refused.conflicts]
        error = ErrorBody(refused.code, refused.message, refused.field)
        return json_response(AssignmentConflictsOut(error, conflicts), 409)


async def calendar_feed(request: Request) -> Response:
    """A person's charters as iCalendar; the unguessable token in the address is the only credential."""
    ctx = context(request)
    found = await run_in_threadpool(roster.calendar_feed, ctx, request.path_params["token"])
    from shipcaptaincrew.web.calendar import calendar_bytes  # icalendar: only when a feed is fetched

    return Response(
        calendar_bytes(found, ctx.periods),
        media_type="text/calendar; charset=utf-8",
        headers={"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"},
    )


def _keep(value: Any) -> Any | Keep:
    return KEEP if isinstance(value, msgspec.UnsetType) else value


def _unset_none(value: Any) -> Any:
    return None if isinstance(value, msgspec.UnsetType) else value


ROUTES: list[Any] = [
    Route("/api/roster", get_roster, methods=["GET"]),
    Route("/api/ships", add_ship, methods=["POST"]),
    Route("/api/ships/{ship_id}", patch_ship, methods=["PATCH"]),
    Route("/api/ships/{ship_id}", retire_ship, methods=["DELETE"]),
    Route("/api/people", add_person, methods=["POST"]),
    Route("/api/people/{person_id}", patch_person, methods=["PATCH"]),
    Route("/api/people/{person_id}", retire_person, methods=["DELETE"]),
    Route("/api/people/{person_id}/schedule", person_schedule, methods=["GET"]),
    Route("/api/people/{person_id}/calendar/rotate", rotate_calendar, methods=["POST"]),
    Route("/api/people/{person_id}/day-sheet/rotate", rotate_day_sheet, methods=["POST"]),
    Route("/api/events/{slug}/assignment", put_assignment, methods=["PUT"]),
    Route("/cal/{token}.ics", calendar_feed, methods=["GET"]),
]
