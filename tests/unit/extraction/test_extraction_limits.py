"""Sources the parser cannot afford are turned away cheaply; ordinary ones are not looked at."""

from __future__ import annotations

import ast
import time

import pytest

from decompose.extraction.limits import (
    MAX_EXPRESSION_DEPTH,
    expression_depth,
    refusal,
)
from decompose.extraction.module import extract
from decompose.model import SkippedFile


def _refusal(source: str) -> str | None:
    return refusal(source.encode(), source)


@pytest.mark.parametrize(
    ("source", "reason"),
    [
        ("x = " + "(" * 1500 + "1" + ")" * 1500, "brackets more than 200 deep"),
        ("x = " + "[" * 201 + "]" * 201, "brackets more than 200 deep"),
        ("x = " + "+".join(["1"] * 20_000), "too deeply nested"),
        ("x = a" + ".b" * 1_500, "an expression 1,501 levels deep"),
        ("x = " + "-" * 20_000 + "1", "too deeply nested"),
        ("if a:\n    pass\n" + "elif a:\n    pass\n" * 12_000, "too deeply nested"),
    ],
)
def test_what_the_parser_cannot_afford_is_refused_with_a_reason(source: str, reason: str) -> None:
    started = time.perf_counter()
    assert reason in (_refusal(source) or "")
    assert time.perf_counter() - started < 2


@pytest.mark.parametrize(
    "source",
    [
        "x = " + "(" * 150 + "1" + ")" * 150,  # deep, but Python allows it
        "x = '" + "(" * 500 + "'",  # brackets in a string
        "x = [" + ", ".join(["1"] * 5_000) + "]",  # long, but flat
        "x = a" + ".b" * 900,
        "if a:\n    pass\n" + "elif a:\n    pass\n" * 1_500,
        "print 'python 2'\nz = '" + "a" * 3_000 + "'",  # long line; any other error is libcst's
    ],
)
def test_what_it_can_afford_is_left_to_it(source: str) -> None:
    assert _refusal(source) is None


def test_a_refused_file_is_skipped_with_its_reason() -> None:
    result = extract(b"x = " + b"(" * 1500 + b")" * 1500, "m", "m.py", False)
    assert isinstance(result, SkippedFile) and "too deeply nested" in result.reason


def test_expression_depth_counts_expressions_only() -> None:
    assert expression_depth(ast.parse("x = 1")) == 1
    assert expression_depth(ast.parse("x = a.b.c")) == 3
    chain = "if a:\n    pass\n" + "elif a:\n    pass\n" * 50
    assert expression_depth(ast.parse(chain)) == 1
    assert expression_depth(ast.parse("y = " + "-" * 30 + "1")) == 31 < MAX_EXPRESSION_DEPTH
