"""Email bodies from Jinja2 templates: a text part and an HTML part, from the plain facts the domain built."""

from __future__ import annotations

import functools
import logging

from jinja2 import Environment, PackageLoader, StrictUndefined, TemplateError, select_autoescape

from shipcaptaincrew.domain.mail import Email

log = logging.getLogger("shipcaptaincrew.mail")


@functools.cache
def _environment() -> Environment:
    """Built on first use, not at import (cold start). HTML is autoescaped; text parts are sent as text/plain."""
    return Environment(
        loader=PackageLoader("shipcaptaincrew.adapters", "templates/mail"),
        autoescape=select_autoescape(["html"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,  # templates ship with the code: compile each once, never stat it again per message
    )


def render(email: Email) -> tuple[str, str]:
    """(text, html) for the message; html is "" when it has no template.

    A template that fails to render is a bug, but it must not cost the message: the domain's own text goes out.
    """
    if not email.template:
        return email.text, ""
    try:
        environment = _environment()
        facts = dict(email.facts)
        text = environment.get_template(f"{email.template}.txt").render(facts)
        html = environment.get_template(f"{email.template}.html").render(facts)
    except TemplateError:
        log.exception("mail template %r failed; sending the plain text instead", email.template)
        return email.text, ""
    return text, html
