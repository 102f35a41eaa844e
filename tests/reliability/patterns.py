"""Each regular expression of the schema built into a Hypothesis strategy once per run, not once per filter.

Schemathesis filters and maps the strategy of every string with a `pattern`, and each filter has Hypothesis build
the pattern's strategy again. The schema's text patterns exclude control characters and whole private-use planes,
so one build walks some 140,000 code points: about a second each, some 180 builds of 15 patterns in a run, three
quarters of the fuzzer's time. A built strategy depends only on the pattern, its flags, whether it must match whole
and the alphabet, so building each once gives the fuzzer the very same cases (a derandomized run draws identical
examples either way).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from hypothesis.strategies._internal import regex

Build = Callable[..., Any]


def _remembering(build: Build) -> Build:
    built: dict[tuple[Any, ...], Any] = {}

    def regex_strategy(pattern: Any, fullmatch: bool, *, alphabet: Any, **more: Any) -> Any:
        source, flags = getattr(pattern, "pattern", pattern), getattr(pattern, "flags", 0)
        key = (source, flags, fullmatch, getattr(alphabet, "intervals", alphabet), tuple(sorted(more.items())))
        if key not in built:
            built[key] = build(pattern, fullmatch, alphabet=alphabet, **more)
        return built[key]

    return regex_strategy


@contextmanager
def each_pattern_built_once() -> Iterator[None]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(regex, "regex_strategy", _remembering(regex.regex_strategy))
        yield
