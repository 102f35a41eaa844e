"""A small, deterministic YAML writer for the CloudFormation template: block style, keys in the order given,
strings plain only where YAML cannot read them as anything else, multi-line strings as literal blocks."""

from __future__ import annotations

import json
import re
from typing import Any

PLAIN = re.compile(r"[A-Za-z_/$][A-Za-z0-9_./:$-]*")
RESERVED = {"true", "false", "yes", "no", "on", "off", "null", "y", "n", "~"}


def dump(document: dict[str, Any]) -> str:
    return "".join(f"{line}\n" for line in _mapping(document, 0))


def _mapping(mapping: dict[str, Any], indent: int) -> list[str]:
    lines = []
    for key, value in mapping.items():
        lines += _entry(" " * indent + f"{_scalar(key)}:", value, indent + 2)
    return lines


def _sequence(items: list[Any], indent: int) -> list[str]:
    lines = []
    for item in items:
        if isinstance(item, dict) and item:
            nested = _mapping(item, indent + 2)
            lines.append(" " * indent + "- " + nested[0].lstrip())
            lines += nested[1:]
        else:
            lines += _entry(" " * indent + "-", item, indent + 2)
    return lines


def _entry(head: str, value: Any, indent: int) -> list[str]:
    if isinstance(value, dict) and value:
        return [head, *_mapping(value, indent)]
    if isinstance(value, list) and value:
        return [head, *_sequence(value, indent)]
    if isinstance(value, str) and "\n" in value:
        return [f"{head} |", *[(" " * indent + line).rstrip() for line in value.rstrip("\n").split("\n")]]
    return [f"{head} {_scalar(value)}"]


def _scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, dict | list):
        return "{}" if isinstance(value, dict) else "[]"
    text = str(value)
    if PLAIN.fullmatch(text) and text.lower() not in RESERVED and not text.endswith(":"):
        return text
    return json.dumps(text, ensure_ascii=False)
