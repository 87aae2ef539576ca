"""Promise: a file name that is not UTF-8 never crashes the reports.

The file is skipped up front with its reason, listed under a printable name, and the
rest is analyzed and reported.
"""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    (root / "shop").mkdir(parents=True)
    (root / "shop" / "__init__.py").write_text("")
    (root / "shop" / "orders.py").write_text("from shop import billing\n")
    (root / "shop" / "billing.py").write_text("def pay():\n    return 1\n")
    try:  # Latin-1 bytes: what an old archive or a Windows share leaves behind
        Path(os.fsdecode(bytes(root / "shop") + b"/caf\xe9.py")).write_text("x = 1\n")
        Path(os.fsdecode(bytes(root) + b"/d\xe9j\xe0")).mkdir()
        Path(os.fsdecode(bytes(root) + b"/d\xe9j\xe0/legacy.py")).write_text("y = 2\n")
    except (OSError, UnicodeError) as error:
        pytest.skip(f"this file system refuses names that are not UTF-8: {error}")
    return root


@pytest.mark.parametrize("formats", ["json,md,html", "json"])
def test_a_name_that_is_not_utf8_is_skipped_with_its_reason(
    project: Path,
    tmp_path: Path,
    formats: str,
    run_decompose: Callable[..., subprocess.CompletedProcess[str]],
) -> None:
    out = tmp_path / "out"
    run = run_decompose("analyze", str(project), "-o", str(out), "--format", formats)
    assert run.returncode == 0, run.stderr
    assert "Traceback" not in run.stderr, run.stderr
    report = json.loads((out / "decomposition.json").read_text(encoding="utf-8"))
    assert {m["name"] for m in report["modules"]} == {"shop", "shop.orders", "shop.billing"}
    skipped = {s["path"]: s["reason"] for s in report["skipped_files"]}
    assert "not valid UTF-8" in skipped.get("shop/caf\\xe9.py", ""), skipped
    assert "not valid UTF-8" in skipped.get("d\\xe9j\\xe0", ""), skipped
