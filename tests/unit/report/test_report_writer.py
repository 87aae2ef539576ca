from __future__ import annotations

from pathlib import Path

import pytest

from decompose.errors import ConfigError, ReportError
from decompose.model.decomposition import Decomposition
from decompose.report import (
    REPORT_FORMATS,
    load_decomposition,
    render_html,
    render_json,
    render_markdown,
    write_reports,
)


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


def test_replaces_an_existing_report(decomposition: Decomposition, tmp_path: Path) -> None:
    (tmp_path / "report.md").write_text("old", encoding="utf-8")
    write_reports(decomposition, tmp_path, ["md"])
    assert (tmp_path / "report.md").read_text(encoding="utf-8").startswith("# Decomposition")


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
    with pytest.raises(ReportError):
        write_reports(decomposition, tmp_path, ["md"])
    assert [p.name for p in tmp_path.iterdir()] == ["report.md"]
