"""Generated expressions are laid out as `ruff format` lays them out: ruff itself is the judge."""

from __future__ import annotations

import keyword
import shutil
import string
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from decompose.scaffold import pyformat

WORDS = st.text(alphabet=string.ascii_lowercase + "_", min_size=1, max_size=24).filter(
    lambda w: not keyword.iskeyword(w)
)
TEXT = st.text(alphabet=string.ascii_letters + string.digits + " _-:/'\"\\", max_size=40)
SCALARS = st.none() | st.booleans() | st.integers(-(10**12), 10**12) | TEXT
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=6) | st.dictionaries(WORDS, inner, max_size=6),
    max_leaves=30,
)


def ruff_formatted(source: str) -> str:
    ruff = shutil.which("ruff") or shutil.which("ruff", path=str(Path(sys.executable).parent))
    command = [ruff] if ruff else [sys.executable, "-m", "ruff"]
    result = subprocess.run(
        [*command, "format", "--no-cache", "--line-length", "100", "-"],
        input=source,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return result.stdout


def module(value: object, call_args: list[object], name: str, key: str) -> str:
    """A module using the value and a call in each place the scaffold's templates do."""
    call = pyformat.call(f"module.{name}", call_args, {"id": key})
    return "\n".join(
        [
            pyformat.lines(pyformat.literal(value), 0, f"{name.upper()}: dict[str, Any] = "),
            "ITEMS = [",
            pyformat.lines(pyformat.literal(value), 4, "", ","),
            pyformat.lines(call, 4, "", ","),
            pyformat.lines(pyformat.tuple_of([key, name, key]), 4, "", ","),
            "]",
            "",
            "",
            pyformat.definition("async def ", name, [], f"models.{key.title()}Response"),
            pyformat.lines(pyformat.literal(value), 4, f"{key} = "),
            pyformat.lines(call, 4, "return await "),
            "",
            "",
            "class Model(BaseModel):",
            pyformat.annotated(key, f"{name.title()} | {key.title()} | None", " = None", 4),
            pyformat.lines(pyformat.subscript("Literal", [key * 3]), 4, "kind: "),
            "",
        ]
    )


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(value=VALUES, call_args=st.lists(VALUES, max_size=4), name=WORDS, key=WORDS)
def test_ruff_leaves_the_layout_as_it_is(
    value: object, call_args: list[object], name: str, key: str
) -> None:
    source = module(value, call_args, name, key)
    assert ruff_formatted(source) == source


@pytest.mark.parametrize(
    ("operands", "expected"),
    [
        (["root", '"contracts"', '"a.json"'], 'CONTRACT = root / "contracts" / "a.json"'),
        (
            ["Path(__file__).resolve().parents[2]", '"contracts"', '"' + "x" * 60 + '.json"'],
            'CONTRACT = (\n    Path(__file__).resolve().parents[2]\n    / "contracts"\n'
            '    / "' + "x" * 60 + '.json"\n)',
        ),
    ],
)
def test_an_operator_chain_goes_in_parentheses_then_one_operand_per_line(
    operands: list[str], expected: str
) -> None:
    text = pyformat.chain("CONTRACT = ", operands, "/")
    assert text == expected
    assert ruff_formatted(text + "\n") == text + "\n"
