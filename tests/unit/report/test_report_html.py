from __future__ import annotations

import json
import re
from collections.abc import Callable
from html.parser import HTMLParser
from typing import Any

import pytest

from decompose.model.decomposition import Decomposition, MigrationStep, ServiceDependency
from decompose.report import html as html_report
from decompose.report.html import render_html, script_json
from decompose.report.views import build_view
from decompose.templating import templates_dir

ASSETS = templates_dir() / "report" / "assets"


class _Scripts(HTMLParser):
    """Collects <script> elements and every tag name, as a browser's tokenizer would."""

    def __init__(self) -> None:
        super().__init__()
        self.scripts: list[tuple[dict[str, str | None], str]] = []
        self.tags: list[str] = []
        self._open: dict[str, str | None] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        if tag == "script":
            self._open = dict(attrs)
            self.scripts.append((self._open, ""))

    def handle_data(self, data: str) -> None:
        if self._open is not None:
            attrs, text = self.scripts[-1]
            self.scripts[-1] = (attrs, text + data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._open = None


def _parse(html: str) -> _Scripts:
    parser = _Scripts()
    parser.feed(html)
    parser.close()
    return parser


def test_html_matches_golden(decomposition: Decomposition, golden: Any) -> None:
    golden.check("report/report.html", render_html(decomposition))


def test_html_is_deterministic(decomposition: Decomposition) -> None:
    assert render_html(decomposition) == render_html(decomposition.model_copy(deep=True))


@pytest.mark.parametrize("piece", [1, 7, 4096])
def test_the_page_written_in_pieces_is_the_page(
    decomposition: Decomposition, piece: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = render_html(decomposition)
    monkeypatch.setattr(html_report, "PIECE", piece)
    pieces = list(html_report.html_pieces(decomposition))
    assert b"".join(pieces).decode() == page
    assert page.endswith("</html>\n")
    if piece < 10:
        assert len(pieces) > 100


def test_html_is_self_contained(decomposition: Decomposition) -> None:
    html = render_html(decomposition)
    assert not re.search(r"<(link|img|iframe|object|embed)\b", html)
    assert not re.search(r"\b(src|href)=\"(https?:)?//", html)
    assert "url(http" not in html and "@import" not in html
    scripts = _parse(html).scripts
    assert [attrs.get("src") for attrs, _ in scripts] == [None, None, None]


def test_inline_assets_are_included_verbatim(decomposition: Decomposition) -> None:
    html = render_html(decomposition)
    for name in ("report.css", "report.js", "errors.js"):
        assert (ASSETS / name).read_text(encoding="utf-8") in html


def test_analyzed_code_is_escaped(decomposition: Decomposition) -> None:
    html = render_html(decomposition)
    assert "alert(" not in "".join(text for _, text in _parse(html).scripts[::2])
    assert '<script>alert("x")' not in html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;|v2" in html
    assert "&lt;b&gt;split it&lt;/b&gt;" in html
    assert "b" not in _parse(html).tags


def test_graph_data_is_safe_and_complete(decomposition: Decomposition) -> None:
    html = render_html(decomposition)
    (data_script,) = [text for attrs, text in _parse(html).scripts if attrs.get("id")]
    assert "</" not in data_script and "<!--" not in data_script
    data = json.loads(data_script)
    assert data == build_view(decomposition).graph.data()
    assert [node["name"] for node in data["nodes"]] == ["accounts", "billing", "catalog", "orders"]


def test_the_all_edges_toggle_appears_only_when_edges_are_hidden(
    decomposition: Decomposition, generated: Callable[[int, int], Decomposition]
) -> None:
    assert '<button type="button" data-edges' not in render_html(decomposition)
    dense = generated(60, 0)
    graph = build_view(dense).graph
    html = render_html(dense)
    assert '<button type="button" data-edges aria-pressed="false"' in html
    shown = len(graph.edges) - graph.minor_edges
    assert f"the {shown} heaviest of {len(graph.edges)} unless" in html


def test_script_json_escapes_what_would_break_out_of_a_script() -> None:
    value = {"name": "</script><!-- x --> & \u2028\u2029"}
    text = str(script_json(value))
    for forbidden in ("</", "<!--", "-->", "&", "\u2028", "\u2029"):
        assert forbidden not in text
    assert json.loads(text) == value


def test_every_service_has_a_panel(decomposition: Decomposition) -> None:
    html = render_html(decomposition)
    for dom_id in ("svc-0", "svc-1", "svc-2", "svc-3"):
        assert f'id="{dom_id}" data-panel="{dom_id}" hidden' in html
    assert 'data-panel="overview"' in html


def test_html_of_an_empty_decomposition(empty_decomposition: Decomposition) -> None:
    html = render_html(empty_decomposition)
    assert "No services were proposed." in html
    assert "No findings:" in html
    assert 'id="skipped"' not in html
    data_script = next(text for attrs, text in _parse(html).scripts if attrs.get("id"))
    assert json.loads(data_script)["nodes"] == []


@pytest.mark.parametrize("name", ["report.html.j2", "_service_panel.html.j2"])
def test_html_templates_force_autoescape(name: str) -> None:
    # The shared environment picks autoescaping by extension and `.html.j2` is not one,
    # so each HTML template switches it on itself.
    text = (templates_dir() / "report" / name).read_text(encoding="utf-8")
    assert "{% autoescape true %}" in text and text.rstrip().endswith("{% endautoescape %}")


def test_services_missing_from_the_report_are_not_linked(decomposition: Decomposition) -> None:
    orders = decomposition.services[0]
    stray = orders.model_copy(
        update={"depends_on": (ServiceDependency(service="ghost", weight=1),)}
    )
    step = MigrationStep(service="legacy", reason="kept")
    html = render_html(
        decomposition.model_copy(update={"services": (stray,), "migration_order": (step,)})
    )
    assert "<strong>ghost</strong>" in html
    assert '<span class="step-name">legacy</span>' in html
    assert 'data-select=""' not in html.replace('class="panel-back" data-select=""', "")
