"""`infra/template.yaml`: the whole AWS shape as one CloudFormation template, rendered here and committed.

The edge (bucket, distribution, fallback function) comes from `infra_cdn.py`, whose behaviors come from the
routing table. Each stage gets its own table, role, function with a `live` alias and Function URL, log group,
outbox schedule and SSM parameters. The functions' settings live in SSM under `/scc/STAGE/`, not in the
template's environment: a stack update replaces a function's whole environment, and `scc deploy` must never
lose a setting.
"""

from __future__ import annotations

from typing import Any

from shipcaptaincrew.deploy import infra_cdn, yaml_text
from shipcaptaincrew.deploy.package import HANDLER

STAGES = ("staging", "prod")
PLACEHOLDER = (
    "def lambda_handler(event, context):\n    return {'statusCode': 503, 'body': 'not deployed yet: run scc deploy'}\n"
)
RETENTION_DAYS = {"staging": 14, "prod": 90}
SCHEDULE = {"staging": "rate(5 minutes)", "prod": "rate(1 minute)"}
REMINDERS_SCHEDULE = "cron(0 12 * * ? *)"  # daily, noon UTC: morning in the Americas, afternoon in Europe
HEADER = "# Rendered by `scc infra render` from src/shipcaptaincrew/deploy/ (routing table: cdn.py). Do not edit.\n"
PATH_PREFIX = {"staging": "/_staging"}  # the staging function's paths under the distribution


def render() -> str:
    return HEADER + yaml_text.dump(template())


def template() -> dict[str, Any]:
    resources: dict[str, Any] = {
        "MailIdentity": {"Type": "AWS::SES::EmailIdentity", "Properties": {"EmailIdentity": {"Ref": "MailDomain"}}}
    }
    for stage in STAGES:
        resources.update(_stage(stage))
    resources.update(infra_cdn.resources())
    return {
        "AWSTemplateFormatVersion": "2010-09-09",
        "Description": "ShipCaptainCrew: staging and prod functions, DynamoDB, the dispatch site, CloudFront",
        "Parameters": {
            "OriginSecret": {
                "Type": "String",
                "NoEcho": True,
                "MinLength": 32,
                "Description": "Sent by CloudFront in X-Origin-Secret; the functions refuse requests "
                "without it (SCC_ORIGIN_SECRET)",
            },
            "MailDomain": {"Type": "String", "Description": "Domain (or address) that sends the email (SES identity)"},
            "MailFrom": {"Type": "String", "Description": "Sender of every email (SCC_MAIL_FROM)"},
        },
        "Resources": resources,
        "Outputs": _outputs(),
    }


def _stage(stage: str) -> dict[str, Any]:
    name = stage.capitalize()
    return {
        f"{name}Table": _table(stage),
        f"{name}Role": _role(stage),
        f"{name}LogGroup": {
            "Type": "AWS::Logs::LogGroup",
            "DeletionPolicy": "Delete",
            "UpdateReplacePolicy": "Delete",
            "Properties": {"LogGroupName": f"/aws/lambda/scc-{stage}", "RetentionInDays": RETENTION_DAYS[stage]},
        },
        f"{name}Function": _function(stage),
        f"{name}Version": {"Type": "AWS::Lambda::Version", "Properties": {"FunctionName": {"Ref": f"{name}Function"}}},
        f"{name}Alias": {
            "Type": "AWS::Lambda::Alias",
            "Properties": {
                "FunctionName": {"Ref": f"{name}Function"},
                "Name": "live",
                "FunctionVersion": {"Fn::GetAtt": [f"{name}Version", "Version"]},
            },
        },
        f"{name}Url": {
            "Type": "AWS::Lambda::Url",
            "Properties": {"TargetFunctionArn": {"Ref": f"{name}Alias"}, "AuthType": "NONE"},
        },
        f"{name}UrlPermission": {
            "Type": "AWS::Lambda::Permission",
            "Properties": {
                "FunctionName": {"Ref": f"{name}Alias"},
                "Action": "lambda:InvokeFunctionUrl",
                "Principal": "*",
                "FunctionUrlAuthType": "NONE",
            },
        },
        f"{name}OutboxSchedule": {
            "Type": "AWS::Events::Rule",
            "Properties": {
                "Description": f"Deliver scc-{stage}'s outbox",
                "ScheduleExpression": SCHEDULE[stage],
                "Targets": [
                    {"Id": "deliver-outbox", "Arn": {"Ref": f"{name}Alias"}, "Input": '{"scc": "deliver-outbox"}'}
                ],
            },
        },
        f"{name}RemindersSchedule": {
            "Type": "AWS::Events::Rule",
            "Properties": {
                "Description": f"Queue and send scc-{stage}'s reminders, once a day",
                "ScheduleExpression": REMINDERS_SCHEDULE,
                "Targets": [{"Id": "reminders", "Arn": {"Ref": f"{name}Alias"}, "Input": '{"scc": "reminders"}'}],
            },
        },
        f"{name}RemindersPermission": {
            "Type": "AWS::Lambda::Permission",
            "Properties": {
                "FunctionName": {"Ref": f"{name}Alias"},
                "Action": "lambda:InvokeFunction",
                "Principal": "events.amazonaws.com",
                "SourceArn": {"Fn::GetAtt": [f"{name}RemindersSchedule", "Arn"]},
            },
        },
        f"{name}SchedulePermission": {
            "Type": "AWS::Lambda::Permission",
            "Properties": {
                "FunctionName": {"Ref": f"{name}Alias"},
                "Action": "lambda:InvokeFunction",
                "Principal": "events.amazonaws.com",
                "SourceArn": {"Fn::GetAtt": [f"{name}OutboxSchedule", "Arn"]},
            },
        },
        **_parameters(stage),
    }


def _table(stage: str) -> dict[str, Any]:
    keys = [("pk", "HASH"), ("sk", "RANGE")]
    index_keys = [("gsi1pk", "HASH"), ("gsi1sk", "RANGE")]
    return {
        "Type": "AWS::DynamoDB::Table",
        "DeletionPolicy": "Retain",
        "UpdateReplacePolicy": "Retain",
        "Properties": {
            "TableName": f"scc-{stage}",
            "BillingMode": "PAY_PER_REQUEST",
            "DeletionProtectionEnabled": True,
            "PointInTimeRecoverySpecification": {"PointInTimeRecoveryEnabled": True},
            "TimeToLiveSpecification": {"AttributeName": "expires", "Enabled": True},  # failed sign-ins
            "AttributeDefinitions": [{"AttributeName": key, "AttributeType": "S"} for key, _ in keys + index_keys],
            "KeySchema": [{"AttributeName": key, "KeyType": kind} for key, kind in keys],
            "GlobalSecondaryIndexes": [
                {
                    "IndexName": "gsi1",
                    "Projection": {"ProjectionType": "ALL"},
                    "KeySchema": [{"AttributeName": key, "KeyType": kind} for key, kind in index_keys],
                }
            ],
        },
    }


def _function(stage: str) -> dict[str, Any]:
    variables = {
        "SCC_SSM_PREFIX": f"/scc/{stage}",
        "SCC_ORIGIN_SECRET": {"Ref": "OriginSecret"},
        # Lambda's /tmp lasts one container: the data lives in the stage's table, never in a SQLite file there.
        "SCC_STORE": "dynamodb",
        "SCC_DYNAMODB_TABLE": {"Ref": f"{stage.capitalize()}Table"},
    }
    if stage in PATH_PREFIX:
        variables["SCC_PATH_PREFIX"] = PATH_PREFIX[stage]
    return {
        "Type": "AWS::Lambda::Function",
        "Properties": {
            "FunctionName": f"scc-{stage}",
            "Description": f"ShipCaptainCrew {stage}: code and settings changes go through scc deploy",
            "Runtime": "python3.12",
            "Architectures": ["x86_64"],
            "Handler": HANDLER,
            "MemorySize": 512,
            "Timeout": 15,
            "Role": {"Fn::GetAtt": [f"{stage.capitalize()}Role", "Arn"]},
            "Code": {"ZipFile": PLACEHOLDER},
            "Environment": {"Variables": variables},
            # JSON lines, with Lambda's own START/END/REPORT lines (INFO) left out: a quiet tick writes nothing.
            "LoggingConfig": {
                "LogGroup": {"Ref": f"{stage.capitalize()}LogGroup"},
                "LogFormat": "JSON",
                "ApplicationLogLevel": "INFO",
                "SystemLogLevel": "WARN",
            },
        },
    }


def _role(stage: str) -> dict[str, Any]:
    arn = "arn:${AWS::Partition}"
    parameters = f"{arn}:ssm:${{AWS::Region}}:${{AWS::AccountId}}:parameter/scc/{stage}"
    function = f"{arn}:lambda:${{AWS::Region}}:${{AWS::AccountId}}:function:scc-{stage}"
    table = {"Fn::GetAtt": [f"{stage.capitalize()}Table", "Arn"]}
    statements = [
        _allow(["logs:CreateLogStream", "logs:PutLogEvents"], {"Fn::GetAtt": [f"{stage.capitalize()}LogGroup", "Arn"]}),
        _allow(["ssm:GetParametersByPath"], {"Fn::Sub": parameters}),
        # A request that queued mail hands its delivery to an asynchronous invocation of the same function.
        _allow(["lambda:InvokeFunction"], [{"Fn::Sub": function}, {"Fn::Sub": f"{function}:*"}]),
        _allow(["ssm:GetParameter", "ssm:PutParameter"], {"Fn::Sub": f"{parameters}/gmail-token"}),
        _allow(
            ["ses:SendEmail", "ses:SendRawEmail"],
            {"Fn::Sub": f"{arn}:ses:${{AWS::Region}}:${{AWS::AccountId}}:identity/${{MailDomain}}"},
        ),
        _allow(
            [
                "dynamodb:GetItem",
                "dynamodb:PutItem",
                "dynamodb:UpdateItem",
                "dynamodb:DeleteItem",
                "dynamodb:Query",
                "dynamodb:BatchGetItem",
                "dynamodb:ConditionCheckItem",
            ],
            [table, {"Fn::Sub": ["${Table}/index/*", {"Table": table}]}],
        ),
    ]
    return {
        "Type": "AWS::IAM::Role",
        "Properties": {
            "AssumeRolePolicyDocument": {
                "Version": "2012-10-17",
                "Statement": [
                    {"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}
                ],
            },
            "Policies": [
                {"PolicyName": f"scc-{stage}", "PolicyDocument": {"Version": "2012-10-17", "Statement": statements}}
            ],
        },
    }


def _allow(actions: list[str], resource: Any) -> dict[str, Any]:
    return {"Effect": "Allow", "Action": actions, "Resource": resource}


def _parameters(stage: str) -> dict[str, Any]:
    """Plain settings the stack owns, read by the function through SCC_SSM_PREFIX. Secrets (SCC_SECRET_KEY, the
    admin password hash, the Gmail token) are SecureStrings put by hand: CloudFormation cannot create those."""
    values: dict[str, Any] = {
        "SCC_MAIL_TRANSPORT": "ses",
        "SCC_MAIL_FROM": {"Ref": "MailFrom"},
        "SCC_SES_REGION": {"Ref": "AWS::Region"},
        "SCC_GMAIL_TOKEN_STORE": "ssm",
        "SCC_GMAIL_SSM_PARAMETER": f"/scc/{stage}/gmail-token",
        # The links in emails; a parameter rather than the function's environment, which would make the function
        # depend on the distribution that depends on its URL.
        "SCC_PUBLIC_URL": {"Fn::Sub": "https://${Distribution.DomainName}" + PATH_PREFIX.get(stage, "")},
    }
    return {
        f"{stage.capitalize()}Setting{key.removeprefix('SCC_').title().replace('_', '')}": {
            "Type": "AWS::SSM::Parameter",
            "Properties": {"Name": f"/scc/{stage}/{key}", "Type": "String", "Value": value},
        }
        for key, value in values.items()
    }


def _outputs() -> dict[str, Any]:
    outputs = {
        "SiteBucket": ({"Ref": "SiteBucket"}, "scc site deploy --bucket"),
        "DistributionId": ({"Ref": "Distribution"}, "scc site deploy / scc cdn check --distribution-id"),
        "SiteUrl": ({"Fn::Sub": "https://${Distribution.DomainName}"}, "scc smoke --base-url (staging: add /_staging)"),
    }
    return {name: {"Value": value, "Description": text} for name, (value, text) in outputs.items()}
