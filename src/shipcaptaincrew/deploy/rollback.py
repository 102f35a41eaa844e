"""`scc rollback`: point the alias back at an earlier published version (code and environment together)."""

from __future__ import annotations

from typing import Any

from shipcaptaincrew.deploy.deployment import ALIAS
from shipcaptaincrew.deploy.steps import DeployFailed, Echo, Progress, Steps, call, read_alias


def rollback(client: Any, function: str, echo: Echo, to: str | None = None, alias: str = ALIAS) -> tuple[str, str]:
    """Move `alias` to version `to` (default: the newest published version older than the current one).

    Returns (from, to). $LATEST is not touched. Raises DeployFailed when there is nothing to go back to.
    """
    progress = Progress(function, alias)
    steps = Steps(echo, progress)
    current = steps.run("alias", f"reading the {alias} alias of {function}", lambda: _current(client, function, alias))
    progress.live_version = current["FunctionVersion"]
    target = steps.run("versions", "listing published versions", lambda: _target(client, function, current, to))
    steps.run("alias", f"moving {alias} back", lambda: _move(client, function, alias, current, target))
    return str(current["FunctionVersion"]), target


def _current(client: Any, function: str, alias: str) -> tuple[dict[str, Any], str]:
    found = read_alias(client, function, alias)
    if found is None:
        raise DeployFailed(f"{function} has no {alias} alias: nothing has been deployed with `scc deploy` yet.")
    return found, f"{alias} is version {found['FunctionVersion']}"


def _target(client: Any, function: str, current: dict[str, Any], to: str | None) -> tuple[str, str]:
    versions = sorted(int(v) for v in _published(client, function) if v.isdigit())
    live = int(current["FunctionVersion"])
    if to is not None:
        if not to.isdigit() or int(to) not in versions:
            raise DeployFailed(f"{function} has no published version {to}; it has {_listed(versions)}.")
        return to, f"going to version {to}"
    older = [version for version in versions if version < live]
    if not older:
        raise DeployFailed(f"no version of {function} older than {live} to go back to ({_listed(versions)}).")
    return str(older[-1]), f"going to version {older[-1]} (published: {_listed(versions)})"


def _published(client: Any, function: str) -> list[str]:
    versions: list[str] = []
    marker = None
    while True:
        page = call(client, "list_versions_by_function", FunctionName=function, Marker=marker)
        versions += [str(item["Version"]) for item in page.get("Versions", [])]
        marker = page.get("NextMarker")
        if not marker:
            return versions


def _move(client: Any, function: str, alias: str, current: dict[str, Any], target: str) -> tuple[None, str]:
    call(
        client,
        "update_alias",
        FunctionName=function,
        Name=alias,
        FunctionVersion=target,
        RevisionId=current.get("RevisionId"),
    )
    return None, f"{alias}: {current['FunctionVersion']} → {target}"


def _listed(versions: list[int]) -> str:
    return ", ".join(map(str, versions)) or "none"
