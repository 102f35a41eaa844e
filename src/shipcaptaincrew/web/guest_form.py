"""The waiver form as a guest sends it and sees it again: the answers read, the children's rows, every error with
the field it belongs to, and the words the page's script checks with (the same words the server uses)."""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import parse_qs

from starlette.requests import Request

from shipcaptaincrew.domain.signing import MAX_CHILDREN, ChildDraft, Problem, SignatureDraft, child_field

ANSWERS = (
    *("guest_name", "email", "phone", "date_of_birth", "emergency_name", "emergency_phone", "with_children"),
    *("relationship", "typed_signature", "drawn_signature", "consent", "agreement"),
)
MAX_FIELDS = 80  # the answers, the hidden fields, two per child and the buttons
ANCHORS = {"drawn_signature": "signature-pad"}
"""The element a summary link leads to, where it is not the input named like the field."""


async def read_answers(request: Request) -> dict[str, str]:
    """The form's fields as sent (the first value of each); nothing at all for a body that is not a form."""
    body = await request.body()
    try:
        parsed = parse_qs(body.decode("utf-8"), keep_blank_values=True, max_num_fields=MAX_FIELDS)
    except (UnicodeDecodeError, ValueError):
        return {}
    return {name: values[0] for name, values in parsed.items() if values}


def child_rows(answers: dict[str, str]) -> int:
    """How many children's rows the form showed: the highest numbered row sent, at least one."""
    numbers = [number for number in range(1, MAX_CHILDREN + 2) if _row_sent(answers, number)]
    return max(numbers, default=1)


def _row_sent(answers: dict[str, str], number: int) -> bool:
    return child_field(number, "name") in answers or child_field(number, "born") in answers


def draft(answers: dict[str, str]) -> SignatureDraft:
    return SignatureDraft(
        guest_name=answers.get("guest_name", ""),
        email=answers.get("email", ""),
        phone=answers.get("phone", ""),
        date_of_birth=answers.get("date_of_birth", ""),
        emergency_name=answers.get("emergency_name", ""),
        emergency_phone=answers.get("emergency_phone", ""),
        typed_signature=answers.get("typed_signature", ""),
        consent=answers.get("consent") == "yes",
        agreement=answers.get("agreement") == "yes",
        version_id=_int(answers.get("version_id", "")),
        version_hash=answers.get("version_hash", ""),
        drawn_signature=answers.get("drawn_signature", ""),
        children=children(answers),
        relationship=answers.get("relationship", ""),
    )


def children(answers: dict[str, str]) -> tuple[ChildDraft, ...]:
    """The children's rows when the guest said they sign for children; a row left wholly empty is no child,
    unless it is the only one (then it is a child whose answers are missing)."""
    if answers.get("with_children") != "yes":
        return ()
    rows = [_child(answers, number) for number in range(1, child_rows(answers) + 1)]
    filled = tuple(row for row in rows if row.name.strip() or str(row.date_of_birth or "").strip())
    return filled or tuple(rows[:1])


def _child(answers: dict[str, str], number: int) -> ChildDraft:
    return ChildDraft(answers.get(child_field(number, "name"), ""), answers.get(child_field(number, "born"), ""))


def rows_changed(answers: dict[str, str]) -> dict[str, str] | None:
    """The answers with a child's row added or removed, when the guest pressed "Add another child" or "Remove"
    (without JavaScript these buttons send the form); None when the form was sent to sign."""
    if "add_child" in answers:
        added = child_field(min(child_rows(answers) + 1, MAX_CHILDREN), "name")
        return {**answers, "with_children": "yes", added: answers.get(added, "")}
    removed = _int(answers.get("remove_child", ""))
    if not removed:
        return None
    kept = {name: value for name, value in answers.items() if not name.startswith("child_")}
    rows = [_child(answers, number) for number in range(1, child_rows(answers) + 1) if number != removed]
    for number, row in enumerate(rows or [ChildDraft("", "")], 1):
        kept[child_field(number, "name")], kept[child_field(number, "born")] = row.name, str(row.date_of_birth or "")
    return kept


@dataclass
class FormView:
    """What the template shows: the answers kept, the rows, each field's error and the summary's links."""

    answers: dict[str, str]
    rows: int
    errors: dict[str, str] = field(default_factory=dict)
    summary: list[tuple[str, str]] = field(default_factory=list)

    @classmethod
    def of(cls, answers: dict[str, str], problems: tuple[Problem, ...] = ()) -> FormView:
        kept = {name: answers.get(name, "") for name in ANSWERS}
        kept["with_children"] = "yes" if answers.get("with_children") == "yes" else "no"
        rows = child_rows(answers)
        for number in range(1, rows + 1):
            for part in ("name", "born"):
                kept[child_field(number, part)] = answers.get(child_field(number, part), "")
        errors = {problem.field: problem.message for problem in problems}
        summary = [(ANCHORS.get(problem.field, problem.field), problem.message) for problem in problems]
        return cls(kept, rows, errors, summary)


def _int(text: str) -> int:
    return int(text) if text.isdigit() and len(text) < 10 else 0
