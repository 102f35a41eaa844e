from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from shipcaptaincrew.cli import cli
from shipcaptaincrew.config import DOCUMENTED, Settings
from tests.live_server import LISTENING, LiveServerFactory, free_port

MODULE = (sys.executable, "-m", "shipcaptaincrew")
VENV_BIN = Path(sys.executable).parent
"""Where `make` installs `scc` (this interpreter's bin folder)."""


def book(scc, *extra: str) -> tuple[int, str]:  # type: ignore[no-untyped-def]
    return scc(
        "events",
        "create",
        "--date",
        "2026-05-23",
        "--period",
        "pm",
        "--first-name",
        "José",
        "--party-size",
        "6",
        "--price",
        "900",
        *extra,
    )


def test_create_prints_the_built_slug_and_show_finds_it(scc) -> None:  # type: ignore[no-untyped-def]
    code, out = book(scc)

    assert (code, out.strip()) == (0, "2026-05-23-jose-pm")
    code, shown = scc("events", "show", "2026-05-23-jose-pm")
    assert code == 0
    assert "900.00" in shown and "José" in shown


def test_a_bad_field_is_a_clear_error_not_a_traceback(scc) -> None:  # type: ignore[no-untyped-def]
    code, out = book(scc, "--slug", "2026-05-24-jose-pm")

    assert code == 1
    assert out.startswith("Error: --slug date 2026-05-24 does not match") and "Traceback" not in out


def test_list_shows_the_window(scc) -> None:  # type: ignore[no-untyped-def]
    book(scc)

    code, out = scc("events", "list", "--from", "2026-05-20", "--to", "2026-05-30")

    assert code == 0
    assert "2026-05-23-jose-pm" in out and "owes 900.00" in out


def test_check_slugs_reports_legacy_slugs_and_rename_fixes_them(scc, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from shipcaptaincrew.bootstrap import build_context
    from shipcaptaincrew.config import Settings
    from shipcaptaincrew.services import booking
    from tests.builders import event_details

    ctx = build_context(Settings.from_env({"SCC_DATA_DIR": str(tmp_path / "data")}))
    booking.import_legacy_event(ctx, event_details(), "2026-05-23", "test")
    ctx.store.close()

    code, out = scc("events", "check-slugs")
    assert code == 1 and out.startswith("2026-05-23\t")

    code, out = scc("events", "rename", "2026-05-23", "2026-05-23-sarah-pm")
    assert code == 0
    assert scc("events", "check-slugs")[0] == 0
    assert "2026-05-23-sarah-pm" in scc("events", "show", "2026-05-23")[1]


def test_rename_refuses_a_slug_for_another_day(scc) -> None:  # type: ignore[no-untyped-def]
    book(scc)

    code, out = scc("events", "rename", "2026-05-23-jose-pm", "2026-05-24-jose-pm")

    assert code == 1 and "date" in out


def test_set_password_reads_stdin_and_refuses_a_short_one(scc) -> None:  # type: ignore[no-untyped-def]
    assert scc("admin", "set-password", "--password-stdin", input="short\n")[0] == 1
    code, out = scc("admin", "set-password", "--password-stdin", input="long enough password\n")
    assert code == 0 and "signed out" in out


def test_every_command_has_help() -> None:
    def walk(command: click.Command, path: list[str]) -> None:
        result = CliRunner().invoke(cli, [*path, "--help"])
        assert result.exit_code == 0, path
        assert command.help or command.short_help, path
        if isinstance(command, click.Group):
            for name, sub in command.commands.items():
                walk(sub, [*path, name])

    walk(cli, [])


def test_every_setting_is_in_the_readme() -> None:
    readme = (Path(__file__).parents[2] / "README.md").read_text()

    for name in DOCUMENTED:
        assert f"`{name}`" in readme, name


def test_python_dash_m_works() -> None:
    result = subprocess.run([sys.executable, "-m", "shipcaptaincrew", "--help"], capture_output=True, text=True)

    assert result.returncode == 0 and "serve" in result.stdout


def test_a_bad_setting_names_the_variable(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["events", "list"], env={"SCC_PERIODS": "noon=12:00-11:00"})

    assert result.exit_code == 2 and "SCC_PERIODS" in result.output


@pytest.mark.parametrize(
    ("given", "expected"),
    [(None, "http://localhost:8123"), ("https://charters.example.com/", "https://charters.example.com"),
     ("https://d1.cloudfront.example/_staging", "https://d1.cloudfront.example/_staging")],
)  # fmt: skip
def test_the_public_address_for_links_in_emails_has_no_trailing_slash(given: str | None, expected: str) -> None:
    env = {"SCC_PORT": "8123", **({"SCC_PUBLIC_URL": given} if given else {})}

    assert Settings.from_env(env).public_url == expected


@pytest.mark.parametrize("given", ["charters.example.com", "https://charters.example.com/?a=1", "ftp://x.example"])
def test_a_public_address_that_is_not_a_plain_web_address_is_refused_by_name(given: str) -> None:
    result = CliRunner().invoke(cli, ["events", "list"], env={"SCC_PUBLIC_URL": given})

    assert result.exit_code == 2 and "SCC_PUBLIC_URL" in result.output


def test_serve_on_first_run_prints_the_url_and_a_one_time_password_that_works(
    tmp_path: Path, live_server_factory: LiveServerFactory
) -> None:
    server = live_server_factory.fresh(tmp_path / "data", with_password=False)
    lines = server.printed().splitlines()
    password = next(line.split()[-1] for line in lines if "shown until the first sign-in" in line)
    port = server.url.rsplit(":", 1)[1]
    assert any(f"http://localhost:{port}/" in line for line in lines)
    assert (tmp_path / "data" / "secret.key").stat().st_mode & 0o777 == 0o600
    request = urllib.request.Request(
        f"{server.url}/api/login",
        data=f'{{"password": "{password}"}}'.encode(),
        headers={"content-type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.status == 200


def test_serve_on_a_taken_port_says_how_to_pick_another_and_keeps_the_password_for_the_next_start(
    tmp_path: Path, live_server_factory: LiveServerFactory
) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        environ = {**os.environ, "SCC_DATA_DIR": str(tmp_path / "data"), "SCC_PORT": str(port)}
        refused = subprocess.run(
            [sys.executable, "-m", "shipcaptaincrew", "serve"], env=environ, capture_output=True, text=True, timeout=60
        )

    said = refused.stdout + refused.stderr
    assert refused.returncode != 0
    assert f"port {port} is taken" in said and "SCC_PORT=8001 make run" in said and "--port 8001" in said
    assert "password" not in said and "Traceback" not in said
    server = live_server_factory.fresh(tmp_path / "data", with_password=False)
    assert "Sign in with the admin password (shown until the first sign-in): " in server.printed()


def shown_passwords(printed: str) -> list[str]:
    return [line.split()[-1] for line in printed.splitlines() if "shown until the first sign-in" in line]


def sign_in(url: str, password: str) -> int:
    request = urllib.request.Request(
        f"{url}/api/login", data=f'{{"password": "{password}"}}'.encode(), headers={"content-type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return int(response.status)


def test_the_first_run_password_is_shown_at_each_start_until_someone_signs_in(
    tmp_path: Path, live_server_factory: LiveServerFactory
) -> None:
    server = live_server_factory.fresh(tmp_path / "data", with_password=False)
    server.stop()
    server.start()
    [first, again] = shown_passwords(server.printed())
    assert first == again
    assert (tmp_path / "data" / "first-run-password").stat().st_mode & 0o777 == 0o600

    assert sign_in(server.url, first) == 200
    server.stop()
    server.start()

    assert shown_passwords(server.printed()) == [first, first]
    assert server.printed().rstrip().count("forgot it? scc admin set-password") == 1
    assert not (tmp_path / "data" / "first-run-password").exists()


def serve_until_listening(folder: Path, *args: str, program: tuple[str, ...] = MODULE) -> str:
    """Run `scc serve ARGS` in `folder` with SCC_DATA_DIR unset until it listens, stop it; return what it printed."""
    environ = {name: value for name, value in os.environ.items() if name != "SCC_DATA_DIR"}
    environ["PATH"] = os.pathsep.join(part for part in environ["PATH"].split(os.pathsep) if part != str(VENV_BIN))
    log = folder / "serve.log"
    with log.open("wb") as out:
        command = [*program, "serve", "--port", str(free_port()), *args]
        process = subprocess.Popen(
            command, cwd=folder, env=environ, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    try:
        deadline = time.monotonic() + 60
        while LISTENING not in log.read_text() and process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=20)
    return log.read_text()


def test_the_demo_lives_in_its_own_folder_so_serving_the_default_folder_starts_empty(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with_demo = serve_until_listening(tmp_path, "--demo")
    assert f"Data folder: {tmp_path / 'scc-demo'}" in with_demo and "events loaded" in with_demo
    assert not (tmp_path / "scc-data").exists()

    real_use = serve_until_listening(tmp_path)
    assert f"Data folder: {tmp_path / 'scc-data'}" in real_use

    monkeypatch.chdir(tmp_path)
    window = ("events", "list", "--from", "2000-01-01", "--to", "2999-12-31")
    assert CliRunner().invoke(cli, window, env={"SCC_DATA_DIR": None}).output == ""
    assert CliRunner().invoke(cli, window, env={"SCC_DATA_DIR": "scc-demo"}).output.count("\n") > 50


def test_make_runs_first_words_give_commands_that_run_as_typed_from_where_it_was_started(tmp_path: Path) -> None:
    scc = os.path.relpath(VENV_BIN / "scc", tmp_path)  # `.venv/bin/scc` from a checkout, as `make run` starts it
    printed = serve_until_listening(tmp_path, "--demo", program=(scc,))

    assert f"set your own with: SCC_DATA_DIR=scc-demo {scc} waiver set FILE" in printed
    assert f"Change it with: SCC_DATA_DIR=scc-demo {scc} admin set-password" in printed
    assert " scc " not in printed.replace(f" {scc} ", " ")


def test_a_date_out_of_range_is_refused_naming_the_option_not_a_crash(scc) -> None:  # type: ignore[no-untyped-def]
    code, out = scc("events", "list", "--from", "9999-12-31")

    assert code != 0 and "--from must be between 1900-01-01 and 2999-12-31" in out
    assert "Traceback" not in out


def test_a_date_the_calendar_lacks_is_not_a_date_on_the_command_line(scc) -> None:  # type: ignore[no-untyped-def]
    created = scc("events", "create", "--date", "2026-02-30", "--period", "pm", "--first-name", "Jo",
                  "--party-size", "2")  # fmt: skip
    exported = scc("export", "payments", "--from", "2026-02-30", "--to", "2026-03-31")
    listed = scc("events", "list", "--from", "May 3")

    assert created[0] == exported[0] == listed[0] == 2
    assert "Invalid value for '--date': 2026-02-30 is not a date." in created[1]
    assert "Invalid value for '--from': 2026-02-30 is not a date." in exported[1]
    assert "Invalid value for '--from': 'May 3' is not a date like 2026-05-23." in listed[1]


def test_serve_started_from_path_names_its_commands_plain_scc(tmp_path: Path) -> None:
    environ = {**os.environ, "PATH": f"{VENV_BIN}{os.pathsep}{os.environ['PATH']}"}
    for started_as in (str(VENV_BIN / "scc"), "scc"):  # the path the shell found, or the bare name
        command = (
            f"import importlib, sys; sys.argv[0] = {started_as!r}; "
            "print(importlib.import_module('shipcaptaincrew.cli.serve')._as_typed(False))"
        )
        found = subprocess.run(
            [sys.executable, "-c", command], cwd=tmp_path, env=environ, capture_output=True, text=True, timeout=60
        )
        assert (found.returncode, found.stdout.strip()) == (0, "scc"), found.stderr
