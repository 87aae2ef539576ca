"""The command line end to end: exit codes and one-line errors (CliRunner)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from decompose.cli import main

FIXTURE = Path(__file__).parents[1] / "fixtures" / "graph_project"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["graph", "does/not/exist"], 2, "no such file or directory"),
        (
            ["graph", str(FIXTURE / "shop" / "orders" / "constants.py"), "--format", "nope"],
            2,
            "Invalid value",
        ),
        (["graph", str(FIXTURE / "shop" / "broken.py")], 2, "no Python modules"),
        (["graph", str(FIXTURE), "--jobs", "0"], 2, "Invalid value"),
        (["nosuchcommand"], 2, "No such command"),
    ],
)
def test_bad_input_exits_2_with_one_clear_line(args: list[str], code: int, message: str) -> None:
    exit_code, _, stderr = run(*args)
    assert exit_code == code
    assert message in stderr
    assert "Traceback" not in stderr


def test_graph_to_stdout_and_file(tmp_path: Path) -> None:
    exit_code, stdout, stderr = run("graph", str(FIXTURE), "--no-cache")
    assert exit_code == 0, stderr
    data = json.loads(stdout)
    assert {n["id"] for n in data["nodes"]} >= {"shop.orders.service", "shop.api.orders"}
    assert "1 skipped" in stderr and "shop/broken.py" in stderr
    out = tmp_path / "deep" / "graph.graphml"
    assert run("graph", str(FIXTURE), "-o", str(out), "--format", "graphml")[0] == 0
    assert out.read_text().startswith("<?xml")


def test_bad_pyproject_is_a_config_error(build_file_tree) -> None:  # type: ignore[no-untyped-def]
    root = build_file_tree(
        {"app.py": "", "pyproject.toml": "[tool.decompose]\nseed = 'x'\nbogus = 1\n"}
    )
    exit_code, _, stderr = run("graph", str(root))
    assert exit_code == 2
    assert "seed" in stderr and "bogus" in stderr


def test_version_and_help() -> None:
    assert run("--version")[0] == 0
    exit_code, stdout, _ = run("--help")
    assert exit_code == 0 and "graph" in stdout


def test_messages_with_brackets_are_printed_as_they_are(build_file_tree) -> None:  # type: ignore[no-untyped-def]
    root = build_file_tree({"[odd] dir/app.py": "", "pyproject.toml": "[tool.decompose\n"})
    exit_code, _, stderr = run("graph", str(root))
    assert exit_code == 2
    assert "[tool.decompose]" in stderr  # rich markup would swallow it
