"""The module dependency graph as JSON (node-link), GraphML or Graphviz DOT text."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import networkx as nx

from decompose.destination import destination, write_output

GRAPH_FORMATS = ("json", "graphml", "dot")


def _plain_graph(graph: nx.DiGraph) -> nx.DiGraph:
    """A copy holding only scalar attributes, in sorted order (GraphML needs scalars)."""
    plain = nx.DiGraph()
    for node in sorted(graph.nodes):
        data = graph.nodes[node]
        plain.add_node(
            node,
            path=data["path"],
            loc=data["loc"],
            package=data["package"],
            is_package=data["is_package"],
            externals=" ".join(data["externals"]),
            third_party=" ".join(data["third_party"]),
        )
    for source, target in sorted(graph.edges):
        data = graph.edges[source, target]
        plain.add_edge(
            source,
            target,
            weight=data["weight"],
            kinds=" ".join(data["kinds"]),
            symbols=" ".join(data["symbols"]),
            lines=" ".join(str(n) for n in data["lines"]),
        )
    return plain


def graph_to_json(graph: nx.DiGraph) -> str:
    """Nodes and edges with their attributes; lists stay lists."""
    nodes = [
        {
            "id": node,
            "path": data["path"],
            "loc": data["loc"],
            "package": data["package"],
            "is_package": data["is_package"],
            "externals": list(data["externals"]),
            "third_party": list(data["third_party"]),
        }
        for node, data in sorted(graph.nodes(data=True))
    ]
    edges: list[dict[str, Any]] = [
        {
            "source": source,
            "target": target,
            "weight": data["weight"],
            "kinds": list(data["kinds"]),
            "symbols": data["symbols"],
            "lines": list(data["lines"]),
        }
        for source, target, data in sorted(graph.edges(data=True), key=lambda e: (e[0], e[1]))
    ]
    # One node or edge per line: a diff shows which ones changed, and compact items go
    # through json's C encoder (an indented dump of Home Assistant's graph takes 3x longer).
    return "\n".join(
        [
            '{"directed": true, "nodes": [',
            ",\n".join(map(json.dumps, nodes)),
            '], "edges": [',
            ",\n".join(map(json.dumps, edges)),
            "]}",
            "",
        ]
    )


def graph_to_graphml(graph: nx.DiGraph) -> str:
    """GraphML, readable by Gephi, yEd and networkx."""
    buffer = io.BytesIO()
    nx.write_graphml(_plain_graph(graph), buffer, encoding="utf-8")
    return buffer.getvalue().decode("utf-8")


def graph_to_dot(graph: nx.DiGraph) -> str:
    """Graphviz DOT, one cluster per top-level package."""
    lines = ["digraph modules {", "  rankdir=LR;", '  node [shape=box, fontname="Helvetica"];']
    for node, data in sorted(graph.nodes(data=True)):
        lines.append(f"  {_quote(node)} [tooltip={_quote(data['path'])}];")
    for source, target, data in sorted(graph.edges(data=True), key=lambda e: (e[0], e[1])):
        style = ', style="dashed"' if set(data["kinds"]) <= {"type_only", "lazy", "dynamic"} else ""
        lines.append(
            f"  {_quote(source)} -> {_quote(target)} "
            f'[weight={max(1, round(data["weight"]))}, label="{",".join(data["kinds"])}"{style}];'
        )
    lines.append("}")
    return "\n".join(lines) + "\n"


def render_graph(graph: nx.DiGraph, fmt: str) -> str:
    """The graph in one of GRAPH_FORMATS."""
    renderers = {"json": graph_to_json, "graphml": graph_to_graphml, "dot": graph_to_dot}
    return renderers[fmt](graph)


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def graph_target(path: Path) -> Path:
    """Where `write_graph` writes for `path` (see `destination.destination`).

    Raises:
        OutputError: `path` is (or points to) a directory, or its symlinks form a loop.
    """
    return destination(path)


def write_graph(graph: nx.DiGraph, fmt: str, path: Path) -> Path:
    """Write the graph in `fmt` to `path`, never replacing anything but a regular file.

    Raises:
        OutputError: `path` is a directory or cannot be written (full disk, read-only...).
    """
    graph_target(path)  # refuse a directory before rendering
    return write_output(path, render_graph(graph, fmt))
