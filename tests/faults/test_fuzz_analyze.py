"""Promise: whatever the sources, analyze ends with its exit code, never a traceback.

Hypothesis writes projects of generated and mutated Python (deep nesting, long chains,
odd bytes, odd file names) and runs the real `decompose analyze` on each, in a
subprocess: it exits 0, 1 or 2 with no traceback, every file it could not analyze is
listed with a reason, and every healthy module is analyzed.
"""

from __future__ import annotations

import json
import keyword
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

# About 1.5 s per example (a fresh interpreter and a whole analysis): 30 s in all.
EXAMPLES = 20

_IDENTIFIERS = st.from_regex(r"[a-z][a-z0-9_]{0,8}", fullmatch=True).filter(
    lambda name: not keyword.iskeyword(name)
)


@dataclass(frozen=True)
class _File:
    name: bytes  # as the file system holds it
    data: bytes
    healthy: bool  # an importable name and a source that must be analyzed


@st.composite
def _healthy_source(draw: st.DrawFn, others: list[str]) -> bytes:
    lines = ['"""A module."""', "import os"]
    for other in draw(st.lists(st.sampled_from(others), max_size=3, unique=True)) if others else []:
        lines.append(f"from fuzz import {other}")
    for index in range(draw(st.integers(0, 4))):
        lines += [
            "",
            f"class Thing{index}:",
            f"    size: int = {index}",
            "",
            f"def run_{index}(value, *args, key={index!r}, **kwargs):",
            "    if value:",
            "        return os.path.join(str(value), 'x')",
            "    elif args:",
            "        return [a for a in args if a]",
            "    return {'key': key, **kwargs}",
        ]
    return ("\n".join(lines) + "\n").encode()


_OPS = ["+", "-", "*", " and ", " or ", "|", ".", " if x else "]


@st.composite
def _odd_source(draw: st.DrawFn) -> bytes:
    kind = draw(st.sampled_from(["nest", "chain", "elifs", "bytes", "lines"]))
    if kind == "nest":
        depth = draw(st.sampled_from([50, 199, 201, 1_500, 5_000]))
        opening, closing = draw(st.sampled_from([("(", ")"), ("[", "]"), ("{", "}"), ("f(", ")")]))
        return f"x = {opening * depth}1{closing * depth}\n".encode()
    if kind == "chain":
        op = draw(st.sampled_from(_OPS))
        terms = draw(st.sampled_from([10, 300, 1_100, 20_000]))
        return ("x = " + op.join(["a"] * terms) + "\n").encode()
    if kind == "elifs":
        count = draw(st.sampled_from([10, 1_200, 12_000]))
        return ("if a:\n    pass\n" + "elif a:\n    pass\n" * count).encode()
    if kind == "lines":
        ending = draw(st.sampled_from([b"\r", b"\r\n", b"\x0c\n", b"\\\n"]))
        return ending.join([b"import os", b"x = (1,", b"  2)", b"def f():", b"    return x", b""])
    return draw(
        st.sampled_from(
            [
                b"\xef\xbb\xbfimport os\n",
                b"x = 1\x00\n",
                b"x = '\xff\xfe'\n",
                b"# -*- coding: latin-1 -*-\nx = '\xe9'\n",
                b"# -*- coding: klingon -*-\nx = 1\n",
                b"\xff\xfe\x00i\x00m\x00p\x00o\x00r\x00t\x00",
                b"print 'python 2'\n",
                b"def f(:\n",
                b"x = '''unterminated\n",
                b"\tif x:\n        pass\n",
                b"x = '\x1b[31mred\x1b[0m'\n",
                b"",
            ]
        )
    )


@st.composite
def _mutated(draw: st.DrawFn, source: bytes) -> bytes:
    data = bytearray(source)
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(data)))
        action = draw(st.sampled_from(["insert", "delete", "repeat", "flip"]))
        if action == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=8))
        elif action == "delete":
            del data[at : at + draw(st.integers(1, 20))]
        elif action == "repeat":
            data[at:at] = bytes(data[at : at + draw(st.integers(1, 10))]) * draw(
                st.integers(2, 300)
            )
        elif data:
            index = min(at, len(data) - 1)
            data[index] ^= 1 << draw(st.integers(0, 7))
    return bytes(data)


_ODD_NAMES = [
    b"my-module.py",
    b"1st.py",
    b"caf\xc3\xa9.py",  # an identifier in UTF-8
    b"caf\xe9.py",  # Latin-1: not UTF-8
    b"with space.py",
    b"tab\there.py",
    b"new\nline.py",
    b"esc\x1b[31m.py",
    b"class.py",
    b"__init__.pyc.py",
    b"x" * 240 + b".py",
]


@st.composite
def _project(draw: st.DrawFn) -> list[_File]:
    names = draw(st.lists(_IDENTIFIERS, min_size=1, max_size=6, unique=True))
    files = [_File(b"__init__.py", b'"""The package."""\n', healthy=True)]
    for name in names:
        source = draw(_healthy_source([n for n in names if n != name]))
        files.append(_File(f"{name}.py".encode(), source, healthy=True))
    for index in range(draw(st.integers(1, 4))):
        source = draw(_odd_source())
        if draw(st.booleans()):
            source = draw(_mutated(draw(_healthy_source(names)) + source))
        name = draw(st.sampled_from([*_ODD_NAMES, f"odd{index}.py".encode()]))
        if name not in {f.name for f in files}:
            files.append(_File(name, source, healthy=False))
    return files


def _write(root: Path, files: list[_File]) -> list[_File]:
    package = os.fsencode(root / "fuzz")
    os.makedirs(package)
    written = []
    for file in files:
        try:
            with open(package + b"/" + file.name, "wb") as stream:
                stream.write(file.data)
        except (OSError, ValueError):  # a name this file system refuses
            continue
        written.append(file)
    return written


def _shown(name: bytes) -> str:
    """The name as the reports show it (what discovery's `printable` does)."""
    text = os.fsdecode(name)
    if text.isprintable():
        return text
    out = []
    for char in text:
        if char.isprintable():
            out.append(char)
        elif "\udc80" <= char <= "\udcff":
            out.append(f"\\x{ord(char) - 0xDC00:02x}")
        else:
            out.append(repr(char)[1:-1])
    return "".join(out)


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(files=_project())
def test_no_source_makes_analyze_fail(
    files: list[_File], tmp_path_factory: pytest.TempPathFactory
) -> None:
    root = tmp_path_factory.mktemp("fuzz")
    written = _write(root / "project", files)
    out = root / "out"
    run = subprocess.run(
        [sys.executable, "-m", "decompose", "analyze", str(root / "project"), "-o", str(out)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert run.returncode in (0, 1, 2), run.stderr
    assert "Traceback" not in run.stderr and "internal error" not in run.stderr, run.stderr
    assert run.returncode == 0, run.stderr  # the package's __init__ is always healthy
    report = json.loads((out / "decomposition.json").read_text(encoding="utf-8"))
    analyzed = {m["path"] for m in report["modules"]}
    skipped = {s["path"]: s["reason"] for s in report["skipped_files"]}
    for file in written:
        path = f"fuzz/{_shown(file.name)}"
        if file.healthy:
            assert path in analyzed, (path, skipped.get(path))
        else:
            assert path in analyzed or skipped.get(path), (path, sorted(skipped))
    assert not any("internal error" in reason for reason in skipped.values())
