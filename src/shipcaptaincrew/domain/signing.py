"""Checking a waiver form as a guest filled it in, every problem at once and in plain words, and turning it into
one signature record per person: the adult who signs, and each child they sign for.

Only an adult (18 or over on the charter day) signs; a child is added by the adult signing for them, and their
record names that adult as guardian. A typed signature must be the signer's full name (case, accents and extra
spaces aside) unless a signature is drawn.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from shipcaptaincrew.domain.drawings import checked_drawing
from shipcaptaincrew.domain.errors import InvalidInput
from shipcaptaincrew.domain.guest_words import long_day
from shipcaptaincrew.domain.text import EMAIL_PATTERN, PHONE_PATTERN, clean_line

ADULT_AGE = 18
MAX_CHILDREN = 12
"""Children one adult signs for in one form: a family, and a transaction of a bounded size."""
NAME_LENGTH = 120
_EMAIL, _PHONE = re.compile(EMAIL_PATTERN), re.compile(PHONE_PATTERN)
RELATIONSHIPS = {"parent": "parent", "guardian": "legal guardian"}
"""How the adult is related to the children they sign for: the form's choices and the words recorded."""


@dataclass(frozen=True)
class ChildDraft:
    name: str
    date_of_birth: date | str | None


@dataclass(frozen=True)
class SignatureDraft:
    """What the guest sent, as received (dates as typed or already read); `check_form` validates it."""

    guest_name: str
    email: str
    phone: str
    date_of_birth: date | str | None
    emergency_name: str
    emergency_phone: str
    typed_signature: str
    consent: bool
    agreement: bool
    version_id: int
    version_hash: str
    drawn_signature: str = ""
    children: tuple[ChildDraft, ...] = ()
    relationship: str = ""


@dataclass(frozen=True)
class Problem:
    field: str
    message: str


class FormProblems(InvalidInput):
    """Every problem the form has, in the form's order; `field` and `message` are the first one's."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(problems[0].message, problems[0].field)
        self.problems = tuple(problems)


@dataclass(frozen=True)
class Person:
    name: str
    born: date


@dataclass(frozen=True)
class CheckedForm:
    """A form with nothing wrong: the adult's answers cleaned, and the children they sign for."""

    adult: Person
    email: str
    phone: str
    emergency_name: str
    emergency_phone: str
    typed_signature: str
    drawn_signature: str
    relationship: str
    children: tuple[Person, ...] = field(default=())


def plain_name(name: str) -> str:
    """A name without case, accents or extra spaces: `Aná  LIMA` and `ana lima` are the same person."""
    letters = unicodedata.normalize("NFKD", name)
    return " ".join("".join(ch for ch in letters if not unicodedata.combining(ch)).casefold().split())


def is_minor(born: date, on: date) -> bool:
    years = on.year - born.year - ((on.month, on.day) < (born.month, born.day))
    return years < ADULT_AGE


WORDS: dict[str, dict[str, str]] = {
    "guest_name": {
        "missing": "Enter your full name",
        "long": f"Your full name must be at most {NAME_LENGTH} characters",
        "bad": "Your full name has characters that cannot be used; type it again",
    },
    "email": {"invalid": "Enter an email address like name@example.org, or leave it empty"},
    "phone": {"invalid": "Enter a phone number with at least 5 digits, or leave it empty"},
    "date_of_birth": {
        "missing": "Enter your date of birth",
        "invalid": "Enter your date of birth as a real date, like 1990-04-23",
        "late": "Enter your real date of birth, before the charter",
        "age": "You must be 18 or over on {day} to sign. A parent or guardian signs for anyone younger, adding "
        "them as a child on their own form",
    },
    "emergency_name": {
        "missing": "Enter the name of someone we can call in an emergency",
        "long": f"The emergency contact's name must be at most {NAME_LENGTH} characters",
        "bad": "The emergency contact's name has characters that cannot be used; type it again",
    },
    "emergency_phone": {
        "missing": "Enter the emergency contact's phone number",
        "invalid": "Enter the emergency contact's phone number with at least 5 digits",
    },
    "relationship": {"missing": "Choose whether you are the children's parent or legal guardian"},
    "child_name": {
        "missing": "Enter the full name of child {n}",
        "long": f"The name of child {{n}} must be at most {NAME_LENGTH} characters",
        "bad": "The name of child {n} has characters that cannot be used; type it again",
        "many": f"Add at most {MAX_CHILDREN} children on one form; sign a second form for the others",
    },
    "child_born": {
        "missing": "Enter the date of birth of child {n}",
        "invalid": "Enter the date of birth of child {n} as a real date, like 2016-02-10",
        "late": "Enter the real date of birth of child {n}, before the charter",
        "age": "{name} is 18 or over on {day}, so they sign the waiver themselves",
    },
    "typed_signature": {
        "missing": "Type your full name as your signature",
        "bad": "Type your full name as your signature, with letters only",
        "mismatch": "Type your full name exactly as above ({name}) as your signature",
    },
    "consent": {"missing": "Tick the box to agree to sign electronically"},
    "agreement": {"missing": "Tick the box to agree to the waiver"},
}
"""Every message a field can get, by kind: the server's checks and the page's script (which fills in `{n}`,
`{name}` and `{day}` the same way) say the same words."""


class _Checker:
    """Collects the problems of one form, in the form's order."""

    def __init__(self, charter_day: date) -> None:
        self.day = charter_day
        self.problems: list[Problem] = []

    def add(self, field: str, words: str, kind: str, **values: str) -> None:
        self.problems.append(Problem(field, WORDS[words][kind].format(day=long_day(self.day), **values)))

    def line(self, field: str, value: str, words: str = "", **values: str) -> str:
        text, words = value.strip(), words or field
        if not text:
            self.add(field, words, "missing", **values)
        elif len(text) > NAME_LENGTH:
            self.add(field, words, "long", **values)
        elif not _printable(text, field):
            self.add(field, words, "bad", **values)
        else:
            return text
        return ""

    def optional(self, field: str, value: str, valid: Callable[[str], bool]) -> str:
        text = value.strip()
        if text and (len(text) > 254 or not _printable(text, field) or not valid(text)):
            self.add(field, field, "invalid")
            return ""
        return text

    def phone(self, field: str, value: str) -> str:
        text = value.strip()
        if not text:
            self.add(field, field, "missing")
        elif not _is_phone(text) or not _printable(text, field):
            self.add(field, field, "invalid")
        else:
            return text
        return ""

    def born(self, field: str, value: date | str | None, words: str = "", **values: str) -> date | None:
        born, words = _read_date(value), words or field
        if value is None or value == "":
            self.add(field, words, "missing", **values)
        elif born is None:
            self.add(field, words, "invalid", **values)
        elif born > self.day or born.year < self.day.year - 120:
            self.add(field, words, "late", **values)
        else:
            return born
        return None


def check_form(draft: SignatureDraft, charter_day: date) -> CheckedForm:
    """The form's answers checked against the charter's day; raise FormProblems naming every problem at once."""
    check = _Checker(charter_day)
    name = check.line("guest_name", draft.guest_name)
    email = check.optional("email", draft.email, _is_email)
    phone = check.optional("phone", draft.phone, _is_phone)
    born = check.born("date_of_birth", draft.date_of_birth)
    if born and is_minor(born, charter_day):
        check.add("date_of_birth", "date_of_birth", "age")
    emergency_name = check.line("emergency_name", draft.emergency_name)
    emergency_phone = check.phone("emergency_phone", draft.emergency_phone)
    relationship, children = _children(check, draft)
    drawing = _Checker(charter_day)  # the pad comes after the typed signature on the form
    drawn = _drawing(drawing.problems, draft.drawn_signature)
    typed = _typed(check, draft.typed_signature, name, bool(drawn))
    check.problems += drawing.problems
    for box, ticked in (("consent", draft.consent), ("agreement", draft.agreement)):
        if not ticked:
            check.add(box, box, "missing")
    if check.problems:
        raise FormProblems(check.problems)
    assert born is not None
    return CheckedForm(
        Person(name, born), email, phone, emergency_name, emergency_phone, typed, drawn, relationship, children
    )


def child_field(number: int, part: str) -> str:
    """The form's name for a child's answer: `child_2_name`, `child_2_born` (numbered from 1)."""
    return f"child_{number}_{part}"


def _children(check: _Checker, draft: SignatureDraft) -> tuple[str, tuple[Person, ...]]:
    if not draft.children:
        return "", ()
    relationship = RELATIONSHIPS.get(draft.relationship, "")
    if not relationship:
        check.add("relationship", "relationship", "missing")
    children = [_child(check, number, child) for number, child in enumerate(draft.children, 1)]
    if len(draft.children) > MAX_CHILDREN:
        check.add(child_field(MAX_CHILDREN + 1, "name"), "child_name", "many")
    return relationship, tuple(child for child in children if child is not None)


def _child(check: _Checker, number: int, child: ChildDraft) -> Person | None:
    field, n = child_field(number, "born"), str(number)
    name = check.line(child_field(number, "name"), child.name, "child_name", n=n)
    born = check.born(field, child.date_of_birth, "child_born", n=n)
    if born and not is_minor(born, check.day):
        check.add(field, "child_born", "age", name=name or f"Child {number}")
        return None
    return Person(name, born) if name and born else None


def _read_date(value: date | str | None) -> date | None:
    if isinstance(value, date) or value is None:
        return value
    try:
        return date.fromisoformat(value.strip()) if len(value.strip()) == 10 else None
    except ValueError:
        return None


def _drawing(problems: list[Problem], drawn: str) -> str:
    if not drawn:
        return ""
    try:
        return checked_drawing(drawn)
    except InvalidInput as error:
        problems.append(Problem("drawn_signature", error.message[:1].upper() + error.message[1:]))
        return ""


def _typed(check: _Checker, typed: str, name: str, drawn: bool) -> str:
    text = typed.strip()
    if not text and drawn:
        return ""
    if not text:
        check.add("typed_signature", "typed_signature", "missing")
    elif len(text) > NAME_LENGTH or not _printable(text, "typed_signature"):
        check.add("typed_signature", "typed_signature", "bad")
    elif name and plain_name(text) != plain_name(name):
        check.add("typed_signature", "typed_signature", "mismatch", name=name)
    else:
        return text
    return ""


def _printable(text: str, name: str) -> bool:
    try:
        clean_line(text, name, max_len=len(text) + 1)
    except InvalidInput:
        return False
    return True


def _is_email(text: str) -> bool:
    return _EMAIL.fullmatch(text) is not None


def _is_phone(text: str) -> bool:
    return _PHONE.fullmatch(text) is not None and sum(ch.isdigit() for ch in text) >= 5
