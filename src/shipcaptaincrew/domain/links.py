"""Where a guest is sent: the one place that builds a guest path.

A path here has no host and no stage: the web layer puts the stage's path prefix in front (`/_staging` on the
staging function) and an email puts the public address in front (which already carries the prefix).
"""

from __future__ import annotations

GUEST_ROOT = "/g"


def guest_path(slug: str, *rest: str) -> str:
    """`/g/<slug>`, then what follows it: `guest_path(slug, "waiver")`, `guest_path(slug, "signed", token)`."""
    return "/".join((GUEST_ROOT, slug, *rest))
