"""`scc roster` and `scc events assign`: the roster and assignments from the command line."""


def test_ships_people_and_an_assignment_with_an_override_from_the_command_line(booked) -> None:  # type: ignore[no-untyped-def]
    assert booked("roster", "ships", "add", "Osprey", "--capacity", "6")[0] == 0
    assert booked("roster", "people", "add", "Maria Santos", "--role", "captain")[0] == 0
    booked("events", "create", "--date", "2031-06-14", "--period", "am", "--first-name", "Ann", "--party-size", "4")
    booked("events", "create", "--date", "2031-06-14", "--period", "full", "--first-name", "Bo", "--party-size", "4")
    assert booked("events", "assign", "2031-06-14-ann-am", "--ship", "Osprey", "--captain", "Maria Santos")[0] == 0

    refused = booked("events", "assign", "2031-06-14-bo-full", "--captain", "Maria Santos")
    saved = booked("events", "assign", "2031-06-14-bo-full", "--captain", "Maria Santos", "--override", "swap at noon")

    assert refused[0] == 1 and "Maria Santos is also on 2031-06-14-ann-am" in refused[1]
    assert saved[0] == 0 and "captain Maria Santos" in saved[1]
    assert "Osprey" in booked("roster", "ships", "list")[1]
    assert "/cal/" in booked("roster", "people", "list")[1]


def test_retiring_from_the_command_line_is_refused_while_upcoming_charters_need_them(booked) -> None:  # type: ignore[no-untyped-def]
    booked("roster", "ships", "add", "Osprey", "--capacity", "6")
    booked("roster", "ships", "add", "Heron", "--capacity", "8")
    booked("roster", "people", "add", "Maria Santos", "--role", "captain")
    booked("events", "create", "--date", "2031-06-14", "--period", "am", "--first-name", "Ann", "--party-size", "4")
    booked("events", "assign", "2031-06-14-ann-am", "--ship", "Osprey", "--captain", "Maria Santos")

    busy = booked("roster", "people", "retire", "Maria Santos")
    idle = booked("roster", "ships", "retire", "Heron")

    assert busy[0] == 1 and "assigned to upcoming charters: 2031-06-14-ann-am" in busy[1]
    assert idle == (0, "Retired Heron.\n")
    assert "Heron" not in booked("roster", "ships", "list")[1] and "Osprey" in booked("roster", "ships", "list")[1]
    assert booked("roster", "ships", "retire", "Heron")[0] == 1  # gone from the lists: no ship by that name


def test_every_roster_command_has_help(booked) -> None:  # type: ignore[no-untyped-def]
    for command in (
        ["roster"],
        ["roster", "ships", "add"],
        ["roster", "people", "add"],
        ["events", "assign"],
        ["roster", "ships", "retire"],
        ["roster", "people", "retire"],
    ):
        assert booked(*command, "--help")[0] == 0


def test_rotating_a_persons_calendar_prints_the_new_address_and_the_old_one_is_gone(scc) -> None:  # type: ignore[no-untyped-def]
    scc("roster", "people", "add", "Maria Santos", "--role", "captain")
    old = scc("roster", "people", "list")[1].split("/cal/")[1].split(".ics")[0]

    code, out = scc("roster", "people", "rotate-calendar", "Maria Santos")

    new = out.split("/cal/")[1].split(".ics")[0]
    assert code == 0 and new != old and "no longer answers" in out
    assert f"/cal/{new}.ics" in scc("roster", "people", "list")[1]


def test_rotating_a_persons_day_sheet_prints_the_new_address_and_the_list_shows_it(scc) -> None:  # type: ignore[no-untyped-def]
    scc("roster", "people", "add", "Maria Santos", "--role", "captain")
    old = scc("roster", "people", "list")[1].split("/day/")[1].split()[0]

    code, out = scc("roster", "people", "rotate-day-sheet", "Maria Santos")

    new = out.split("/day/")[1].split()[0]
    assert code == 0 and new != old and "no longer answers" in out
    assert f"/day/{new}" in scc("roster", "people", "list")[1]
