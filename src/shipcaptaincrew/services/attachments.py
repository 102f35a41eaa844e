"""Making a message's attachments when it is sent, from the names it was queued with (`mail.ATTACHMENTS`).

A signer's copy is queued in the signing transaction as `waiver-copy:<copy token>`; the PDF is made here, by the
delivery (the process beside `scc serve`, the schedule or the asynchronous invocation on Lambda), from the record
as it is then, so no PDF is ever made inside a request.
"""

from __future__ import annotations

import logging
from dataclasses import replace

from shipcaptaincrew.domain.errors import InvalidInput
from shipcaptaincrew.domain.mail import Attachment, Email
from shipcaptaincrew.domain.slugs import slug_name
from shipcaptaincrew.domain.waiver_copy import COPY_ATTACHMENT
from shipcaptaincrew.services.context import Context
from shipcaptaincrew.services.waivers import copy_by_token

log = logging.getLogger("shipcaptaincrew.outbox")
PDF = "application/pdf"


def with_attachments(ctx: Context, email: Email) -> Email:
    """The email with the files its facts name. One that cannot be made (no printer, a record gone, a failure)
    is left out and logged: the message still goes, with its link to the copy."""
    files = [made for name in email.attachment_names() if (made := _attachment(ctx, name)) is not None]
    return replace(email, attachments=tuple(files)) if files else email


def _attachment(ctx: Context, name: str) -> Attachment | None:
    kind, _, token = name.partition(":")
    if kind != COPY_ATTACHMENT or ctx.printer is None:
        log.warning("attachment %s cannot be made here; the message goes without it", kind or "(unnamed)")
        return None
    try:
        found = copy_by_token(ctx, token)
        if found is None:
            log.warning("a signed copy to attach is gone; the message goes without it")
            return None
        pdf = ctx.printer.waiver_copy(found.sheet(ctx.words))
    except Exception:  # a document that cannot be made must not cost the guest their email
        log.exception("the signed copy could not be made into a PDF; the message goes without it")
        return None
    return Attachment(copy_filename(found.signature.guest_name), PDF, pdf)


def copy_filename(guest_name: str) -> str:
    """`signed-waiver-analima.pdf`: ASCII letters only, safe in any header."""
    try:
        return f"signed-waiver-{slug_name(guest_name)}.pdf"
    except InvalidInput:  # a name with no letter A-Z
        return "signed-waiver.pdf"
