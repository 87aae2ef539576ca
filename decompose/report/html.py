"""report.html: one self-contained page with an interactive service graph (no network)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import jinja2
from markupsafe import Markup

from decompose.model.decomposition import Decomposition
from decompose.report.formatting import format_number, plural
from decompose.report.graph_view import LayoutPrefetch
from decompose.report.views import build_view
from decompose.templating import environment

TEMPLATE = "report.html.j2"
PIECE = 1 << 16  # characters of the page encoded at a time

# Inside <script>, `</script>` or `<!--` in a string would end or confuse the element, and
# U+2028/2029 end a line in older JavaScript; escaped, JSON.parse reads them back the same.
_SCRIPT_ESCAPES = str.maketrans(
    {
        "<": "\\u003c",
        ">": "\\u003e",
        "&": "\\u0026",
        "\u2028": "\\u2028",
        "\u2029": "\\u2029",
    }
)


def render_html(decomposition: Decomposition) -> str:
    """The report as one HTML file: inline CSS and JavaScript, every value escaped.

    Args:
        decomposition: The report to render.

    Returns:
        The HTML text, ending with one newline; same input, same bytes.
    """
    return b"".join(html_pieces(decomposition)).decode("utf-8")


def html_pieces(
    decomposition: Decomposition, started: LayoutPrefetch | None = None
) -> Iterator[bytes]:
    """render_html's text as UTF-8 bytes, in pieces of about PIECE characters.

    The page is never held whole: as one string, then stripped, then encoded, it would
    be there three or four times over (a 9 MB page for 5,000 modules). `started`: the
    graph's layout, if it was started earlier (`LayoutPrefetch`).
    """
    template = html_environment().get_template(TEMPLATE)
    # The graph is laid out while the rest of the page is written, if it was not already.
    view = build_view(decomposition, graph_first=True, started=started)
    pending: list[str] = []
    size = 0
    try:
        for text in template.generate(report=view):
            pending.append(text)
            size += len(text)
            if size >= PIECE:
                joined = "".join(pending)
                body = joined.rstrip("\n")  # newlines wait: the page ends with exactly one
                yield body.encode("utf-8")
                pending, size = [joined[len(body) :]], len(joined) - len(body)
        yield ("".join(pending).rstrip("\n") + "\n").encode("utf-8")
    finally:
        view.close()


def html_environment() -> jinja2.Environment:
    """The report environment with the HTML report's filters."""
    env = environment("report")
    env.filters["script_json"] = script_json
    env.filters["num"] = format_number
    env.filters["plural"] = plural
    return env


def script_json(value: Any) -> Markup:
    """JSON that is safe inside a <script> element: sorted keys, no `<`, `>`, `&`, U+2028/9."""
    text = json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    )
    return Markup(text.translate(_SCRIPT_ESCAPES))
