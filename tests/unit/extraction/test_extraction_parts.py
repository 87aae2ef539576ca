"""A long module is parsed a part at a time: the facts are the same as from one parse."""

from __future__ import annotations

from pathlib import Path

import pytest

from decompose.extraction import module
from decompose.model import ModuleFacts, SkippedFile

EXAMPLES = Path(__file__).parents[3] / "examples" / "monolith_app"

# Every place a cut between lines could go wrong: code in the first column inside
# strings and brackets, decorators, else/except/finally, continuation lines.
TRAPS = '''\
"""A module docstring
import not_an_import
def not_a_function():
"""
from __future__ import annotations

import os
from typing import Any

TEMPLATE = """
from fake import Thing
class NotAClass:
    pass
"""


@decorate(
    "arg",
)
class Order:
    """Order.

def inside_docstring():
    """

    def total(self) -> int:
        return 1


def compute(
x: int,
) -> dict[str, Any]:
    return {
"key": os.path.join("a", "b"),
    }


if os.environ.get("X"):
    from orders import models
else:
    models = None

try:
    import requests
except ImportError:
    requests = None
finally:
    pass

VALUE = 1 + \\
2

for item in range(3):
    pass
else:
    import json
'''


@pytest.fixture
def small_parts(monkeypatch: pytest.MonkeyPatch) -> None:
    """Parts of a few hundred characters, so that every top-level statement is a cut."""
    monkeypatch.setattr(module, "PARTS_FROM", 0)
    monkeypatch.setattr(module, "PART_CHARS", 1)


def _whole(data: bytes, name: str) -> ModuleFacts | SkippedFile:
    saved = module.PARTS_FROM
    module.PARTS_FROM = 10**12
    try:
        return module.extract(data, name, f"{name}.py", False)
    finally:
        module.PARTS_FROM = saved


@pytest.mark.usefixtures("small_parts")
def test_every_trap_gives_the_facts_of_one_parse() -> None:
    data = (TRAPS * 3).encode()
    parted = module.extract(data, "traps", "traps.py", False)
    assert isinstance(parted, ModuleFacts)
    assert parted == _whole(data, "traps")
    assert {f.target for f in parted.imports} >= {"os", "orders", "requests", "json"}
    assert "not_an_import" not in {f.target for f in parted.imports}
    assert {d.name for d in parted.definitions} >= {"Order", "compute", "TEMPLATE"}


@pytest.mark.usefixtures("small_parts")
@pytest.mark.parametrize(
    "path", sorted(EXAMPLES.rglob("*.py")), ids=lambda p: str(p.relative_to(EXAMPLES))
)
def test_the_sample_apps_modules_give_the_facts_of_one_parse(path: Path) -> None:
    data = path.read_bytes()
    assert module.extract(data, "m", "m.py", False) == _whole(data, "m")


@pytest.mark.usefixtures("small_parts")
def test_a_syntax_error_is_reported_at_its_line_in_the_whole_module() -> None:
    source = TRAPS + "\n\ndef broken(:\n    pass\n" + TRAPS
    broken = source.splitlines().index("def broken(:") + 1
    skipped = module.extract(source.encode(), "bad", "bad.py", False)
    assert isinstance(skipped, SkippedFile)
    assert skipped == _whole(source.encode(), "bad")  # "... line 61: Syntax Error @ 61:5."
    line = int(skipped.reason.split()[4].rstrip(":"))
    assert broken <= line <= broken + 2
    assert f"Syntax Error @ {line}:" in skipped.reason
