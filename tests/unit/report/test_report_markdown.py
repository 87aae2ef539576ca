from __future__ import annotations

import re
from typing import Any

import pytest

from decompose.model.decomposition import Decomposition, MigrationStep, ServiceDependency
from decompose.report.markdown import code_cell, code_span, escape_text, render_markdown
from decompose.report.views import github_anchor

LEGACY = 'shop.billing.legacy_<script>alert("x")</script>|v2'


def test_markdown_matches_golden(decomposition: Decomposition, golden: Any) -> None:
    golden.check("report/report.md", render_markdown(decomposition))


def test_markdown_is_deterministic(decomposition: Decomposition) -> None:
    assert render_markdown(decomposition) == render_markdown(decomposition.model_copy(deep=True))


def test_markdown_has_every_section(decomposition: Decomposition) -> None:
    text = render_markdown(decomposition)
    for heading in [
        "# Decomposition of `examples/shop`",
        "## Services",
        "### billing",
        "## Shared kernel",
        "## Findings",
        "### High (2)",
        "## Migration order",
        "## Metrics",
        "## Skipped files",
    ]:
        assert f"\n{heading}\n" in f"\n{text}"
    assert "`shop/orders/models.py:31`" in text
    assert "1. **[accounts](#accounts)** — Depends on no other service" in text
    assert text.endswith("|\n") and not text.endswith("\n\n")


def _render_html(markdown: str) -> tuple[str, list[Any]]:
    markdown_it = pytest.importorskip("markdown_it")
    parser = markdown_it.MarkdownIt("commonmark").enable("table")
    return parser.render(markdown), parser.parse(markdown)


def test_analyzed_code_cannot_inject_html(decomposition: Decomposition) -> None:
    html, _ = _render_html(render_markdown(decomposition))
    assert "<script" not in html
    assert "<b>" not in html
    assert "&lt;script&gt;" in html
    assert "&lt;b&gt;split it&lt;/b&gt;" in html


def test_pipes_do_not_split_table_cells(decomposition: Decomposition) -> None:
    with_legacy_kernel = decomposition.model_copy(
        update={"shared": (*decomposition.shared, LEGACY)}
    )
    html, tokens = _render_html(render_markdown(with_legacy_kernel))
    widths: list[int] = []
    cells = expected = 0
    for token in tokens:
        if token.type == "tr_open":
            cells = 0
        elif token.type in ("th_open", "td_open"):
            cells += 1
        elif token.type == "thead_close":
            expected = cells
        elif token.type == "tr_close":
            widths.append(cells)
        elif token.type == "table_close":
            assert set(widths) == {expected}
            widths = []
    legacy = LEGACY.replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    assert f'<td style="text-align:left"><code>{legacy}</code></td>' in html


def test_markdown_of_an_empty_decomposition(empty_decomposition: Decomposition) -> None:
    text = render_markdown(empty_decomposition)
    assert "No services were proposed." in text
    assert "No findings:" in text
    assert "No migration order was computed." in text
    assert "No metrics were computed." in text
    assert "## Skipped files" not in text


@pytest.mark.parametrize(
    ("text", "escaped"),
    [
        ("plain words", "plain words"),
        ("a|b", "a\\|b"),
        ("<b>*x*</b>", "\\<b\\>\\*x\\*\\</b\\>"),
        ("snake_case [link](url)", "snake\\_case \\[link\\](url)"),
        ("back\\slash `tick` ~~s~~ &amp;", "back\\\\slash \\`tick\\` \\~\\~s\\~\\~ \\&amp;"),
        ("two\nlines", "two lines"),
    ],
)
def test_escape_text(text: str, escaped: str) -> None:
    assert escape_text(text) == escaped


@pytest.mark.parametrize(
    ("text", "span"),
    [
        ("name", "`name`"),
        ("a `b` c", "``a `b` c``"),
        ("`edge`", "`` `edge` ``"),
        ("", ""),
    ],
)
def test_code_span(text: str, span: str) -> None:
    assert code_span(text) == span


def test_code_cell_escapes_pipes() -> None:
    assert code_cell("int | None") == "`int \\| None`"


def test_services_missing_from_the_report_are_not_linked(decomposition: Decomposition) -> None:
    orders = decomposition.services[0]
    stray = orders.model_copy(
        update={"depends_on": (ServiceDependency(service="ghost_svc", weight=1),)}
    )
    step = MigrationStep(service="legacy_core", reason="kept")
    text = render_markdown(
        decomposition.model_copy(update={"services": (stray,), "migration_order": (step,)})
    )
    assert "**Depends on:** ghost\\_svc (1)." in text
    assert "1. **legacy\\_core** — kept" in text
    assert "](#)" not in text


def test_a_large_project_gets_a_summary_of_bounded_size(decomposition: Decomposition) -> None:
    """Thousands of modules, API items, kernel modules and findings: the summary stays small."""
    from decompose.model.decomposition import ApiItem, Finding, Location

    billing = next(s for s in decomposition.services if s.name == "billing")
    modules = tuple(f"shop.billing.part{i}.m{j}" for i in range(40) for j in range(50))
    big = billing.model_copy(
        update={
            "modules": modules,
            "public_api": tuple(
                ApiItem(module=m, name="f", kind="function", used_by=("shop.orders.api",))
                for m in modules
            ),
        }
    )
    findings = tuple(
        Finding(
            kind="shared_table",
            severity="medium",
            services=("billing", "orders"),
            detail=f"table t{i} is shared",
            locations=tuple(Location(path=f"shop/m{i}.py", line=n) for n in range(1, 30)),
        )
        for i in range(500)
    )
    huge = decomposition.model_copy(
        update={
            "services": tuple(big if s.name == "billing" else s for s in decomposition.services),
            "shared": tuple(f"shop.common.m{i}" for i in range(1000)),
            "findings": findings,
        }
    )
    small = len(render_markdown(decomposition).encode())
    text = render_markdown(huge)
    assert len(text.encode()) < small + 12_000
    assert "and 35 more packages" in text
    assert "and 1,988 more items" in text
    assert "The first 30 of 1,000 modules" in text
    assert "**Table shared by services** (500), the first 5" in text
    assert "and 26 more places" in text


def test_a_thousand_services_get_a_table_of_the_largest_and_no_dangling_link(
    decomposition: Decomposition,
) -> None:
    first = decomposition.services[0]
    names = [f"plugin_{i:04d}" for i in range(1000)]
    services = tuple(
        first.model_copy(
            update={
                "name": name,
                "loc": 10 + i,
                "depends_on": tuple(ServiceDependency(service=n, weight=1) for n in names[:i][:20]),
            }
        )
        for i, name in enumerate(names)
    )
    steps = tuple(MigrationStep(service=n, reason="leaf") for n in names)
    text = render_markdown(
        decomposition.model_copy(
            update={"services": services, "migration_order": steps, "findings": ()}
        )
    )
    assert len(text.encode()) < 100_000
    assert "The 100 largest of 1,000 services (40 of them described below)" in text
    assert text.count("\n### plugin\\_") == 40
    assert "### plugin\\_0999" in text and "### plugin\\_0959" not in text
    assert "and 12 more services" in text  # 20 dependencies, 8 named
    assert "The first 100 of 1,000 steps" in text
    anchors = set(re.findall(r"\]\(#([^)]+)\)", text))
    headings = {
        github_anchor(line.lstrip("#").replace("\\", ""))
        for line in text.splitlines()
        if line.startswith("#")
    }
    assert anchors and anchors <= headings
