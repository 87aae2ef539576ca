"""report.html in headless Chromium: the script runs cleanly, draws the graph, screenshots."""

from __future__ import annotations

import re
import struct
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from decompose.model.decomposition import Decomposition
from decompose.report.html import render_html

CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOT = Path(__file__).parents[2] / "golden" / "report" / "report.png"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Chromium at /usr/bin/chromium"),
]


def _chromium(home: Path, url: str, *args: str) -> subprocess.CompletedProcess[str]:
    """Run headless Chromium once, with every file it writes kept under `home`."""
    command = [
        str(CHROMIUM),
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-extensions",
        "--no-first-run",
        "--hide-scrollbars",
        "--force-device-scale-factor=1",
        f"--user-data-dir={home / 'profile'}",
        "--enable-logging=stderr",
        "--v=0",
        *args,
        url,
    ]
    environment = {
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / "config"),
        "XDG_CACHE_HOME": str(home / "cache"),
        "PATH": "/usr/bin:/bin",
    }
    return subprocess.run(
        command, capture_output=True, text=True, timeout=120, check=False, env=environment
    )


def _page(tmp_path: Path, html: str) -> str:
    page = tmp_path / "report.html"
    page.write_text(html, encoding="utf-8")
    return page.as_uri()


def _dom(tmp_path: Path, url: str) -> tuple[str, str, str]:
    """The DOM after the page's scripts ran, the <html> start tag, and Chromium's log."""
    result = _chromium(tmp_path, url, "--dump-dom")
    assert result.returncode == 0, result.stderr[-2000:]
    root = re.search(r"<html[^>]*>", result.stdout)
    assert root is not None
    return result.stdout, root.group(0), result.stderr


def _assert_no_script_errors(root: str, log: str) -> None:
    assert "data-js-errors" not in root, root
    assert "Uncaught" not in log


def test_page_runs_cleanly_and_draws_every_service(
    decomposition: Decomposition, tmp_path: Path
) -> None:
    dom, root, log = _dom(tmp_path, _page(tmp_path, render_html(decomposition)))
    _assert_no_script_errors(root, log)
    assert 'data-graph-ready="4"' in root
    graph = dom[dom.index('<svg id="graph-svg"') : dom.index("</svg>", dom.index("graph-nodes"))]
    nodes = re.findall(r'<g class="node c\d" data-id="(svc-\d+)"', graph)
    assert nodes == ["svc-0", "svc-1", "svc-2", "svc-3"]
    edges = re.findall(r'<path class="edge"[^>]* d="M[\d.,\- LQ]+"', graph)
    assert len(edges) == 6
    labels = re.findall(r"<text [^>]*>([^<]+)</text>", graph)
    assert labels[::2] == ["accounts", "billing", "catalog", "orders"]


def test_a_service_in_the_address_is_selected(decomposition: Decomposition, tmp_path: Path) -> None:
    dom, root, log = _dom(tmp_path, _page(tmp_path, render_html(decomposition)) + "#svc-1")
    _assert_no_script_errors(root, log)
    assert re.search(r'<g class="node c1 selected" data-id="svc-1"', dom)
    assert re.search(r'<g class="node c2 dim" data-id="svc-2"', dom)  # not a neighbour
    assert re.search(r'<section class="panel-section" id="svc-1" data-panel="svc-1">', dom)
    assert re.search(r'<div class="panel-section" data-panel="overview" hidden="">', dom)


def test_the_error_hook_reports_script_errors(decomposition: Decomposition, tmp_path: Path) -> None:
    html = render_html(decomposition).replace(
        "</body>", "<script>undefinedFunction();</script>\n</body>"
    )
    _, root, log = _dom(tmp_path, _page(tmp_path, html))
    assert re.search(r'data-js-errors="[^"]*undefinedFunction', root)
    assert "Uncaught ReferenceError" in log


def test_screenshot(
    decomposition: Decomposition, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    """A 1400x900 screenshot; --update-golden keeps it as tests/golden/report/report.png.

    The picture is for reviewers to look at in the diff. It is not compared byte for byte:
    the same Chromium gives the same bytes, but another version or font set would not.
    """
    shot = tmp_path / "report.png"
    result = _chromium(
        tmp_path,
        _page(tmp_path, render_html(decomposition)),
        f"--screenshot={shot}",
        "--window-size=1400,900",
    )
    assert result.returncode == 0, result.stderr[-2000:]
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    assert (width, height) == (1400, 900)
    assert len(data) > 40_000  # a blank or unstyled page compresses far smaller
    if request.config.getoption("--update-golden"):
        SCREENSHOT.write_bytes(data)


# Drives the page with synthetic events and writes what happened into <html data-test>.
INTERACTIONS = """<script>
(function () {
  var out = [];
  var svg = document.getElementById("graph-svg");
  var viewport = document.getElementById("graph-viewport");
  function centre(id) {
    var box = document.querySelector('.node[data-id="' + id + '"] .body').getBoundingClientRect();
    return { clientX: box.left + box.width / 2, clientY: box.top + box.height / 2 };
  }
  function pointer(type, target, at) {
    target.dispatchEvent(new PointerEvent(type, {
      bubbles: true, cancelable: true, button: 0, pointerId: 7,
      clientX: at.clientX, clientY: at.clientY
    }));
  }
  var at = centre("svc-2");
  var body = document.querySelector('.node[data-id="svc-2"] .body');
  pointer("pointerdown", body, at);
  pointer("pointerup", body, at);
  out.push("click:" + !document.getElementById("svc-2").hidden);
  var before = viewport.getAttribute("transform");
  svg.dispatchEvent(new WheelEvent("wheel", {
    bubbles: true, cancelable: true, deltaY: -300, clientX: at.clientX, clientY: at.clientY
  }));
  out.push("zoom:" + (viewport.getAttribute("transform") !== before));
  var moved = document.querySelector('.node[data-id="svc-0"]');
  var from = moved.getAttribute("transform");
  var start = centre("svc-0");
  pointer("pointerdown", moved.querySelector(".body"), start);
  pointer("pointermove", svg, { clientX: start.clientX + 60, clientY: start.clientY + 30 });
  pointer("pointerup", svg, { clientX: start.clientX + 60, clientY: start.clientY + 30 });
  out.push("drag:" + (moved.getAttribute("transform") !== from));
  out.push("still-selected:" + !document.getElementById("svc-2").hidden);
  document.querySelector('[data-zoom="fit"]').click();
  out.push("fit:" + /scale\\(/.test(viewport.getAttribute("transform")));
  document.dispatchEvent(new KeyboardEvent("keydown", { key: "Escape", bubbles: true }));
  out.push("escape:" + !document.querySelector('[data-panel="overview"]').hidden);
  document.querySelector('#migration [data-select="svc-3"]').click();
  out.push("link:" + !document.getElementById("svc-3").hidden);
  document.documentElement.setAttribute("data-test", out.join(" "));
})();
</script>
"""


def test_click_zoom_drag_and_links_work(decomposition: Decomposition, tmp_path: Path) -> None:
    html = render_html(decomposition).replace("</body>", INTERACTIONS + "</body>")
    _, root, log = _dom(tmp_path, _page(tmp_path, html))
    _assert_no_script_errors(root, log)
    found = re.search(r'data-test="([^"]*)"', root)
    assert found is not None, root
    assert found.group(1).split() == [
        "click:true",
        "zoom:true",
        "drag:true",
        "still-selected:true",
        "fit:true",
        "escape:true",
        "link:true",
    ]


# Measures what Chromium drew: how often one node's circle or visible label line overlaps
# another node's, how many nodes reach outside the graph's area, how many edges show
# before and after "All edges" is pressed, and whether a summary line without room shows
# once its service is selected.
GEOMETRY = """<script>
(function () {
  var svg = document.getElementById("graph-svg").getBoundingClientRect();
  var groups = Array.prototype.slice.call(document.querySelectorAll("#graph-nodes .node"));
  var shapes = groups.map(function (group) {
    var parts = group.querySelectorAll("circle.ring, circle.body, text");
    parts = Array.prototype.slice.call(parts);
    return parts.map(function (part) { return part.getBoundingClientRect(); })
      .filter(function (box) { return box.width > 0 && box.height > 0; });
  });
  var overlaps = 0, outside = 0;
  shapes.forEach(function (boxes, i) {
    boxes.forEach(function (a) {
      if (a.left < svg.left || a.top < svg.top || a.right > svg.right || a.bottom > svg.bottom) {
        outside += 1;
      }
      shapes.slice(i + 1).forEach(function (others) {
        others.forEach(function (b) {
          if (a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom) {
            overlaps += 1;
          }
        });
      });
    });
  });
  function shown() {
    return Array.prototype.filter.call(document.querySelectorAll("#graph-edges .edge"),
      function (edge) { return getComputedStyle(edge).display !== "none"; }).length;
  }
  var before = shown();
  document.querySelector("[data-edges]").click();
  var after = shown();
  var extra = document.querySelector("#graph-nodes text.extra");
  var hidden = getComputedStyle(extra).display;
  var id = extra.parentNode.getAttribute("data-id");
  document.querySelector('.pick[data-select="' + id + '"]').click();
  document.documentElement.setAttribute("data-test", [
    "nodes:" + groups.length, "overlaps:" + overlaps, "outside:" + outside,
    "edges:" + before + "/" + after + "/" + document.querySelectorAll("#graph-edges .edge").length,
    "summary:" + hidden + "/" + getComputedStyle(extra).display
  ].join(" "));
})();
</script>
"""


@pytest.mark.parametrize("count", [22, 60])
def test_a_big_graph_is_drawn_without_overlaps(
    generated: Callable[[int, int], Decomposition], count: int, tmp_path: Path
) -> None:
    html = render_html(generated(count, 0)).replace("</body>", GEOMETRY + "</body>")
    _, root, log = _dom(tmp_path, _page(tmp_path, html))
    _assert_no_script_errors(root, log)
    found = re.search(r'data-test="([^"]*)"', root)
    assert found is not None, root
    facts = dict(fact.split(":") for fact in found.group(1).split())
    assert facts["nodes"] == str(count)
    assert facts["overlaps"] == "0"
    assert facts["outside"] == "0"
    before, after, total = (int(n) for n in facts["edges"].split("/"))
    assert 0 < before < after == total
    hidden, selected = facts["summary"].split("/")
    assert hidden == "none" and selected != "none"
