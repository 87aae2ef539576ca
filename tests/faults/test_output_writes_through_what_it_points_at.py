"""Promise: `graph -o` writes through a device, a FIFO, `-` or a symlink; it never replaces them.

Only a regular file is replaced (atomically); anything else at the path is written into.
"""

from __future__ import annotations

import os
import select
import stat
import threading
import time
from pathlib import Path

import pytest

PROJECT = Path(__file__).parents[1] / "fixtures" / "graph_project"


def _expected(decompose, tmp_path: Path) -> str:  # type: ignore[no-untyped-def]
    result = decompose("graph", PROJECT)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith('{"directed": true')
    return str(result.stdout)


def _null_device(tmp_path: Path) -> Path:
    """A character device that swallows what is written (a node of our own when root)."""
    if os.geteuid() != 0:
        return Path(os.devnull)  # an ordinary user cannot replace /dev/null, only fail to
    node = tmp_path / "null"
    try:
        os.mknod(node, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    except OSError as error:
        pytest.skip(f"cannot create a device node: {error}")
    return node


def test_graph_streams_into_a_device_and_leaves_it_a_device(decompose, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    device = _null_device(tmp_path)

    result = decompose("graph", PROJECT, "-o", device)

    assert result.returncode == 0, result.stderr
    assert stat.S_ISCHR(os.stat(device).st_mode)
    assert not list(device.parent.glob(f".{device.name}*"))  # no temporary file beside it


def test_graph_streams_into_a_fifo_and_leaves_it_a_fifo(decompose, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    expected = _expected(decompose, tmp_path)
    fifo = tmp_path / "graph.pipe"
    os.mkfifo(fifo)
    # Open the reading end first (without blocking), so the writer never waits for one.
    reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
    received: list[bytes] = []
    finished = threading.Event()

    def drain() -> None:
        while True:
            ready = select.select([reader], [], [], 0.05)[0]
            chunk = os.read(reader, 65536) if ready else b""
            if chunk:
                received.append(chunk)
            elif finished.is_set():  # no writer left and the command has exited
                return
            else:
                time.sleep(0.01)

    thread = threading.Thread(target=drain, daemon=True)
    thread.start()
    try:
        result = decompose("graph", PROJECT, "-o", fifo)
    finally:
        finished.set()
        thread.join(10)
        os.close(reader)

    assert result.returncode == 0, result.stderr
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert b"".join(received).decode("utf-8") == expected


def test_graph_to_dash_goes_to_stdout(decompose, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    expected = _expected(decompose, tmp_path)

    result = decompose("graph", PROJECT, "-o", "-")

    assert result.returncode == 0, result.stderr
    assert result.stdout == expected
    assert not (tmp_path / "-").exists()


def test_graph_through_a_symlink_writes_its_target_and_keeps_the_link(  # type: ignore[no-untyped-def]
    decompose, tmp_path: Path
) -> None:
    expected = _expected(decompose, tmp_path)
    target = tmp_path / "graphs" / "graph.json"
    target.parent.mkdir()
    target.write_text("old\n")
    link = tmp_path / "latest.json"
    link.symlink_to(target)

    result = decompose("graph", PROJECT, "-o", link)

    assert result.returncode == 0, result.stderr
    assert link.is_symlink() and link.resolve() == target
    assert target.read_text(encoding="utf-8") == expected
    assert sorted(p.name for p in tmp_path.iterdir()) == ["graphs", "latest.json"]
    assert [p.name for p in target.parent.iterdir()] == ["graph.json"]
