"""A package built for one runtime, architecture or handler is never put on a function set up for another: the
deploy compares what the zip records with the function's configuration, and refuses or (asked) sets them."""

from __future__ import annotations

from pathlib import Path

from tests.deploy.conftest import ROLE, Aws, a_package
from tests.deploy.test_deploy import deploy_prod

FUNCTION = "scc-prod"
BY_HAND = {"Runtime": "python3.11", "Architectures": ["arm64"], "Handler": "lambda_function.lambda_handler"}
SETTINGS = {"SCC_STORE": "sqlite", "SCC_SECRET_KEY": "signing-key-set-by-hand-4f1c9e0b7a2d6c3e"}


def a_function_deployed_by_hand(aws: Aws, tmp_path: Path) -> dict[str, object]:
    code = {"ZipFile": a_package(tmp_path, "v1").read_bytes()}
    aws.client().create_function(
        FunctionName=FUNCTION, Role=ROLE, Code=code, Timeout=15, Environment={"Variables": SETTINGS}, **BY_HAND
    )
    return aws.configuration(FUNCTION)


def test_a_package_for_another_runtime_architecture_and_handler_is_refused_with_the_fix(
    aws: Aws, tmp_path: Path
) -> None:
    before = a_function_deployed_by_hand(aws, tmp_path)

    result = deploy_prod(aws, tmp_path, a_package(tmp_path, "v2"))

    assert result.exit_code == 1
    assert "runtime: the function runs python3.11, the package is for python3.12" in result.output
    assert "architecture: the function runs on arm64, the package is for x86_64" in result.output
    assert "handler: the function calls lambda_function.lambda_handler" in result.output
    assert "--update-runtime" in result.output and "Nothing was changed" in result.output
    after = aws.configuration(FUNCTION)
    assert {key: after[key] for key in ("CodeSha256", "Runtime", "Handler", "Architectures", "RevisionId")} == {
        key: before[key] for key in ("CodeSha256", "Runtime", "Handler", "Architectures", "RevisionId")
    }


def test_update_runtime_sets_them_with_the_code_and_keeps_every_setting(aws: Aws, tmp_path: Path) -> None:
    a_function_deployed_by_hand(aws, tmp_path)

    result = deploy_prod(aws, tmp_path, a_package(tmp_path, "v2"), "--update-runtime")

    assert result.exit_code == 0, result.output
    live = aws.configuration(FUNCTION, "live")
    assert (live["Runtime"], live["Architectures"], live["Handler"]) == (
        "python3.12",
        ["x86_64"],
        "shipcaptaincrew.lambda_function.lambda_handler",
    )
    assert live["Environment"]["Variables"] == SETTINGS
