"""The repository speaks of the project as it is: no history of who worked on it when, nothing outside it."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).parents[1]
SEARCHED = ("README.md", "docs", "src", "bench", "tests")
BUILD_OUTPUT = {"__pycache__", ".mypy_cache", ".ruff_cache", ".pytest_cache", ".hypothesis"}

HISTORY = re.compile(r"(this|last|next|earlier) session|session [0-9]|issue [0-9]|\bround [0-9]|\bturn [0-9]", re.I)
"""Work sessions, issue numbers and rounds: the repository's history, which belongs in git, not in its text.
("session" alone is fine: a sign-in session is part of the project.)"""
OUTSIDE = re.compile(r"\.\./shared|DESIGN\.md")
"""Files that live beside the repository and are not in it."""


def text_files(root: Path) -> Iterator[Path]:
    for top in SEARCHED:
        path = root / top
        candidates = [path] if path.is_file() else sorted(path.rglob("*"))
        yield from (file for file in candidates if file.is_file() and not _is_build_output(file.relative_to(root)))


def _is_build_output(relative: Path) -> bool:
    return any(part in BUILD_OUTPUT or part.endswith(".egg-info") for part in relative.parts)


def offending_lines(root: Path, pattern: re.Pattern[str]) -> list[str]:
    found = []
    for file in text_files(root):
        try:
            text = file.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue  # fonts, images: no prose in them
        for number, line in enumerate(text.splitlines(), start=1):
            if pattern.search(line):
                found.append(f"{file.relative_to(root)}:{number}: {line.strip()}")
    return found


def test_no_file_speaks_of_sessions_rounds_or_issue_numbers() -> None:
    found = offending_lines(ROOT, HISTORY)

    assert not found, "say what the project does and why, not when it was done:\n" + "\n".join(found)


def test_no_file_points_outside_the_repository() -> None:
    found = offending_lines(ROOT, OUTSIDE)

    assert not found, "these refer to files outside the repository:\n" + "\n".join(found)


def test_the_search_finds_history_words_but_leaves_sign_in_sessions_and_returns_alone(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    history = [f"Measured {'last'} session.", f"Session {3} ran a writer thread.", f"(issue {10})"]
    project = ["Every signed-in session is signed out.", "return 0", "around 5 s", "goes round again at once"]
    (tmp_path / "docs" / "notes.md").write_text("\n".join([*history, *project]) + "\n")
    (tmp_path / "README.md").write_text(f"The design is {'../'}shared/{'DESIGN'}.md.\n")

    assert offending_lines(tmp_path, HISTORY) == [f"docs/notes.md:{n}: {line}" for n, line in enumerate(history, 1)]
    assert offending_lines(tmp_path, OUTSIDE) == [f"README.md:1: The design is {'../'}shared/{'DESIGN'}.md."]


def test_build_output_is_not_searched(tmp_path: Path) -> None:
    (tmp_path / "src" / "scc.egg-info").mkdir(parents=True)
    (tmp_path / "src" / "scc.egg-info" / "PKG-INFO").write_text(f"a copy of an old README: {'this'} session\n")

    assert offending_lines(tmp_path, HISTORY) == []
