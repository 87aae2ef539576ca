"""Files that cannot be analyzed become SkippedFile entries with a reason, never exceptions."""

from __future__ import annotations

import libcst as cst
import pytest

from decompose.extraction.module import extract
from decompose.model import ModuleFacts, SkippedFile


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"print 'hello'\n", "syntax error"),
        (b"x = '\xff\xfe'\n", "not valid utf-8"),
        (b"x = 1\x00\n", "NUL"),
        (b"# -*- coding: klingon -*-\nx = 1\n", "encoding"),
        (b"def f(:\n", "syntax error"),
    ],
)
def test_unparseable_input_is_skipped_with_a_reason(data: bytes, reason: str) -> None:
    result = extract(data, "m", "m.py", False)
    assert isinstance(result, SkippedFile)
    assert reason.lower() in result.reason.lower()


def test_bom_and_latin1_declaration_are_decoded() -> None:
    assert isinstance(extract(b"\xef\xbb\xbfimport os\n", "m", "m.py", False), ModuleFacts)
    latin = b"# -*- coding: latin-1 -*-\nname = '\xe9'\n"
    assert isinstance(extract(latin, "m", "m.py", False), ModuleFacts)


def test_modern_syntax_parses_whatever_the_interpreter() -> None:
    source = b"type Point[T] = tuple[T, T]\ndef f[T](x: T) -> T: return x\nx = f'{\"a\"!r}'\n"
    result = extract(source, "m", "m.py", False)
    assert isinstance(result, ModuleFacts)
    assert {d.name for d in result.definitions} >= {"f"}


def test_empty_file() -> None:
    result = extract(b"", "pkg", "pkg/__init__.py", True)
    assert isinstance(result, ModuleFacts) and result.loc == 0


@pytest.mark.parametrize("data", [b"import os\n", b"def f(:\n", b"x = '\xff'\n"])
def test_libcst_checks_hand_built_nodes_again_after_an_extraction(data: bytes) -> None:
    # extract() skips libcst's per-node checks while parsing; callers building trees
    # by hand afterwards, in the same process, must get them back.
    extract(data, "m", "m.py", False)
    with pytest.raises(cst.CSTValidationError):
        cst.Name("not an identifier")


def test_a_long_elif_chain_is_walked_without_recursion() -> None:
    source = "if a:\n    pass\n" + "elif a:\n    pass\n" * 2_500 + "else:\n    import os\n"
    result = extract(source.encode(), "m", "m.py", False)
    assert isinstance(result, ModuleFacts)
    assert [f.target for f in result.imports] == ["os"]


def test_only_the_type_checking_branch_of_a_chain_is_type_only() -> None:
    source = "if TYPE_CHECKING:\n    import a\nelif x:\n    import b\nelse:\n    import c\n"
    result = extract(source.encode(), "m", "m.py", False)
    assert isinstance(result, ModuleFacts)
    kinds = {f.target: f.kinds for f in result.imports}
    assert kinds["a"] == ("type_only",)
    assert "type_only" not in kinds["b"] and "type_only" not in kinds["c"]
