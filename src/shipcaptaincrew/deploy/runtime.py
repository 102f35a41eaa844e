"""What a package was built for against what the function runs: runtime, architecture and handler.

A zip of wheels for Python 3.12 on x86_64 does not import on python3.11 or arm64, and a function whose handler
names another module answers every request with an import error; Lambda accepts either without a word. So a
deploy compares the package's record (`scc package` writes it) with the function's configuration and refuses a
mismatch, saying exactly how to fix it, unless told to set the function to match (`--update-runtime`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from shipcaptaincrew.deploy.package import Target


@dataclass(frozen=True)
class Mismatch:
    name: str
    function: str
    package: str

    def line(self) -> str:
        verb = {"runtime": "runs", "architecture": "runs on", "handler": "calls"}[self.name]
        return f"{self.name}: the function {verb} {self.function}, the package is for {self.package}"


def function_target(configuration: Mapping[str, Any]) -> tuple[str, str, str]:
    """(runtime, architecture, handler) of a GetFunctionConfiguration answer."""
    architectures = configuration.get("Architectures") or ["x86_64"]
    return str(configuration.get("Runtime", "")), str(architectures[0]), str(configuration.get("Handler", ""))


def mismatches(built: Target, configuration: Mapping[str, Any]) -> list[Mismatch]:
    runtime, architecture, handler = function_target(configuration)
    pairs = [
        ("runtime", runtime, built.runtime),
        ("architecture", architecture, built.architecture),
        ("handler", handler, built.handler),
    ]
    return [Mismatch(name, theirs, ours) for name, theirs, ours in pairs if theirs != ours]


def refusal(function: str, built: Target, found: list[Mismatch]) -> str:
    """Why the deploy stops, and the two ways on: set the function to the package, or build for the function."""
    lines = [f"the package does not fit {function}:", *(f"  {mismatch.line()}" for mismatch in found)]
    lines.append("State: Nothing was changed.")
    lines.append(
        f"To fix: deploy again with --update-runtime to set {function} to Runtime {built.runtime}, Architectures "
        f"{built.architecture}, Handler {built.handler} (in the same guarded update as the code)"
    )
    if not any(mismatch.name == "handler" for mismatch in found):
        runtime = next((m.function for m in found if m.name == "runtime"), built.runtime)
        architecture = next((m.function for m in found if m.name == "architecture"), built.architecture)
        lines.append(
            f"  or build for the function: scc package --python-version {runtime.removeprefix('python')} "
            f"--arch {architecture}, then deploy with --zip"
        )
    return "\n".join(lines)


def configuration_changes(built: Target, found: list[Mismatch]) -> dict[str, str]:
    """What UpdateFunctionConfiguration must set for --update-runtime (the architecture goes with the code)."""
    names = {mismatch.name for mismatch in found}
    changes = {"Runtime": built.runtime} if "runtime" in names else {}
    return {**changes, "Handler": built.handler} if "handler" in names else changes
