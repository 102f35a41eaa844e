"""Where the Gmail token lives: a file readable by its owner only (locally), or an SSM SecureString (AWS).

Both hold the same JSON (`GmailToken.to_json`); a refreshed access token is written back, so other processes
and Lambda instances reuse it instead of refreshing their own.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

from shipcaptaincrew.adapters.gmail_oauth import GmailToken
from shipcaptaincrew.ports import CredentialsUnavailable


class FileTokenStore:
    """`<data folder>/gmail-token.json`, mode 0600, replaced atomically (a reader never sees half a token)."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def describe(self) -> str:
        return f"file {self.path} (mode 0600)"

    def load(self) -> GmailToken | None:
        try:
            return GmailToken.from_json(self.path.read_text())
        except FileNotFoundError:
            return None
        except (OSError, ValueError) as error:
            problem = type(error).__name__
            raise CredentialsUnavailable(f"could not read the Gmail token in {self.path} ({problem})") from None

    def save(self, token: GmailToken) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        descriptor, partial = tempfile.mkstemp(prefix=".gmail-token.", dir=self.path.parent)  # created 0600
        try:
            with os.fdopen(descriptor, "w") as handle:
                handle.write(token.to_json() + "\n")
                handle.flush()
                os.fsync(handle.fileno())
            os.chmod(partial, 0o600)
            os.replace(partial, self.path)
        except BaseException:
            Path(partial).unlink(missing_ok=True)
            raise


class SsmTokenStore:
    """An SSM Parameter Store SecureString (KMS-encrypted); boto3 is imported on first use."""

    def __init__(self, name: str, region: str | None = None, client: Any = None) -> None:
        self.name = name
        self.region = region
        self._client = client

    def describe(self) -> str:
        return f"SSM parameter {self.name} (SecureString)"

    def load(self) -> GmailToken | None:
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            answer = self._ssm().get_parameter(Name=self.name, WithDecryption=True)
        except ClientError as error:
            code = error.response.get("Error", {}).get("Code")
            if code == "ParameterNotFound":
                return None
            raise CredentialsUnavailable(f"could not read {self.describe()}: {code}") from None
        except BotoCoreError as error:
            raise CredentialsUnavailable(f"could not read {self.describe()}: {type(error).__name__}") from None
        try:
            return GmailToken.from_json(answer["Parameter"]["Value"])
        except ValueError:
            raise CredentialsUnavailable(f"{self.describe()} does not hold a Gmail token") from None

    def save(self, token: GmailToken) -> None:
        self._ssm().put_parameter(Name=self.name, Value=token.to_json(), Type="SecureString", Overwrite=True)

    def _ssm(self) -> Any:
        if self._client is None:
            import boto3

            self._client = boto3.client("ssm", region_name=self.region)
        return self._client
