"""infra/template.yaml: committed as rendered from the routing table, and what the design requires of it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from click.testing import CliRunner

from shipcaptaincrew.cli import cli
from shipcaptaincrew.deploy import cdn
from shipcaptaincrew.deploy.infra import render, template
from shipcaptaincrew.on_lambda import edge

COMMITTED = Path(__file__).parents[2] / "infra" / "template.yaml"


def resources(kind: str) -> dict[str, Any]:
    return {name: item["Properties"] for name, item in template()["Resources"].items() if item["Type"] == kind}


def distribution() -> dict[str, Any]:
    config: dict[str, Any] = resources("AWS::CloudFront::Distribution")["Distribution"]["DistributionConfig"]
    return config


def test_the_committed_template_is_the_rendering() -> None:
    rendered = CliRunner().invoke(cli, ["infra", "render"])

    assert rendered.exit_code == 0
    assert COMMITTED.read_text() == rendered.output == render(), "run: scc infra render -o infra/template.yaml"
    assert yaml.safe_load(COMMITTED.read_text()) == template()


def test_the_behaviors_are_the_routing_table_in_its_order_with_the_default_last() -> None:
    config = distribution()

    assert [(item["PathPattern"], item["TargetOriginId"]) for item in config["CacheBehaviors"]] == [
        (route.pattern, route.origin) for route in cdn.ROUTES
    ]
    assert config["DefaultCacheBehavior"]["TargetOriginId"] == cdn.SITE
    assert "CustomErrorResponses" not in config


def test_function_behaviors_are_uncached_and_forward_all_but_host_and_only_s3_ones_run_the_fallback() -> None:
    config = distribution()

    for behavior in [*config["CacheBehaviors"], config["DefaultCacheBehavior"]]:
        if behavior["TargetOriginId"] in cdn.FUNCTION_ORIGINS:
            assert behavior["CachePolicyId"] == cdn.CACHING_DISABLED
            assert behavior["OriginRequestPolicyId"] == cdn.ALL_VIEWER_EXCEPT_HOST_HEADER
            assert "FunctionAssociations" not in behavior
        else:
            assert behavior["FunctionAssociations"][0]["EventType"] == "viewer-request"


def test_the_function_edge_reads_the_viewer_address_header_the_function_behaviors_forward() -> None:
    # AllViewerExceptHostHeader forwards CloudFront's headers, the viewer's address among them.
    assert edge.VIEWER_HEADER.decode() == cdn.VIEWER_ADDRESS_HEADER.lower()
    assert {
        behavior["OriginRequestPolicyId"]
        for behavior in distribution()["CacheBehaviors"]
        if behavior["TargetOriginId"] in cdn.FUNCTION_ORIGINS
    } == {cdn.ALL_VIEWER_EXCEPT_HOST_HEADER}


def test_function_origins_send_the_origin_secret_the_functions_check() -> None:
    origins = {origin["Id"]: origin for origin in distribution()["Origins"]}
    functions = resources("AWS::Lambda::Function")

    for origin in cdn.FUNCTION_ORIGINS:
        assert origins[origin]["OriginCustomHeaders"] == [
            {"HeaderName": "X-Origin-Secret", "HeaderValue": {"Ref": "OriginSecret"}}
        ]
    for function in functions.values():
        assert function["Environment"]["Variables"]["SCC_ORIGIN_SECRET"] == {"Ref": "OriginSecret"}
    assert functions["StagingFunction"]["Environment"]["Variables"]["SCC_PATH_PREFIX"] == "/_staging"


def test_the_tables_keep_point_in_time_recovery_and_deletion_protection() -> None:
    for table in resources("AWS::DynamoDB::Table").values():
        assert table["PointInTimeRecoverySpecification"] == {"PointInTimeRecoveryEnabled": True}
        assert table["DeletionProtectionEnabled"] is True
        assert table["TimeToLiveSpecification"] == {"AttributeName": "expires", "Enabled": True}


def test_the_bucket_is_private_and_read_only_by_the_distribution() -> None:
    bucket = resources("AWS::S3::Bucket")["SiteBucket"]
    statements = resources("AWS::S3::BucketPolicy")["SiteBucketPolicy"]["PolicyDocument"]["Statement"]

    assert all(bucket["PublicAccessBlockConfiguration"].values())
    assert {statement["Principal"]["Service"] for statement in statements} == {"cloudfront.amazonaws.com"}
    assert distribution()["Origins"][0]["OriginAccessControlId"] == {"Fn::GetAtt": ["SiteOriginAccessControl", "Id"]}


def test_the_roles_may_read_and_write_the_gmail_token_send_mail_and_use_their_table() -> None:
    for stage, role in (
        ("staging", resources("AWS::IAM::Role")["StagingRole"]),
        ("prod", resources("AWS::IAM::Role")["ProdRole"]),
    ):
        statements = role["Policies"][0]["PolicyDocument"]["Statement"]
        actions = {action for statement in statements for action in statement["Action"]}
        assert {
            "ssm:GetParameter",
            "ssm:PutParameter",
            "ssm:GetParametersByPath",
            "ses:SendEmail",
            "dynamodb:Query",
            "dynamodb:PutItem",
        } <= actions, stage
        assert "dynamodb:Scan" not in actions


def test_each_function_keeps_its_data_in_its_stages_table_not_in_a_containers_sqlite_file() -> None:
    # Lambda's /tmp is per container: a function left on the default SQLite store would lose bookings and payments.
    for stage in ("Staging", "Prod"):
        variables = resources("AWS::Lambda::Function")[f"{stage}Function"]["Environment"]["Variables"]

        assert variables["SCC_STORE"] == "dynamodb"
        assert variables["SCC_DYNAMODB_TABLE"] == {"Ref": f"{stage}Table"}


def test_the_links_in_each_stages_emails_point_at_the_distribution_under_its_prefix() -> None:
    parameters = {item["Name"]: item["Value"] for item in resources("AWS::SSM::Parameter").values()}

    assert parameters["/scc/prod/SCC_PUBLIC_URL"] == {"Fn::Sub": "https://${Distribution.DomainName}"}
    assert parameters["/scc/staging/SCC_PUBLIC_URL"] == {"Fn::Sub": "https://${Distribution.DomainName}/_staging"}


def test_each_function_may_invoke_itself_and_no_other_to_hand_off_its_mail() -> None:
    for stage in ("staging", "prod"):
        role = resources("AWS::IAM::Role")[f"{stage.capitalize()}Role"]
        statements = role["Policies"][0]["PolicyDocument"]["Statement"]
        (invoke,) = [statement for statement in statements if "lambda:InvokeFunction" in statement["Action"]]

        assert invoke["Action"] == ["lambda:InvokeFunction"]
        assert [resource["Fn::Sub"].split(":function:")[1] for resource in invoke["Resource"]] == [
            f"scc-{stage}",
            f"scc-{stage}:*",
        ]


def test_each_stage_runs_its_reminders_once_a_day_and_its_outbox_on_the_minute_schedule() -> None:
    rules = resources("AWS::Events::Rule")

    for stage in ("Staging", "Prod"):
        daily = rules[f"{stage}RemindersSchedule"]
        assert daily["ScheduleExpression"].startswith("cron(0 ") and daily["ScheduleExpression"].endswith("* * ? *)")
        assert [target["Input"] for target in daily["Targets"]] == ['{"scc": "reminders"}']
        assert rules[f"{stage}OutboxSchedule"]["Targets"][0]["Input"] == '{"scc": "deliver-outbox"}'


def test_a_quiet_function_writes_no_log_line_of_lambdas_own() -> None:
    for stage in ("Staging", "Prod"):
        logging = resources("AWS::Lambda::Function")[f"{stage}Function"]["LoggingConfig"]

        assert (logging["LogFormat"], logging["SystemLogLevel"]) == ("JSON", "WARN")
