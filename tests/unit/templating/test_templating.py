"""The one Jinja environment: templates are found, HTML is escaped, undefined names fail."""

from __future__ import annotations

import jinja2
import pytest

from decompose.templating import environment, templates_dir


def test_templates_directory_is_found() -> None:
    assert (templates_dir() / "report" / "report.html.j2").is_file()


def test_html_templates_are_autoescaped_by_file_name() -> None:
    env = environment("report")
    assert env.autoescape("report.html.j2") is True  # type: ignore[operator]
    assert env.autoescape("report.md.j2") is False  # type: ignore[operator]


def test_undefined_names_fail() -> None:
    with pytest.raises(jinja2.UndefinedError):
        environment("report").from_string("{{ missing }}").render()
