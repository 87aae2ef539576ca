"""Promise: a setting decompose cannot follow is either refused or named as ignored.

Pins and shared names that match no module are ignored with a warning; pins that
contradict each other, or `services` with `resolution`, are refused (exit 2); `formats`
in pyproject.toml is followed.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

# Modules: shop, shop.api(.orders), shop.catalog(.models, .service), shop.kernel(.db,
# .money), shop.orders(.constants, .models, .service).
PROJECT = Path(__file__).parents[1] / "fixtures" / "graph_project"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    copy = tmp_path / "project"
    shutil.copytree(PROJECT, copy)
    return copy


def _warnings(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("warning: ")]


@pytest.mark.parametrize("where", ["command line", "pyproject.toml"])
def test_pins_and_shared_names_matching_no_module_are_named_as_ignored(  # type: ignore[no-untyped-def]
    decompose, project: Path, where: str
) -> None:
    if where == "command line":
        args = ["--pin", "shop.gone=web", "--pin", "shop.api=web", "--shared", "shop.utils"]
    else:
        args = []
        (project / "pyproject.toml").write_text(
            '[tool.decompose]\npins = { "shop.gone" = "web", "shop.api" = "web" }\n'
            'shared = ["shop.utils"]\n'
        )

    result = decompose("analyze", project, "-o", "out", *args)

    assert result.returncode == 0, result.stderr
    (warning,) = _warnings(result.stderr)
    assert "ignored" in warning and "pin 'shop.gone'" in warning
    assert "shared 'shop.utils'" in warning and "shop.api'" not in warning
    modules = json.loads((project.parent / "out" / "decomposition.json").read_text())["modules"]
    assert {m["name"]: m["service"] for m in modules}["shop.api.orders"] == "web"


@pytest.mark.parametrize(
    ("pyproject", "args", "fragments"),
    [
        ("", ["--pin", "shop.api=web", "--pin", "shop.api=admin"], ["'shop.api'", "'web'"]),
        (
            '[tool.decompose]\npins = { "shop.orders" = "sales" }\n'
            'shared = ["shop.orders.models"]\n',
            [],
            ["shared 'shop.orders.models'", "pin 'shop.orders'"],
        ),
        ("", ["--pin", "shop=store", "--shared", "shop.kernel"], ["shared 'shop.kernel'"]),
        (
            '[tool.decompose]\nkeep_together = [["shop.orders", "shop.catalog"]]\n'
            'pins = { "shop.orders" = "sales", "shop.catalog" = "products" }\n',
            [],
            ["keep_together", "'products', 'sales'"],
        ),
        (
            "[tool.decompose]\nservices = 3\nresolution = 1.5\n",
            [],
            ["services and resolution exclude each other"],
        ),
    ],
    ids=[
        "one-module-two-services",
        "shared-inside-a-pin",
        "shared-inside-a-cli-pin",
        "keep-together-across-pins",
        "services-and-resolution",
    ],
)
def test_settings_that_contradict_each_other_are_refused(  # type: ignore[no-untyped-def]
    decompose, user_error, project: Path, pyproject: str, args: list[str], fragments: list[str]
) -> None:
    if pyproject:
        (project / "pyproject.toml").write_text(pyproject)

    user_error(decompose("analyze", project, "-o", "out", *args), *fragments)

    assert not (project.parent / "out").exists()


def test_the_command_line_choice_of_services_or_resolution_replaces_the_projects(  # type: ignore[no-untyped-def]
    decompose, project: Path
) -> None:
    (project / "pyproject.toml").write_text("[tool.decompose]\nservices = 3\n")

    result = decompose("analyze", project, "-o", "out", "--resolution", "1.5", "--format", "json")

    assert result.returncode == 0, result.stderr
    settings = json.loads((project.parent / "out" / "decomposition.json").read_text())["settings"]
    assert (settings["services"], settings["resolution"]) == (None, 1.5)


def test_formats_from_pyproject_are_followed(decompose, project: Path) -> None:  # type: ignore[no-untyped-def]
    (project / "pyproject.toml").write_text('[tool.decompose]\nformats = ["json"]\n')

    result = decompose("analyze", project, "-o", "out")

    assert result.returncode == 0, result.stderr
    assert [p.name for p in (project.parent / "out").iterdir()] == ["decomposition.json"]
