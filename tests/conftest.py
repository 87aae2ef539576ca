"""Shared fixtures: file trees built in tmp_path and golden files refreshed with --update-golden."""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Mapping
from pathlib import Path

import pytest

GOLDEN = Path(__file__).parent / "golden"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        default=False,
        help="Rewrite tests/golden/ from the current output instead of comparing.",
    )


class Golden:
    """Compares text with tests/golden/<relpath>, or rewrites it with --update-golden."""

    def __init__(self, update: bool) -> None:
        self.update = update

    def check(self, relpath: str, text: str) -> None:
        path = GOLDEN / relpath
        if self.update:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8", newline="")
            return
        assert path.exists(), f"missing golden file {relpath}: run pytest --update-golden"
        expected = path.read_text(encoding="utf-8")
        assert text == expected, f"{relpath} differs from its golden file (pytest --update-golden)"


@pytest.fixture
def golden(request: pytest.FixtureRequest) -> Golden:
    return Golden(bool(request.config.getoption("--update-golden")))


def write_tree(root: Path, files: Mapping[str, str | bytes]) -> Path:
    """Create files under root; str contents are dedented, bytes written as they are."""
    for relpath, content in files.items():
        path = root / relpath
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(textwrap.dedent(content).lstrip("\n"), encoding="utf-8")
    return root


@pytest.fixture
def build_file_tree(tmp_path: Path) -> Callable[[Mapping[str, str | bytes]], Path]:
    """Build a source tree in tmp_path from {relpath: content} and return its root."""

    def build(files: Mapping[str, str | bytes]) -> Path:
        return write_tree(tmp_path / "project", files)

    return build


@pytest.fixture(autouse=True)
def _isolated_cache(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No test reads or writes the user's real cache."""
    monkeypatch.setenv("DECOMPOSE_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
