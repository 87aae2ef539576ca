"""A warm run knows unchanged files by their status, without reading them."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from decompose.discovery import discover
from decompose.extraction import runner
from decompose.extraction.runner import ExtractionResult, extract_tree

SOURCES = {
    "shop/__init__.py": "",
    "shop/orders.py": "import shop.billing\n\n\ndef place():\n    return shop.billing.charge()\n",
    "shop/billing.py": "def charge():\n    return 1\n",
}


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    for name, text in SOURCES.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    return root


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The source files this process reads (workers read their own, in other processes)."""
    read: list[str] = []
    original = Path.read_bytes

    def counted(path: Path) -> bytes:
        if path.suffix == ".py":
            read.append(path.name)
        return original(path)

    monkeypatch.setattr(Path, "read_bytes", counted)
    return read


def run(root: Path, cache: Path) -> ExtractionResult:
    return extract_tree(discover(root), cache_dir=cache, jobs=1)


def imports(result: ExtractionResult, module: str) -> list[str]:
    facts = next(f for f in result.facts if f.module == module)
    return [i.target for i in facts.imports]


def test_a_warm_run_reads_no_unchanged_file(
    project: Path, tmp_path: Path, reads: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(runner, "RACY_NS", 0)  # the files were written just now
    cold = run(project, tmp_path / "cache")
    assert sorted(reads) == ["__init__.py", "billing.py", "orders.py"]
    reads.clear()
    warm = run(project, tmp_path / "cache")
    assert reads == []
    assert warm.cached == 3 and warm.facts == cold.facts


def test_an_edit_of_the_same_size_with_its_time_put_back_is_seen(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(runner, "RACY_NS", 0)
    orders = project / "shop/orders.py"
    assert imports(run(project, tmp_path / "cache"), "shop.orders") == ["shop.billing"]
    before = orders.stat()
    orders.write_text(SOURCES["shop/orders.py"].replace("billing", "bill_ng"), encoding="utf-8")
    os.utime(orders, ns=(before.st_atime_ns, before.st_mtime_ns))  # as `cp -p` or `touch -d` do
    after = orders.stat()
    assert (after.st_size, after.st_mtime_ns) == (before.st_size, before.st_mtime_ns)
    if after.st_ctime_ns == before.st_ctime_ns:
        pytest.skip("this file system's clock did not move between the two writes")
    assert imports(run(project, tmp_path / "cache"), "shop.orders") == ["shop.bill_ng"]


def test_a_file_changed_a_moment_ago_is_read_again(
    project: Path, tmp_path: Path, reads: list[str]
) -> None:
    # A write in the same tick of a coarse clock would leave its stamp as it was: a stamp
    # is trusted only once its file has been left alone for RACY_NS.
    run(project, tmp_path / "cache")
    reads.clear()
    warm = run(project, tmp_path / "cache")
    assert sorted(reads) == ["__init__.py", "billing.py", "orders.py"]
    assert warm.cached == 3


def test_the_same_files_elsewhere_are_read(
    project: Path, tmp_path: Path, reads: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(runner, "RACY_NS", 0)
    run(project, tmp_path / "cache")
    moved = project.rename(tmp_path / "moved")
    reads.clear()
    warm = run(moved, tmp_path / "cache")
    assert sorted(reads) == ["__init__.py", "billing.py", "orders.py"]
    assert warm.cached == 3  # same bytes, same facts: only the stamps are per place
