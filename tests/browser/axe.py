"""axe-core in a page under test: the copy pinned in the `axe-playwright-python` package, never fetched.

`assert_accessible(page)` evaluates axe.min.js in the page (through the DevTools protocol, so a page's strict
Content-Security-Policy, which refuses inline scripts, stays as it is), runs it, and fails listing each violation
readably (rule, impact, what to fix, the elements at fault). The rules run are axe's defaults: WCAG 2.0, 2.1 and
2.2 A and AA plus its best practices.
"""

from __future__ import annotations

import functools
from importlib import resources
from typing import Any

from playwright.sync_api import Page


@functools.cache
def axe_source() -> str:
    """axe-core's script as the pinned package ships it."""
    return resources.files("axe_playwright_python").joinpath("axe.min.js").read_text(encoding="utf-8")


def violations(page: Page, context: str | None = None) -> list[dict[str, Any]]:
    """What axe finds wrong in the page (or in the part `context` selects), as axe reports it."""
    if not page.evaluate("typeof window.axe === 'object'"):
        page.evaluate(f"() => {{ {axe_source()}\n}}")
    result: dict[str, Any] = page.evaluate(
        "async (context) => await window.axe.run(context || document, { resultTypes: ['violations'] })", context
    )
    found: list[dict[str, Any]] = result["violations"]
    return found


def describe(found: list[dict[str, Any]]) -> str:
    """One paragraph per violation: `rule (impact): help`, then each element's selector and what to fix."""
    lines: list[str] = []
    for violation in found:
        lines.append(f"{violation['id']} ({violation.get('impact')}): {violation['help']} — {violation['helpUrl']}")
        for node in violation["nodes"]:
            lines.append(f"  at {' '.join(map(str, node['target']))}: {node.get('failureSummary', '')}")
    return "\n".join(lines)


def assert_accessible(page: Page, context: str | None = None) -> list[dict[str, Any]]:
    """Fail, naming every violation, unless axe finds none; return what it found (nothing) for further checks."""
    found = violations(page, context)
    assert not found, f"axe-core found {len(found)} violation(s) on {page.url}:\n{describe(found)}"
    return found
