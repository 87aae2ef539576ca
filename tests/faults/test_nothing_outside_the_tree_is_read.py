"""Promise: nothing outside the analyzed tree is read, unless asked for.

A symbolic link inside the tree to a file outside it is listed as skipped, with its
reason, and the file it points to is never opened; named on the command line, it is read.
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

SECRET = '"""Private notes: the vault code."""\n\n\ndef unlock(code="hunter2"):\n    return code\n'


def _analyze(
    run_decompose: Callable[..., subprocess.CompletedProcess[str]], target: Path, out: Path
) -> tuple[dict, str]:  # type: ignore[type-arg]
    run = run_decompose("analyze", str(target), "-o", str(out))
    assert run.returncode == 0, run.stderr
    assert "Traceback" not in run.stderr, run.stderr
    reports = "".join(p.read_text(encoding="utf-8") for p in sorted(out.iterdir()))
    return json.loads((out / "decomposition.json").read_text(encoding="utf-8")), reports


@pytest.fixture
def project(tmp_path: Path) -> Path:
    outside = tmp_path / "home" / "vault.py"
    outside.parent.mkdir()
    outside.write_text(SECRET)
    root = tmp_path / "project"
    (root / "shop").mkdir(parents=True)
    (root / "shop" / "__init__.py").write_text("")
    (root / "shop" / "orders.py").write_text("from shop import inside\n")
    (root / "shop" / "inside.py").write_text("def helper():\n    return 1\n")
    (root / "shop" / "also_inside.py").symlink_to(root / "shop" / "inside.py")
    (root / "shop" / "vault.py").symlink_to(outside)
    return root


def test_a_link_to_a_file_outside_the_tree_is_not_read(
    project: Path, tmp_path: Path, run_decompose: Callable[..., subprocess.CompletedProcess[str]]
) -> None:
    report, text = _analyze(run_decompose, project, tmp_path / "out")
    assert "hunter2" not in text and "vault code" not in text
    skipped = {s["path"]: s["reason"] for s in report["skipped_files"]}
    assert "outside the analyzed tree" in skipped.get("shop/vault.py", ""), skipped
    modules = {m["name"] for m in report["modules"]}
    assert modules == {"shop", "shop.orders", "shop.inside", "shop.also_inside"}


def test_a_link_named_on_the_command_line_is_read(
    project: Path, tmp_path: Path, run_decompose: Callable[..., subprocess.CompletedProcess[str]]
) -> None:
    report, text = _analyze(run_decompose, project / "shop" / "vault.py", tmp_path / "out")
    assert [m["name"] for m in report["modules"]] == ["vault"]
    assert "hunter2" in text
