"""report.md: the decomposition as GitHub-flavoured Markdown, escaped for analyzed-code text."""

from __future__ import annotations

import re
from collections.abc import Container, Sequence, Sized
from dataclasses import dataclass
from typing import Protocol, TypeVar

import jinja2

from decompose.model.decomposition import Decomposition
from decompose.report.decisions import MARKDOWN_DECISIONS
from decompose.report.formatting import format_number, plural
from decompose.report.views import build_view
from decompose.templating import environment

TEMPLATE = "report.md.j2"

# Characters that start Markdown syntax inside a line (`&` an entity, `<` raw HTML, which
# code-hosting sites render). The template never starts a line with analyzed-code text, so
# line-start markers (#, -, +, 1.) need no escaping.
_INLINE_SPECIAL = re.compile(r"([\\`*_\[\]<>|~&])")
_BACKTICKS = re.compile(r"`+")


@dataclass(frozen=True)
class Shown:
    """How many of each list report.md shows; report.html and decomposition.json hold all.

    A code-hosting site stops rendering a Markdown file of about half a megabyte, and
    nobody reads a thousand rows there: report.md is the summary that stays that small
    on any project (saleor's 1,142 modules: 90 kB instead of 1.1 MB).
    """

    table: int = 100  # rows of the services table: the largest services
    sections: int = 40  # services described in a section of their own: the largest
    links: int = 8  # services named in a "depends on" cell
    steps: int = 100  # steps of the migration order
    packages: int = 5
    api: int = 12
    data: int = 15
    decisions: int = MARKDOWN_DECISIONS
    shared: int = 30
    findings: int = 5
    locations: int = 3
    skipped: int = 20


def render_markdown(decomposition: Decomposition) -> str:
    """The report as a Markdown summary that reads well on a code-hosting site.

    Args:
        decomposition: The report to render.

    Returns:
        The Markdown text, ending with one newline; same input, same text.
    """
    view, shown = build_view(decomposition), Shown()
    sections = largest(view.services, shown.sections)
    text = (
        markdown_environment()
        .get_template(TEMPLATE)
        .render(
            report=view,
            shown=shown,
            table=largest(view.services, shown.table),
            sections=sections,
            with_section={service.name for service in sections},
        )
    )
    return text.rstrip("\n") + "\n"


class _Sized(Protocol):
    @property
    def name(self) -> str: ...
    @property
    def loc(self) -> int: ...


_S = TypeVar("_S", bound=_Sized)


def largest(services: Sequence[_S], count: int) -> tuple[_S, ...]:
    """All the services if at most `count`, else the `count` largest; in their own order.

    Largest by lines, then by name, so that ties are broken the same way on every run.
    """
    if len(services) <= count:
        return tuple(services)
    kept = {s.name for s in sorted(services, key=lambda s: (-s.loc, s.name))[:count]}
    return tuple(s for s in services if s.name in kept)


def markdown_environment() -> jinja2.Environment:
    """The report environment with no HTML escaping and Markdown escaping filters instead."""
    env = environment("report", autoescape=False)
    env.filters["md"] = escape_text
    env.filters["md_cell"] = escape_cell
    env.filters["code"] = code_span
    env.filters["code_cell"] = code_cell
    env.filters["md_link"] = service_link
    env.filters["num"] = format_number
    env.filters["plural"] = plural
    env.filters["more"] = more
    return env


def more(items: Sized, shown: int, noun: str) -> str:
    """` and 3 more items` when `items` has more than the `shown` first ones, else ``."""
    hidden = len(items) - shown
    return f" and {plural(hidden, 'more ' + noun)}" if hidden > 0 else ""


def escape_text(value: object) -> str:
    """Plain text from analyzed code, inert in Markdown: specials backslash-escaped, one line."""
    return _INLINE_SPECIAL.sub(r"\\\1", _one_line(str(value)))


def escape_cell(value: object) -> str:
    """Text for a table cell; `escape_text` already escapes the pipe."""
    return escape_text(value)


def code_span(value: object) -> str:
    """Inline code that holds any text, backticks included; empty text gives ''."""
    text = _one_line(str(value))
    if not text:
        return ""
    longest = max((len(run) for run in _BACKTICKS.findall(text)), default=0)
    fence = "`" * (longest + 1)
    # A space pads text that starts or ends with a backtick (CommonMark strips one each side).
    pad = " " if text.startswith("`") or text.endswith("`") or text.strip() == "" else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def code_cell(value: object) -> str:
    """Inline code inside a table cell: GFM splits cells on `|` even within code spans."""
    return code_span(value).replace("|", "\\|")


class _Linkable(Protocol):
    service: str
    anchor: str


def service_link(target: _Linkable, described: Container[str] | None = None) -> str:
    """A link to a service's section, or its plain name when the report has no such section.

    `described`: the services report.md gives a section (all that have an anchor if None).
    """
    name = escape_text(target.service)
    linked = target.anchor and (described is None or target.service in described)
    return f"[{name}](#{target.anchor})" if linked else name


def _one_line(text: str) -> str:
    return " ".join(text.split())
