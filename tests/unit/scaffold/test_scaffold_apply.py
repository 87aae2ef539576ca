"""Plan, then apply: create, identical, conflict; refusal, force, dry run, path safety."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from decompose.errors import OutputError, ScaffoldConflict, UnsafePathError
from decompose.model import Decomposition
from decompose.scaffold import PlannedFile, ScaffoldPlan, apply_plan, plan_scaffold, scaffold

FIXTURE = Path(__file__).parents[2] / "fixtures" / "scaffold" / "decomposition.json"


@pytest.fixture(scope="module")
def decomposition() -> Decomposition:
    return Decomposition.model_validate_json(FIXTURE.read_text(encoding="utf-8"))


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def test_plan_is_pure_and_plans_every_file_as_create(
    decomposition: Decomposition, tmp_path: Path
) -> None:
    plan = plan_scaffold(decomposition, tmp_path / "out")

    assert not (tmp_path / "out").exists()
    assert {f.action for f in plan.files} == {"create"}
    assert [f.relpath for f in plan.files] == sorted(f.relpath for f in plan.files)
    assert "orders/src/orders_service/app.py" in {f.relpath for f in plan.files}


def test_plan_classifies_with_a_reader(decomposition: Decomposition, tmp_path: Path) -> None:
    existing = {"README.md": b"mine", "docker-compose.yml": None}
    plan = plan_scaffold(decomposition, tmp_path)
    same = {f.relpath: f.data for f in plan.files}["orders/Dockerfile"]
    existing["orders/Dockerfile"] = same

    classified = plan_scaffold(decomposition, tmp_path, read=existing.get)

    actions = {f.relpath: f.action for f in classified.files}
    assert actions["README.md"] == "conflict"
    assert actions["orders/Dockerfile"] == "identical"
    assert actions["docker-compose.yml"] == "create"


def test_apply_creates_then_finds_everything_identical(
    decomposition: Decomposition, tmp_path: Path
) -> None:
    first = scaffold(decomposition, tmp_path)
    stamps = {p: p.stat().st_mtime_ns for p in tmp_path.rglob("*") if p.is_file()}

    second = scaffold(decomposition, tmp_path)

    assert first.created and not first.overwritten and not first.unchanged
    assert not second.created and not second.written
    assert set(second.unchanged) == set(first.created)
    assert {p: p.stat().st_mtime_ns for p in tmp_path.rglob("*") if p.is_file()} == stamps


def test_apply_refuses_to_overwrite_a_changed_file(
    decomposition: Decomposition, tmp_path: Path
) -> None:
    readme = tmp_path / "orders" / "README.md"
    readme.parent.mkdir(parents=True)
    readme.write_text("my notes\n")

    with pytest.raises(ScaffoldConflict) as raised:
        scaffold(decomposition, tmp_path)

    assert raised.value.paths == ["orders/README.md"]
    assert raised.value.exit_code == 2
    assert _tree(tmp_path) == {"orders/README.md": b"my notes\n"}  # nothing else written


def test_force_overwrites_and_never_deletes(decomposition: Decomposition, tmp_path: Path) -> None:
    (tmp_path / "orders").mkdir()
    (tmp_path / "orders" / "README.md").write_text("my notes\n")
    (tmp_path / "orders" / "NOTES.txt").write_text("keep me\n")

    result = scaffold(decomposition, tmp_path, force=True)

    assert result.overwritten == ("orders/README.md",)
    assert (tmp_path / "orders" / "README.md").read_text().startswith("# orders")
    assert (tmp_path / "orders" / "NOTES.txt").read_text() == "keep me\n"


def test_dry_run_writes_nothing(decomposition: Decomposition, tmp_path: Path) -> None:
    (tmp_path / "README.md").write_text("mine\n")

    result = scaffold(decomposition, tmp_path / "new", dry_run=True)
    forced = scaffold(decomposition, tmp_path, dry_run=True, force=True)

    assert result.dry_run and result.created
    assert not (tmp_path / "new").exists()
    assert forced.overwritten == ("README.md",)
    assert _tree(tmp_path) == {"README.md": b"mine\n"}


def test_dry_run_reports_conflicts_without_refusing(
    decomposition: Decomposition, tmp_path: Path
) -> None:
    (tmp_path / "README.md").write_text("mine\n")

    result = scaffold(decomposition, tmp_path, dry_run=True)

    assert result.conflicts == ("README.md",) and result.overwritten == ()
    assert (tmp_path / "README.md").read_text() == "mine\n"
    with pytest.raises(ScaffoldConflict):
        scaffold(decomposition, tmp_path)


def test_a_symlink_leading_out_of_the_root_is_refused(
    decomposition: Decomposition, tmp_path: Path
) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    root = tmp_path / "out"
    root.mkdir()
    os.symlink(outside, root / "orders")

    with pytest.raises(UnsafePathError):
        scaffold(decomposition, root)

    assert not any(outside.iterdir())


@pytest.mark.parametrize("relpath", ["../escape.txt", "/tmp/abs.txt", "a/../../b.txt", "a\x00.txt"])
def test_apply_refuses_paths_outside_the_root(tmp_path: Path, relpath: str) -> None:
    plan = ScaffoldPlan(tmp_path / "out", (PlannedFile(relpath, "x"),))

    with pytest.raises(UnsafePathError):
        apply_plan(plan)

    assert not (tmp_path / "escape.txt").exists()


def test_an_existing_directory_is_not_overwritten(tmp_path: Path) -> None:
    (tmp_path / "README.md").mkdir()
    plan = ScaffoldPlan(tmp_path, (PlannedFile("README.md", "x"),))

    with pytest.raises(UnsafePathError):
        apply_plan(plan, force=True)


def test_a_file_that_cannot_be_written_undoes_the_whole_run(tmp_path: Path) -> None:
    (tmp_path / "blocker").write_text("a file where a folder should be\n")
    plan = ScaffoldPlan(
        tmp_path,
        (
            PlannedFile("a/new.txt", "x"),
            PlannedFile("blocker/b.txt", "y"),
            PlannedFile("c.txt", "z"),
        ),
    )

    with pytest.raises(OutputError) as raised:
        apply_plan(plan)

    assert raised.value.message == f"cannot create {tmp_path.resolve()}/blocker: File exists"
    assert raised.value.exit_code == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == ["blocker"]  # no a/, no temporary


def test_two_scaffolds_are_byte_identical(decomposition: Decomposition, tmp_path: Path) -> None:
    scaffold(decomposition, tmp_path / "a")
    scaffold(decomposition, tmp_path / "b")

    assert _tree(tmp_path / "a") == _tree(tmp_path / "b")


def test_hostile_service_name_is_sanitized(decomposition: Decomposition, tmp_path: Path) -> None:
    plan = plan_scaffold(decomposition, tmp_path)
    top = {f.relpath.split("/", 1)[0] for f in plan.files}

    assert top == {
        ".dockerignore",
        "Makefile",
        "README.md",
        "docker-compose.yml",
        "requirements-dev.txt",
        "contracts",
        "deploy",
        "gateway",
        "observability",
        "cafe-notifications",
        "catalog",
        "customers",
        "orders",
    }
