"""`scc site deploy|pull`: the dispatch page in S3, with a manifest of the last deploy and a drift check.

The deployed page once drifted to 2463 lines against 976 in the repository, edited in place, and a blind upload
would have thrown that work away. So each deploy writes a manifest (key → SHA-256 and MD5) next to the files,
and the next one first compares the bucket with it: a file changed, added or deleted behind the tool's back
stops the deploy with a unified diff, until someone has reviewed it (`scc site pull`) and chooses `--force`.
Only the stage's own keys are read or written: staging never touches anything outside `_staging/`.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from shipcaptaincrew.deploy.site_files import PREFIX, SiteFile
from shipcaptaincrew.deploy.steps import error_code

MANIFEST_FOLDER = ".scc/"


class SiteDrift(Exception):
    """The bucket holds changes the last deploy did not make; the message carries their diff."""


@dataclass
class Drift:
    changed: list[str] = field(default_factory=list)
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    diff: str = ""

    @property
    def keys(self) -> list[str]:
        return sorted(self.changed + self.added + self.removed)


@dataclass(frozen=True)
class Outcome:
    uploaded: list[str]
    deleted: list[str]
    unchanged: int
    invalidated: list[str]


class Bucket:
    """One stage's part of the site bucket."""

    def __init__(self, s3: Any, bucket: str, stage: str) -> None:
        self.s3, self.bucket, self.prefix = s3, bucket, PREFIX[stage]
        self.manifest_key = self.prefix + MANIFEST_FOLDER + "manifest.json"

    def objects(self) -> dict[str, str]:
        """Key → ETag (without quotes) of the stage's files; never the manifest, never another stage's keys."""
        found: dict[str, str] = {}
        for page in self.s3.get_paginator("list_objects_v2").paginate(Bucket=self.bucket, Prefix=self.prefix):
            for item in page.get("Contents", []):
                if self._owned(item["Key"]):
                    found[item["Key"]] = item["ETag"].strip('"')
        return found

    def _owned(self, key: str) -> bool:
        rest = key[len(self.prefix) :]
        return not rest.startswith(MANIFEST_FOLDER) and not (self.prefix == "" and key.startswith(PREFIX["staging"]))

    def manifest(self) -> dict[str, dict[str, str]] | None:
        body = self.read(self.manifest_key)
        return None if body is None else dict(json.loads(body)["files"])

    def read(self, key: str) -> bytes | None:
        try:
            return bytes(self.s3.get_object(Bucket=self.bucket, Key=key)["Body"].read())
        except Exception as error:
            if error_code(error) in ("NoSuchKey", "404"):
                return None
            raise

    def write(self, file: SiteFile) -> None:
        self.s3.put_object(
            Bucket=self.bucket,
            Key=file.key,
            Body=file.body,
            ContentType=file.content_type,
            CacheControl=file.cache_control,
        )

    def write_manifest(self, files: list[SiteFile], stage: str) -> None:
        manifest = {
            "stage": stage,
            "deployed_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "files": {file.key: {"sha256": file.sha256, "md5": file.md5} for file in files},
        }
        self.s3.put_object(
            Bucket=self.bucket,
            Key=self.manifest_key,
            Body=json.dumps(manifest, indent=1).encode(),
            ContentType="application/json",
            CacheControl="no-store",
        )


def drift(bucket: Bucket, local: list[SiteFile]) -> Drift:
    """What in the bucket the last deploy did not put there, with a diff against what this deploy would write."""
    manifest, live = bucket.manifest() or {}, bucket.objects()
    by_key = {file.key: file for file in local}
    found = Drift(removed=sorted(key for key in manifest if key not in live))
    diffs = []
    for key, etag in sorted(live.items()):
        recorded = manifest.get(key)
        if recorded and etag == recorded["md5"]:
            continue
        body = bucket.read(key) or b""
        if recorded and hashlib.sha256(body).hexdigest() == recorded["sha256"]:
            continue  # uploaded in parts: the ETag is not an MD5, the content is as deployed
        (found.changed if recorded else found.added).append(key)
        diffs.append(_diff(key, by_key.get(key), body))
    diffs += [_diff(key, by_key.get(key), b"") for key in found.removed]
    found.diff = "".join(diffs)
    return found


def _diff(key: str, local: SiteFile | None, live: bytes) -> str:
    ours = local.body.decode(errors="replace").splitlines(keepends=True) if local else []
    theirs = live.decode(errors="replace").splitlines(keepends=True)
    lines = difflib.unified_diff(ours, theirs, f"{key} (this deploy)", f"{key} (in the bucket now)")
    return "".join(line if line.endswith("\n") else line + "\n" for line in lines)


def deploy(bucket: Bucket, stage: str, local: list[SiteFile], force: bool = False) -> tuple[Outcome, Drift]:
    """Upload what changed, delete what the page no longer has, write the manifest last. Raises SiteDrift."""
    found = drift(bucket, local)
    if found.keys and not force:
        raise SiteDrift(
            f"the bucket's {stage} files were changed outside `scc site deploy`: {', '.join(found.keys)}.\n"
            f"Nothing was written. Review them (`scc site pull --stage {stage}`), bring what should stay into the "
            f"repository, then deploy again with --force.\n{found.diff}"
        )
    manifest = bucket.manifest() or {}
    upload = [
        file for file in local if manifest.get(file.key, {}).get("sha256") != file.sha256 or file.key in found.keys
    ]
    keep = {file.key for file in local}
    stale = sorted(key for key in {*manifest, *found.added} if key not in keep and key not in found.removed)
    for file in upload:
        bucket.write(file)
    for key in stale:
        bucket.s3.delete_object(Bucket=bucket.bucket, Key=key)
    bucket.write_manifest(local, stage)
    touched = [file.key for file in upload] + stale
    return Outcome([file.key for file in upload], stale, len(local) - len(upload), invalidation(stage, touched)), found


@dataclass(frozen=True)
class Saved:
    """A stage's files and manifest as they were before an upload, to put back if the deploy rolls back."""

    files: dict[str, SiteFile]
    manifest: bytes | None


def save(bucket: Bucket) -> Saved:
    files = {}
    for key in bucket.objects():
        found = bucket.s3.get_object(Bucket=bucket.bucket, Key=key)
        files[key] = SiteFile(
            key,
            bytes(found["Body"].read()),
            found.get("ContentType", "application/octet-stream"),
            found.get("CacheControl", ""),
        )
    return Saved(files, bucket.read(bucket.manifest_key))


def restore(bucket: Bucket, saved: Saved) -> list[str]:
    """Make the stage's files what `saved` holds again; return the keys that changed (for the invalidation)."""
    now = bucket.objects()
    touched = []
    for key, file in sorted(saved.files.items()):
        if now.get(key) != file.md5:
            bucket.write(file)
            touched.append(key)
    for key in sorted(set(now) - set(saved.files)):
        bucket.s3.delete_object(Bucket=bucket.bucket, Key=key)
        touched.append(key)
    if saved.manifest is None:
        bucket.s3.delete_object(Bucket=bucket.bucket, Key=bucket.manifest_key)
    else:
        bucket.s3.put_object(
            Bucket=bucket.bucket,
            Key=bucket.manifest_key,
            Body=saved.manifest,
            ContentType="application/json",
            CacheControl="no-store",
        )
    return touched


def invalidation(stage: str, keys: list[str]) -> list[str]:
    """The CloudFront paths to invalidate: nothing when nothing changed; staging's whole prefix; else each key."""
    if not keys:
        return []
    if stage == "staging":
        return ["/_staging/*"]
    paths = sorted({"/" + key for key in keys})
    return ["/", *paths] if "/index.html" in paths else paths


def invalidate(cloudfront: Any, distribution_id: str, paths: list[str]) -> str:
    answer = cloudfront.create_invalidation(
        DistributionId=distribution_id,
        InvalidationBatch={
            "Paths": {"Quantity": len(paths), "Items": paths},
            "CallerReference": f"scc-site-{time.time_ns()}",
        },
    )
    return str(answer["Invalidation"]["Id"])


def pull(bucket: Bucket, folder: Path) -> list[Path]:
    """Download the stage's deployed files into `folder` (without the stage prefix), to review or diff."""
    written = []
    for key in sorted(bucket.objects()):
        target = folder / key[len(bucket.prefix) :]
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(bucket.read(key) or b"")
        written.append(target)
    return written
