"""Settings: pyproject's [tool.decompose] merged under the command line, validated once."""

from __future__ import annotations

from pathlib import Path

import pytest

from decompose.config import (
    Settings,
    build_settings,
    read_project_settings,
    unmatched_names,
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
    ("project", "message"),
    [
        ({"services": 3, "resolution": 1.5}, "services and resolution exclude each other"),
        (
            {"pins": {"shop": "store"}, "shared": ["shop.kernel"]},
            "shared 'shop.kernel' is inside pin 'shop' = 'store', which would win",
        ),
        (
            {"pins": {"a": "x"}, "shared": ["a"]},
            "shared 'a' is inside pin 'a' = 'x', which would win",
        ),
        (
            {"pins": {"a.b": "x", "c": "y"}, "keep_together": [["a", "c"]]},
            "keep_together ['a', 'c'] holds modules pinned to different services ('x', 'y')",
        ),
    ],
)
def test_settings_that_contradict_each_other_are_refused(
    project: dict[str, object], message: str
) -> None:
    with pytest.raises(ConfigError) as raised:
        build_settings(project, {})
    assert raised.value.message.startswith(f"invalid settings: {message}")


@pytest.mark.parametrize(
    "project",
    [
        {"pins": {"shop.orders": "sales"}, "shared": ["shop"]},  # the pin is the narrower
        {"pins": {"shop": "x", "shop.orders": "y"}, "keep_together": [["shop.orders"]]},
        {"pins": {"a": "x", "b": "x"}, "keep_together": [["a", "b", "c"]]},
    ],
)
def test_settings_that_agree_are_accepted(project: dict[str, object]) -> None:
    build_settings(project, {})


@pytest.mark.parametrize(
    ("project", "overrides", "expected"),
    [
        ({"services": 3}, {"resolution": 1.5}, (None, 1.5)),
        ({"resolution": 1.5}, {"services": 3}, (3, None)),
        ({"services": 3}, {}, (3, None)),
    ],
)
def test_the_command_line_choice_of_services_or_resolution_wins(
    project: dict[str, object],
    overrides: dict[str, object],
    expected: tuple[int | None, float | None],
) -> None:
    settings = build_settings(project, overrides)
    assert (settings.services, settings.resolution) == expected


def test_an_empty_formats_list_is_refused() -> None:
    with pytest.raises(ConfigError, match="formats: "):
        build_settings({"formats": []}, {})


def test_unmatched_names_are_those_covering_no_module() -> None:
    settings = Settings(
        pins={"shop.orders": "sales", "shop.gone": "x"},
        shared=["shop.kernel.db", "shop", "kernel"],
        keep_together=(("shop.orders.models", "shop.billing"),),
    )
    modules = ["shop.orders.models", "shop.orders.views", "shop.kernel.db"]

    assert unmatched_names(settings, modules) == [
        "pin 'shop.gone'",
        "shared 'kernel'",
        "keep_together 'shop.billing'",
    ]


@pytest.mark.parametrize(
    ("requested", "available", "workers"), [(None, 4, 4), (2, 4, 2), (64, 2, 2), (1, 1, 1)]
)
def test_workers_never_outnumber_the_cpus(
    requested: int | None, available: int, workers: int
) -> None:
    assert worker_count(requested, available) == workers
