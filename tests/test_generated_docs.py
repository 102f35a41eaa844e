"""The docs that follow the code: the parts generated from it (cog blocks) are what it generates now, and the
lists kept by hand name what exists."""

from __future__ import annotations

import difflib
import re
from pathlib import Path

import click
import pytest
from cogapp import Cog

from shipcaptaincrew.cli import cli

ROOT = Path(__file__).parents[1]
MAKEFILE = ROOT / "Makefile"
SETTING = re.compile(r"\bSCC_[A-Z0-9_]*[A-Z0-9]\b")
"""A setting's name; `SCC_GMAIL_`, a prefix the code matches names with, is not one."""
LINK = re.compile(r"\]\(([^)\s]+)\)")
"""A Markdown link's target."""
COG_CODE = re.compile(r"\[\[\[cog.*?\]\]\]", re.DOTALL)
"""The code of a cog block, which is no part of the page."""


def generated_docs() -> list[str]:
    """The files `make docs` regenerates and `make lint` checks."""
    listed = re.search(r"^GENERATED_DOCS := (.*)$", MAKEFILE.read_text(), re.MULTILINE)
    assert listed is not None
    return listed[1].split()


def regenerated(name: str) -> str:
    """The file as cog would write it now (cog blocks read paths relative to the repository)."""
    return Cog().process_string((ROOT / name).read_text(), fname=name)


@pytest.fixture(autouse=True)
def _at_the_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)


@pytest.mark.parametrize("name", generated_docs())
def test_a_generated_doc_is_what_the_code_generates_now(name: str) -> None:
    kept, now = (ROOT / name).read_text(), regenerated(name)

    diff = difflib.unified_diff(kept.splitlines(), now.splitlines(), name, "generated now", lineterm="")
    assert kept == now, f"{name} is stale: run `make docs`\n" + "\n".join(diff)


def test_every_doc_with_a_cog_block_is_regenerated_by_make_docs() -> None:
    with_blocks = sorted(
        str(path.relative_to(ROOT))
        for path in [ROOT / "README.md", *ROOT.glob("docs/**/*.md")]
        if "[[[cog" in path.read_text()
    )

    assert with_blocks == sorted(generated_docs())


def test_a_new_command_makes_the_cli_reference_stale(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(cli.commands, "ahoy", click.Command("ahoy", help="Hail another ship."))

    now = regenerated("docs/cli.md")

    assert now != (ROOT / "docs/cli.md").read_text()
    assert "- [`scc ahoy`](#scc-ahoy): Hail another ship." in now and "Usage: scc ahoy [OPTIONS]" in now


def test_the_readme_sends_readers_to_the_cli_reference_and_keeps_no_table_of_its_own() -> None:
    readme = (ROOT / "README.md").read_text()

    assert "[docs/cli.md](docs/cli.md)" in readme
    assert not re.search(r"^\| `scc ", readme, re.MULTILINE)


def test_the_readme_layout_names_every_test_folder_and_no_other() -> None:
    readme = (ROOT / "README.md").read_text()
    entry = re.search(r"^tests/ (.*?)^bench/", readme, re.MULTILINE | re.DOTALL)
    folders = {path.name for path in (ROOT / "tests").iterdir() if (path / "__init__.py").exists()}

    assert entry is not None
    assert set(re.findall(r"\b(\w+)/(?![\w.])", entry[1])) == folders


def test_every_setting_the_code_names_is_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text()
    named = {name for path in (ROOT / "src").rglob("*.py") for name in SETTING.findall(path.read_text())}

    assert named and sorted(name for name in named if f"`{name}`" not in readme) == []


def test_the_readme_opens_with_what_it_is_a_screenshot_and_what_a_first_run_needs() -> None:
    opening = (ROOT / "README.md").read_text().split("\n## Configuration", 1)[0]
    _, _, what_you_need = opening.partition("## What you need")
    what_you_need = what_you_need.split("## Two commands", 1)[0]

    assert 0 < opening.find("charter operators") < opening.find("](docs/board.png)") < opening.find("## What you need")
    assert all(word in what_you_need for word in ("`make`", "Python 3.11", "python3-venv", "root", "sudo", "chromium"))
    assert "`.venv/bin/scc" in opening and "`scc " not in opening


def test_every_link_between_the_docs_leads_to_a_file_and_heading_that_exist() -> None:
    broken = [
        f"{page.relative_to(ROOT)}: {target}"
        for page in [ROOT / "README.md", *ROOT.glob("docs/**/*.md")]
        for target in LINK.findall(COG_CODE.sub("", page.read_text()))
        if not re.match(r"[a-z]+:", target) and not _leads_somewhere(page, target)
    ]

    assert broken == []


def _leads_somewhere(page: Path, target: str) -> bool:
    path, _, anchor = target.partition("#")
    file = (page.parent / path) if path else page
    if not file.exists():
        return False
    return not anchor or file.is_dir() or anchor in _anchors(file)


def _anchors(page: Path) -> set[str]:
    """The ids a Markdown renderer gives the page's headings: lower case, punctuation dropped, spaces as hyphens."""
    headings = re.findall(r"^#+ (.*)$", COG_CODE.sub("", page.read_text()), re.MULTILINE)
    return {re.sub(r"[^\w\- ]", "", heading.lower()).replace(" ", "-") for heading in headings}
