"""Settings: pyproject's [tool.decompose] merged under the command line, validated once."""

from __future__ import annotations

from pathlib import Path

import pytest

from decompose.config import (
    build_settings,
    read_project_settings,
    worker_count,
)
from decompose.errors import ConfigError


@pytest.mark.parametrize(
    ("project", "message"),
    [
        ({"resolution": float("inf")}, "resolution: Input should be a finite number"),
        ({"weights": {"orm": float("inf")}}, "weights.orm: Input should be a finite number"),
        ({"weights": {"usage": float("nan")}}, "weights.usage: Input should be a finite number"),
    ],
)
def test_infinite_and_nan_numbers_are_refused(project: dict[str, object], message: str) -> None:
    with pytest.raises(ConfigError) as raised:
        build_settings(project, {})
    assert raised.value.message == f"invalid settings: {message}"
    assert raised.value.exit_code == 2


@pytest.mark.parametrize(
    ("key", "value", "override"),
    [
        ("exclude", 3, ("x/**",)),
        ("exclude", "legacy", ("x/**",)),  # not split into characters
        ("shared", "shop.kernel", ("shop.api",)),
        ("pins", ["shop.api"], {"shop.api": "web"}),
    ],
)
def test_a_project_value_of_the_wrong_type_is_reported_not_merged(
    key: str, value: object, override: object
) -> None:
    with pytest.raises(ConfigError, match=rf"invalid settings: {key}: "):
        build_settings({key: value}, {key: override})


def test_the_command_line_adds_to_project_lists_and_pins() -> None:
    settings = build_settings(
        {"exclude": ["a/**"], "shared": ["k"], "pins": {"m": "s", "n": "s"}},
        {"exclude": ("b/**",), "shared": ("l",), "pins": {"n": "t"}},
    )
    assert settings.exclude == ("a/**", "b/**") and settings.shared == ("k", "l")
    assert settings.pins == {"m": "s", "n": "t"}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("tool = 3\n", "[tool] must be a table"),
        ("[tool]\ndecompose = 1\n", "[tool.decompose] must be a table"),
    ],
)
def test_a_pyproject_whose_tables_are_not_tables_is_a_config_error(
    tmp_path: Path, text: str, message: str
) -> None:
    (tmp_path / "pyproject.toml").write_text(text)
    with pytest.raises(ConfigError) as raised:
        read_project_settings(tmp_path)
    assert raised.value.message == f"{tmp_path / 'pyproject.toml'}: {message}"


@pytest.mark.parametrize(
    ("requested", "available", "workers"), [(None, 4, 4), (2, 4, 2), (64, 2, 2), (1, 1, 1)]
)
def test_workers_never_outnumber_the_cpus(
    requested: int | None, available: int, workers: int
) -> None:
    assert worker_count(requested, available) == workers
