"""Promise: an output that cannot be written is exit 2 with one line, and nothing half-written.

A directory where a file should go, a read-only destination, a full disk or a full stdout
is the user's to fix, not a bug in decompose; what was there before stays as it was.
"""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).parents[2]
EXAMPLE = ROOT / "examples" / "monolith_app"
EXPERT = EXAMPLE / "expected_decomposition.json"
PROJECT = ROOT / "tests" / "fixtures" / "graph_project"
REPORT = ROOT / "tests" / "fixtures" / "scaffold" / "decomposition.json"


def test_graph_into_a_directory_is_refused_and_leaves_nothing_beside_it(  # type: ignore[no-untyped-def]
    decompose, user_error, tmp_path: Path
) -> None:
    (tmp_path / "graphs").mkdir()

    user_error(decompose("graph", PROJECT, "-o", "graphs"), "graphs", "directory")

    assert sorted(p.name for p in tmp_path.iterdir()) == ["graphs"]
    assert not list((tmp_path / "graphs").iterdir())


@pytest.mark.parametrize(
    "command",
    [
        ("graph", PROJECT, "-o", "{dir}/graph.json"),
        ("graph", PROJECT, "-o", "{dir}/deeper/graph.json"),
        ("scaffold", REPORT, "-o", "{dir}/services"),
        ("scaffold", REPORT, "-o", "{dir}"),
    ],
    ids=["graph", "graph-new-folder", "scaffold", "scaffold-into-it"],
)
def test_a_read_only_destination_is_refused_and_nothing_is_written(  # type: ignore[no-untyped-def]
    decompose, user_error, tree_of, read_only_dir: Path, command: tuple[str, ...]
) -> None:
    args = [str(arg).format(dir=read_only_dir) for arg in command]

    user_error(decompose(*args), str(read_only_dir))

    assert tree_of(read_only_dir) == {}


def test_a_full_disk_keeps_the_previous_graph_whole(  # type: ignore[no-untyped-def]
    decompose, user_error, tree_of, small_disk
) -> None:
    disk = small_disk(16 * 1024)  # the old graph fits, the new one (about 48 kB) does not
    (disk / "graph.json").write_text('{"directed": true, "nodes": [], "edges": []}\n')
    before = tree_of(disk)

    user_error(decompose("graph", EXAMPLE, "-o", disk / "graph.json"), "No space left")

    assert tree_of(disk) == before


def test_a_full_disk_leaves_no_half_written_scaffold(  # type: ignore[no-untyped-def]
    decompose, user_error, tree_of, small_disk
) -> None:
    disk = small_disk(64 * 1024)  # a third of the scaffold fits
    (disk / "services").mkdir()
    (disk / "services" / "NOTES.md").write_text("ours\n")
    before = tree_of(disk)

    user_error(decompose("scaffold", REPORT, "-o", disk / "services"), "No space left")

    assert tree_of(disk) == before


@pytest.mark.parametrize(
    "command",
    [
        ("graph", PROJECT),
        ("schema",),
        ("compare", EXPERT, EXPERT),
        ("scaffold", REPORT, "-o", "services", "--dry-run"),
    ],
    ids=["graph", "schema", "compare", "scaffold-dry-run"],
)
def test_a_full_stdout_is_exit_2_with_one_line(  # type: ignore[no-untyped-def]
    decompose, user_error, tmp_path: Path, command: tuple[str, ...]
) -> None:
    if not Path("/dev/full").exists():
        pytest.skip("no /dev/full on this platform")
    with open("/dev/full", "w") as full:
        result = decompose(*command, stdout=full)

    user_error(result, "standard output", "No space left")
    assert not (tmp_path / "services").exists()
