"""`scc db`: the store itself (today: make the DynamoDB table for an emulator or a first set-up)."""

from __future__ import annotations

import click

from shipcaptaincrew.cli.common import load_settings


@click.group("db")
def db_group() -> None:
    """Set up the store."""


@db_group.command("create-table")
def create_table_command() -> None:
    """Create the DynamoDB table SCC_DYNAMODB_TABLE (keys pk/sk, index gsi1, on demand) if it is missing.

    For emulators (SCC_AWS_ENDPOINT_URL) and first set-ups; on AWS the CloudFormation template makes it.
    """
    settings = load_settings()
    if settings.store != "dynamodb":
        raise click.UsageError("SCC_STORE is not dynamodb: the SQLite store makes its tables when it opens")
    from botocore.exceptions import BotoCoreError, ClientError

    from shipcaptaincrew.adapters.dynamodb import DynamoDbStore, create_table

    store = DynamoDbStore(settings.dynamodb_table, settings.periods, endpoint_url=settings.aws_endpoint_url)
    try:
        made = create_table(store.client, settings.dynamodb_table)
    except (BotoCoreError, ClientError) as error:
        raise click.ClickException(f"could not create table {settings.dynamodb_table!r}: {error}") from None
    click.echo(f"table {settings.dynamodb_table!r} {'created' if made else 'exists already'}")
