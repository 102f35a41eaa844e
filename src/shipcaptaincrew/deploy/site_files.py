"""The dispatch page's files as they go to S3: keys, content types, cache headers, and the staging copy.

Production sits at the bucket's root. The staging copy sits under `_staging/`, and since the page uses
root-relative URLs (`/assets/...`, `/api/...`, `/healthz`), the staging copy's references to the application
and to its own assets are rewritten to `/_staging/...` as it is uploaded: otherwise staging's page would load
production's scripts and talk to production's API. The page itself stays unchanged and free of any notion of
stages.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

DISPATCH = Path(__file__).parents[1] / "web" / "static" / "dispatch"
STAGES = ("staging", "prod")
PREFIX = {"prod": "", "staging": "_staging/"}
CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".ico": "image/x-icon",
    ".json": "application/json",
}
PAGE_CACHE = "no-cache"
"""The page is revalidated on every visit, so a deploy shows at once."""
ASSET_CACHE = "public, max-age=300"
"""Assets are not fingerprinted: browsers keep them five minutes; CloudFront's copies are invalidated on deploy."""
STAGED = re.compile(r"""(?<=["'`(])/(?=(?:assets|api|healthz|g|cal)(?:[/`'"?$)]|$))""")
"""A root-relative reference, right after a quote, backtick or parenthesis, to what staging must serve itself."""
TEXT = (".html", ".js", ".css")


@dataclass(frozen=True)
class SiteFile:
    key: str
    body: bytes
    content_type: str
    cache_control: str

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.body).hexdigest()

    @property
    def md5(self) -> str:
        """What S3 reports as the ETag of an object uploaded in one part."""
        return hashlib.md5(self.body, usedforsecurity=False).hexdigest()


def site_files(stage: str, folder: Path = DISPATCH) -> list[SiteFile]:
    """Every file of the page, keyed for `stage`, in key order."""
    found = []
    for path in sorted(item for item in folder.rglob("*") if item.is_file()):
        name = path.relative_to(folder).as_posix()
        body = path.read_bytes()
        if stage == "staging" and path.suffix in TEXT:
            body = for_staging(body.decode()).encode()
        found.append(SiteFile(PREFIX[stage] + name, body, content_type(name), cache_control(name)))
    return found


def for_staging(text: str) -> str:
    """Point root-relative references to the application and the page's assets at `/_staging/`."""
    return STAGED.sub("/_staging/", text)


def content_type(name: str) -> str:
    return CONTENT_TYPES.get(Path(name).suffix, "application/octet-stream")


def cache_control(name: str) -> str:
    return PAGE_CACHE if name.endswith(".html") else ASSET_CACHE
