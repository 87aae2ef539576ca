"""The one Jinja environment factory and the one place that finds the templates directory."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2


def templates_dir() -> Path:
    """The `templates/` directory: inside the installed wheel, or beside the package."""
    packaged = Path(str(resources.files("decompose"))) / "templates"
    if packaged.is_dir():
        return packaged
    checkout = Path(__file__).resolve().parent.parent / "templates"
    if checkout.is_dir():
        return checkout
    raise FileNotFoundError("decompose's templates directory is missing from this installation")


def environment(subdir: str, *, autoescape: bool = True) -> jinja2.Environment:
    """A strict environment over `templates/<subdir>`: undefined names fail, HTML is escaped.

    Args:
        subdir: `report` or `service`.
        autoescape: escape HTML in `.html`/`.j2` output; code templates turn it off and
            escape with the filters for their own language instead.
    """
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates_dir() / subdir),
        undefined=jinja2.StrictUndefined,
        autoescape=(
            jinja2.select_autoescape(["html", "htm", "xml", "html.j2", "htm.j2", "xml.j2"])
            if autoescape
            else False
        ),
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["tojson_compact"] = _tojson_compact
    env.filters["pyrepr"] = repr  # a Python literal for a string or number
    return env


def _tojson_compact(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"))
