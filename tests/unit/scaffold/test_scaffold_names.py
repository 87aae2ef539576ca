"""Names from analyzed code: whatever the input, the output is valid where it lands."""

from __future__ import annotations

import ast
import json
import keyword
import re
from pathlib import Path

import pytest
import yaml

try:
    import tomllib
except ImportError:  # Python 3.10
    tomllib = None  # type: ignore[assignment]
from hypothesis import given, settings
from hypothesis import strategies as st

from decompose.errors import UnsafePathError
from decompose.scaffold import names

DNS_1035 = re.compile(r"^[a-z]([-a-z0-9]*[a-z0-9])?$")
ENV = re.compile(r"^[A-Z_][A-Z0-9_]*$")
HOSTILE = [
    "../evil",
    "/etc/passwd",
    "café-service",
    "a\x00b",
    "..",
    "",
    "  ",
    "日本語",
    "9lives",
    "class",
    "x" * 300,
    "Orders_Service",
    "a\\b",
    "${HOME}",
    "\u2028",
    "--",
]
texts = st.text(max_size=80) | st.sampled_from(HOSTILE)


@given(texts)
def test_identifier_is_a_python_identifier(text: str) -> None:
    name = names.identifier(text)

    assert name.isidentifier() and name.isascii()
    assert not keyword.iskeyword(name)


@given(texts)
def test_dns_label_is_a_kubernetes_service_name(text: str) -> None:
    label = names.dns_label(text)

    assert DNS_1035.match(label) and len(label) <= 63


@given(texts)
def test_env_name_is_an_environment_variable_name(text: str) -> None:
    assert ENV.match(names.env_name(text))


@given(texts)
def test_pascal_is_a_class_name(text: str) -> None:
    name = names.pascal(text)

    assert name.isidentifier() and name.isascii() and name[0].isupper()


@given(texts)
def test_safe_relpath_never_escapes_the_root(text: str) -> None:
    root = Path("/srv/out")
    try:
        path = names.safe_relpath(text)
    except UnsafePathError:
        return

    assert not path.is_absolute() and ".." not in path.parts
    assert (root / path).resolve().is_relative_to(root)


@given(st.sampled_from(HOSTILE) | st.text(max_size=40))
def test_service_names_stay_inside_the_root(text: str) -> None:
    label = names.dns_label(text)

    assert names.safe_relpath(f"{label}/src/{names.identifier(label)}_service/app.py")


@pytest.mark.parametrize(
    "relpath", ["../x", "/abs/x", "a/../../b", "a\x00b", "a\\b", "", "a/./b", "a//b"]
)
def test_safe_relpath_refuses_traversal(relpath: str) -> None:
    with pytest.raises(UnsafePathError):
        names.safe_relpath(relpath)


@given(st.text(max_size=60))
def test_py_doc_reads_back_as_the_one_line_text(text: str) -> None:
    assert ast.literal_eval('"""' + names.py_doc(text) + '"""') == names.one_line(text)


@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(max_size=20),
        lambda children: (
            st.lists(children, max_size=3)
            | st.dictionaries(st.text(max_size=5), children, max_size=3)
        ),
        max_leaves=8,
    )
)
def test_py_literal_reads_back_as_the_value(value: object) -> None:
    source = names.py_literal(value)

    assert ast.literal_eval(source) == value
    source.encode("utf-8")  # writable: lone surrogates are escaped


@given(st.text(max_size=60))
def test_quoted_is_the_same_string_in_yaml_and_toml(text: str) -> None:
    quoted = names.quoted(text)

    assert yaml.safe_load(f"key: {quoted}") == {"key": text}
    if tomllib is not None:
        assert tomllib.loads(f"key = {quoted}") == {"key": text}
    if all(ord(c) <= 0xFFFF for c in text):
        assert json.loads(quoted) == text


@given(st.text(max_size=60))
def test_markdown_escapes_are_single_line(text: str) -> None:
    for rendered in (names.md(text), names.md_code(text), names.md_text(text)):
        assert "\n" not in rendered and "\r" not in rendered


def test_markdown_neutralises_markup() -> None:
    assert names.md("<script>*x*</script> [a](b) | c") == (
        r"\<script\>\*x\*\</script\> \[a\](b) \| c"
    )
    assert names.md_code("a`b") == "``a`b``"
    assert names.md_text("see `x|y` and *z*") == r"see `x\|y` and \*z\*"


def test_unique_names_disambiguate_deterministically() -> None:
    taken = names.UniqueNames(("models",))

    assert [taken.claim(n) for n in ("orders", "Orders", "models", "orders")] == [
        "orders",
        "Orders_2",
        "models_2",
        "orders_3",
    ]
    assert taken.claim("Product", suffix="Model") == "Product"
    assert taken.claim("Product", suffix="Model") == "ProductModel"


@settings(max_examples=30)
@given(st.lists(st.sampled_from(["a", "b", "../a", "A", "a!"]), min_size=1, max_size=4))
def test_from_import_is_one_line_or_wrapped(listed: list[str]) -> None:
    short = names.from_import("pkg", listed)
    long = names.from_import("p" * 120, listed)

    assert "\n" not in short
    assert long.startswith(f"from {'p' * 120} import (\n") and long.endswith(",\n)")
