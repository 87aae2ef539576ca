"""write_graph: regular files replaced atomically, everything else written through or refused."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import pytest

from decompose.errors import OutputError
from decompose.report.graph_export import graph_target, render_graph, write_graph


@pytest.fixture
def graph() -> nx.DiGraph:
    g = nx.DiGraph()
    for name in ("app", "app.models"):
        g.add_node(
            name,
            path=f"{name.replace('.', '/')}.py",
            loc=1,
            package="app",
            is_package=False,
            externals=(),
            third_party=(),
        )
    g.add_edge("app", "app.models", weight=1.0, kinds=["import"], symbols=[], lines=[1])
    return g


def test_a_directory_is_refused_with_its_name(tmp_path: Path) -> None:
    with pytest.raises(OutputError) as raised:
        graph_target(tmp_path)

    assert raised.value.message == f"cannot write {tmp_path}: it is a directory"
    assert raised.value.exit_code == 2


def test_a_symlink_loop_is_refused(tmp_path: Path) -> None:
    (tmp_path / "a").symlink_to(tmp_path / "b")
    (tmp_path / "b").symlink_to(tmp_path / "a")

    with pytest.raises(OutputError, match="loop"):
        graph_target(tmp_path / "a")


def test_a_new_file_gets_its_folders_and_no_temporary_stays(
    graph: nx.DiGraph, tmp_path: Path
) -> None:
    target = tmp_path / "deep" / "er" / "graph.dot"

    write_graph(graph, "dot", target)

    assert target.read_text(encoding="utf-8") == render_graph(graph, "dot")
    assert [p.name for p in target.parent.iterdir()] == ["graph.dot"]


def test_a_dangling_symlink_is_followed_to_its_target(graph: nx.DiGraph, tmp_path: Path) -> None:
    link = tmp_path / "latest.json"
    link.symlink_to(tmp_path / "graphs" / "today.json")

    write_graph(graph, "json", link)

    assert link.is_symlink()
    assert (tmp_path / "graphs" / "today.json").read_text(encoding="utf-8").startswith("{")
