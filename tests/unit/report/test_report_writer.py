from __future__ import annotations

import os
import signal
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from decompose.errors import ConfigError, OutputConflict, ReportError
from decompose.model.decomposition import Decomposition
from decompose.report import (
    REPORT_FORMATS,
    beside,
    load_decomposition,
    render_html,
    render_json,
    render_markdown,
    write_reports,
)
from decompose.report.writer import REPORT_FILES, check_report_files
from decompose.timing import Timings


def test_writes_every_format(decomposition: Decomposition, tmp_path: Path) -> None:
    out = tmp_path / "out" / "nested"
    written = write_reports(decomposition, out, REPORT_FORMATS)
    assert written == [out / "decomposition.json", out / "report.md", out / "report.html"]
    assert (out / "decomposition.json").read_bytes() == render_json(decomposition).encode()
    assert (out / "report.md").read_bytes() == render_markdown(decomposition).encode()
    assert (out / "report.html").read_bytes() == render_html(decomposition).encode()
    assert sorted(p.name for p in out.iterdir()) == [
        "decomposition.json",
        "report.html",
        "report.md",
    ]
    assert load_decomposition((out / "decomposition.json").read_text(encoding="utf-8")) == (
        decomposition
    )


def test_writes_only_the_chosen_formats_once(decomposition: Decomposition, tmp_path: Path) -> None:
    written = write_reports(decomposition, tmp_path, ["html", " MD ", "html"])
    assert written == [tmp_path / "report.html", tmp_path / "report.md"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.html", "report.md"]


def test_replaces_an_earlier_report(decomposition: Decomposition, tmp_path: Path) -> None:
    write_reports(decomposition, tmp_path, REPORT_FORMATS)
    earlier = decomposition.model_copy(update={"root": "somewhere/else"})
    (tmp_path / "report.md").write_text(render_markdown(earlier), encoding="utf-8")
    (tmp_path / "report.html").write_text(render_html(earlier), encoding="utf-8")
    (tmp_path / "decomposition.json").write_text(render_json(earlier), encoding="utf-8")
    write_reports(decomposition, tmp_path, REPORT_FORMATS)
    assert (tmp_path / "report.md").read_text(encoding="utf-8") == render_markdown(decomposition)
    assert (tmp_path / "report.html").read_text(encoding="utf-8") == render_html(decomposition)
    assert (tmp_path / "decomposition.json").read_text(encoding="utf-8") == render_json(
        decomposition
    )


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("report.md", "# Our quarterly report\n\nNotes that took a week.\n"),
        ("report.html", "<html><head><title>Team page</title></head></html>\n"),
        ("decomposition.json", '{"schema_version": "1.0", "tool": {"name": "other"}}\n'),
        ("report.md", ""),
    ],
)
def test_refuses_to_replace_a_file_it_did_not_write(
    decomposition: Decomposition, tmp_path: Path, name: str, text: str
) -> None:
    (tmp_path / name).write_text(text, encoding="utf-8")
    with pytest.raises(OutputConflict) as caught:
        write_reports(decomposition, tmp_path, REPORT_FORMATS)
    assert caught.value.message == f"{tmp_path}: {name} exists and was not written by decompose"
    assert caught.value.exit_code == 2
    assert [p.name for p in tmp_path.iterdir()] == [name]  # nothing written, nothing lost
    assert (tmp_path / name).read_text(encoding="utf-8") == text


def test_force_replaces_files_it_did_not_write(
    decomposition: Decomposition, tmp_path: Path
) -> None:
    (tmp_path / "report.md").write_text("# Our notes\n", encoding="utf-8")
    (tmp_path / "report.html").write_text("<p>ours</p>\n", encoding="utf-8")
    with pytest.raises(OutputConflict, match=r"report\.md, report\.html exist and were not"):
        check_report_files(tmp_path, ["md", "html"])
    write_reports(decomposition, tmp_path, ["md"], force=True)
    assert (tmp_path / "report.md").read_text(encoding="utf-8") == render_markdown(decomposition)


def test_unknown_format_writes_nothing(decomposition: Decomposition, tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as caught:
        write_reports(decomposition, tmp_path / "out", ["json", "pdf", "xml"])
    assert caught.value.message == (
        "unknown report format(s) 'pdf', 'xml'; choose from json, md, html"
    )
    assert not (tmp_path / "out").exists()


def test_unwritable_destination_is_a_report_error(
    decomposition: Decomposition, tmp_path: Path
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("", encoding="utf-8")
    with pytest.raises(ReportError, match=r"^cannot write .*file") as caught:
        write_reports(decomposition, blocker / "out", ["json"])
    assert caught.value.exit_code == 2


def test_failed_write_leaves_no_temporary_file(
    decomposition: Decomposition, tmp_path: Path
) -> None:
    (tmp_path / "report.md").mkdir()  # os.replace cannot put a file over a directory
    with pytest.raises(OutputConflict):
        write_reports(decomposition, tmp_path, ["md"])
    with pytest.raises(ReportError):
        write_reports(decomposition, tmp_path, ["md"], force=True)
    assert [p.name for p in tmp_path.iterdir()] == ["report.md"]


def test_a_report_that_fails_to_render_leaves_the_earlier_one(
    decomposition: Decomposition, tmp_path: Path
) -> None:
    write_reports(decomposition, tmp_path, ["json"])
    earlier = (tmp_path / "decomposition.json").read_bytes()
    broken = decomposition.model_copy(update={"metrics": {"mq": float("nan")}})
    with pytest.raises(ValueError):
        write_reports(broken, tmp_path, ["json"])  # fails half-way through writing
    assert [p.name for p in tmp_path.iterdir()] == ["decomposition.json"]
    assert (tmp_path / "decomposition.json").read_bytes() == earlier


# The page is written by a forked copy of the process while this one writes the others.
forking = pytest.mark.skipif(not beside.can_fork(), reason="forks only on Linux, one thread")


def _broken_page(error: BaseException) -> Callable[[Decomposition], Iterator[bytes]]:
    def render(decomposition: Decomposition) -> Iterator[bytes]:
        yield b"<!doctype html>"  # half a page is on disk when it fails
        raise error

    return render


@forking
def test_the_page_written_beside_is_the_same_page(
    decomposition: Decomposition, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    timings = Timings()
    write_reports(decomposition, tmp_path / "forked", REPORT_FORMATS, timings=timings)
    monkeypatch.setattr(beside, "can_fork", lambda: False)
    write_reports(decomposition, tmp_path / "here", REPORT_FORMATS)
    for name in ("decomposition.json", "report.md", "report.html"):
        assert (tmp_path / "forked" / name).read_bytes() == (tmp_path / "here" / name).read_bytes()
    assert timings.beside["report html"] > 0  # it ran in the copy, beside the others
    assert sorted(p.name for p in (tmp_path / "forked").iterdir()) == [
        "decomposition.json",
        "report.html",
        "report.md",
    ]


@forking
@pytest.mark.parametrize(
    ("error", "raised", "message"),
    [
        (PermissionError(13, "Permission denied", "report.html"), ReportError, "Permission denied"),
        (KeyError("a bug"), RuntimeError, "KeyError: 'a bug'"),
    ],
)
def test_a_page_that_fails_beside_leaves_every_earlier_report(
    decomposition: Decomposition,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    error: BaseException,
    raised: type[Exception],
    message: str,
) -> None:
    write_reports(decomposition, tmp_path, REPORT_FORMATS)
    earlier = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    changed = decomposition.model_copy(update={"root": "another"})
    monkeypatch.setitem(REPORT_FILES, "html", ("report.html", _broken_page(error)))
    with pytest.raises(raised, match=message):
        write_reports(changed, tmp_path, REPORT_FORMATS)
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == earlier


@forking
def test_a_copy_that_dies_is_an_error_not_a_hang(
    decomposition: Decomposition, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def die(decomposition: Decomposition) -> Iterator[bytes]:
        os.kill(os.getpid(), signal.SIGKILL)
        yield b""

    monkeypatch.setitem(REPORT_FILES, "html", ("report.html", die))
    with pytest.raises(RuntimeError, match="stopped by signal 9"):
        write_reports(decomposition, tmp_path, REPORT_FORMATS)
    assert list(tmp_path.iterdir()) == []


@forking
def test_a_failure_here_stops_the_copy_and_removes_its_file(
    decomposition: Decomposition, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def slow(decomposition: Decomposition) -> Iterator[bytes]:
        yield b"<!doctype html>"
        time.sleep(60)

    def broken_md(decomposition: Decomposition) -> Iterator[bytes]:
        raise ValueError("md failed")

    monkeypatch.setitem(REPORT_FILES, "html", ("report.html", slow))
    monkeypatch.setitem(REPORT_FILES, "md", ("report.md", broken_md))
    start = time.monotonic()
    with pytest.raises(ValueError, match="md failed"):
        write_reports(decomposition, tmp_path, REPORT_FORMATS)
    assert time.monotonic() - start < 30  # the copy was stopped, not waited for
    assert list(tmp_path.iterdir()) == []
