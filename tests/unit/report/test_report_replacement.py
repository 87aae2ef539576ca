from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from decompose.report.replacement import JOURNAL, replacing_together

NAMES = {"a.txt", "b.txt"}


def _anything(path: Path) -> bool:
    return True


def _listing(directory: Path) -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(directory.iterdir())}


def _killed_after_journal(directory: Path, renamed: int) -> None:
    """What a run killed after its journal and `renamed` of its two renames leaves."""
    staged = {".a.txt.4242.tmp": "a.txt", ".b.txt.4242.tmp": "b.txt"}
    for index, (temporary, name) in enumerate(staged.items()):
        (directory / (name if index < renamed else temporary)).write_text("new", encoding="utf-8")
    (directory / JOURNAL).write_text(json.dumps({"replace": [list(p) for p in staged.items()]}))


def _interrupted_after(piece: bytes) -> Iterator[bytes]:
    yield piece
    raise KeyboardInterrupt


def test_files_are_replaced_together(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("old", encoding="utf-8")
    with replacing_together(tmp_path, NAMES, _anything) as staging:
        staging.write("a.txt", [b"new ", b"a"])
        staging.write("b.txt", [b"new b"])
        assert _listing(tmp_path)["a.txt"] == "old"  # nothing moves before the end
    assert _listing(tmp_path) == {"a.txt": "new a", "b.txt": "new b"}


def test_an_error_in_the_block_replaces_nothing_and_leaves_nothing(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("old", encoding="utf-8")
    with pytest.raises(KeyboardInterrupt), replacing_together(tmp_path, NAMES, _anything) as s:
        s.write("b.txt", [b"new b"])
        s.write("a.txt", _interrupted_after(b"half"))
    assert _listing(tmp_path) == {"a.txt": "old"}


@pytest.mark.parametrize("renamed", [0, 1, 2])
def test_the_next_writer_finishes_a_killed_runs_renames(tmp_path: Path, renamed: int) -> None:
    (tmp_path / "a.txt").write_text("old", encoding="utf-8")
    (tmp_path / "b.txt").write_text("old", encoding="utf-8")
    _killed_after_journal(tmp_path, renamed)
    with replacing_together(tmp_path, NAMES, _anything) as staging:
        assert _listing(tmp_path) == {"a.txt": "new", "b.txt": "new"}
        staging.write("a.txt", [b"newer"])
    assert _listing(tmp_path) == {"a.txt": "newer", "b.txt": "new"}


def test_a_file_written_since_the_kill_is_kept(tmp_path: Path) -> None:
    _killed_after_journal(tmp_path, 1)
    (tmp_path / "b.txt").write_text("a person's", encoding="utf-8")
    with replacing_together(tmp_path, NAMES, lambda path: path.name != "b.txt"):
        pass
    assert _listing(tmp_path) == {"a.txt": "new", "b.txt": "a person's"}


def test_a_damaged_journal_undoes_its_run(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("old", encoding="utf-8")
    (tmp_path / ".a.txt.4242.tmp").write_text("new", encoding="utf-8")
    (tmp_path / JOURNAL).write_text('{"replace": [[".a.txt.4242.tmp", "a.t')
    with replacing_together(tmp_path, NAMES, _anything):
        pass
    assert _listing(tmp_path) == {"a.txt": "old"}


def test_only_its_own_temporary_files_are_removed(tmp_path: Path) -> None:
    mine = [".a.txt.1.tmp", ".b.txt.99999.tmp", f"{JOURNAL}.7.tmp"]
    others = [".c.txt.1.tmp", ".a.txt.tmp", "a.txt.1.tmp", ".a.txt.x.tmp"]
    for name in mine + others:
        (tmp_path / name).write_text("", encoding="utf-8")
    journal = {"replace": [["../outside.1.tmp", "a.txt"], [".c.txt.1.tmp", "c.txt"]]}
    (tmp_path / JOURNAL).write_text(json.dumps(journal))
    with replacing_together(tmp_path, NAMES, _anything):
        pass
    assert sorted(_listing(tmp_path)) == sorted(others)
