// The service graph: draws #graph-data into the SVG, then zoom, pan, drag and selection.
(function () {
  "use strict";
  var SVG_NS = "http://www.w3.org/2000/svg";
  var data = JSON.parse(document.getElementById("graph-data").textContent);
  var svg = document.getElementById("graph-svg");
  // The canvas's size comes with the layout, at the end of the page: it is computed
  // while the page's panels are written.
  svg.setAttribute("viewBox", "0 0 " + data.width + " " + data.height);
  var viewport = document.getElementById("graph-viewport");
  var edgeLayer = document.getElementById("graph-edges");
  var nodeLayer = document.getElementById("graph-nodes");
  var panel = document.getElementById("panel");
  var sections = Array.prototype.slice.call(panel.querySelectorAll("[data-panel]"));
  var nodes = {};
  var view = { k: 1, x: 0, y: 0 };
  var selected = "";
  var drag = null;

  function make(tag, attributes, parent) {
    var element = document.createElementNS(SVG_NS, tag);
    Object.keys(attributes).forEach(function (name) {
      element.setAttribute(name, String(attributes[name]));
    });
    parent.appendChild(element);
    return element;
  }
  function thousands(n) {
    return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  }
  function plural(n, word) {
    return thousands(n) + " " + word + (n === 1 ? "" : "s");
  }
  function clamp(value, low, high) {
    return Math.max(low, Math.min(high, value));
  }

  // Nodes and edges --------------------------------------------------------------------
  function ringGap(node) {
    return node.severity ? 6 : 2;
  }
  function toward(node, x, y, distance) {
    var dx = x - node.x, dy = y - node.y;
    var length = Math.sqrt(dx * dx + dy * dy) || 1;
    return [node.x + (dx / length) * distance, node.y + (dy / length) * distance];
  }
  function route(edge) {
    var s = nodes[edge.source], t = nodes[edge.target];
    var dx = t.x - s.x, dy = t.y - s.y;
    var length = Math.sqrt(dx * dx + dy * dy) || 1;
    // Two services that depend on each other get two arcs, one on each side.
    var bend = edge.mutual ? 0.16 * length : 0;
    var cx = (s.x + t.x) / 2 - (dy / length) * bend;
    var cy = (s.y + t.y) / 2 + (dx / length) * bend;
    var a = toward(s, cx, cy, s.r + ringGap(s));
    var b = toward(t, cx, cy, t.r + ringGap(t) + 1);
    var d = "M" + a[0].toFixed(1) + "," + a[1].toFixed(1);
    d += edge.mutual ? " Q" + cx.toFixed(1) + "," + cy.toFixed(1) + " " : " L";
    edge.element.setAttribute("d", d + b[0].toFixed(1) + "," + b[1].toFixed(1));
  }
  function place(node) {
    node.element.setAttribute("transform", "translate(" + node.x + " " + node.y + ")");
  }

  data.nodes.forEach(function (node) {
    node.edges = [];
    node.neighbours = {};
    nodes[node.id] = node;
  });
  data.edges.forEach(function (edge) {
    var source = nodes[edge.source], target = nodes[edge.target];
    edge.element = make("path", {
      "class": edge.major ? "edge" : "edge minor", "stroke-width": edge.width,
      "marker-end": "url(#arrow)"
    }, edgeLayer);
    make("title", {}, edge.element).textContent =
      source.name + " depends on " + target.name + " (weight " + edge.weight + ")";
    source.edges.push(edge);
    target.edges.push(edge);
    source.neighbours[target.id] = true;
    target.neighbours[source.id] = true;
  });
  data.nodes.forEach(function (node) {
    var summary = node.summary;
    var group = make("g", {
      "class": "node c" + node.color, "data-id": node.id, tabindex: 0, role: "button",
      "aria-pressed": "false", "aria-label": node.name + ", " + summary
    }, nodeLayer);
    if (node.severity) {
      make("circle", { "class": "ring sev-" + node.severity, r: node.r + 4 }, group);
    }
    make("circle", { "class": "body", r: node.r }, group);
    // layout.py keeps these lines clear of other nodes (NAME_BOTTOM, SUMMARY_BOTTOM); a
    // summary without room there is drawn only on hover, focus or selection.
    make("text", { y: node.r + ringGap(node) + 15 }, group).textContent = node.label;
    make("text", {
      "class": node.show_summary ? "size" : "size extra", y: node.r + ringGap(node) + 29
    }, group).textContent = summary;
    make("title", {}, group).textContent = node.name + ": " + summary +
      ", " + plural(node.api, "public API item") +
      (node.severity ? ", worst finding " + node.severity : "");
    node.element = group;
    place(node);
  });
  data.edges.forEach(route);

  // Selection and the side panel ------------------------------------------------------
  function select(id) {
    selected = nodes[id] ? id : "";
    data.nodes.forEach(function (node) {
      var on = node.id === selected;
      node.element.classList.toggle("selected", on);
      node.element.classList.toggle("dim", selected !== "" && !on && !node.neighbours[selected]);
      node.element.setAttribute("aria-pressed", on ? "true" : "false");
    });
    data.edges.forEach(function (edge) {
      var hot = selected !== "" && (edge.source === selected || edge.target === selected);
      edge.element.classList.toggle("hot", hot);
      edge.element.classList.toggle("dim", selected !== "" && !hot);
      edge.element.setAttribute("marker-end",
        hot ? "url(#arrow-hot)" : selected !== "" ? "url(#arrow-dim)" : "url(#arrow)");
    });
    sections.forEach(function (section) {
      section.hidden = section.getAttribute("data-panel") !== (selected || "overview");
    });
    panel.scrollTop = 0;
  }
  document.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest("[data-select]") : null;
    if (!link) {
      return;
    }
    event.preventDefault();
    select(link.getAttribute("data-select"));
    if (!panel.contains(link)) {
      document.getElementById("graph").scrollIntoView({ block: "start" });
    }
  });
  nodeLayer.addEventListener("keydown", function (event) {
    var group = event.target.closest ? event.target.closest(".node") : null;
    if (group && (event.key === "Enter" || event.key === " ")) {
      event.preventDefault();
      select(group.getAttribute("data-id"));
    }
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") {
      select("");
    }
  });

  // Zoom and pan ---------------------------------------------------------------------
  function apply() {
    viewport.setAttribute("transform",
      "translate(" + view.x.toFixed(2) + " " + view.y.toFixed(2) + ") scale(" + view.k.toFixed(4) + ")");
  }
  function pointer(event) {
    var matrix = svg.getScreenCTM();
    var point = svg.createSVGPoint();
    point.x = event.clientX;
    point.y = event.clientY;
    return matrix ? point.matrixTransform(matrix.inverse()) : point;
  }
  function zoomAt(factor, x, y) {
    var k = clamp(view.k * factor, 0.25, 6);
    view.x = x - (x - view.x) * (k / view.k);
    view.y = y - (y - view.y) * (k / view.k);
    view.k = k;
    apply();
  }
  function fit() {
    // Everything drawn, labels included, in the untransformed coordinates of the viewport.
    var box = data.nodes.length ? nodeLayer.getBBox() : null;
    if (!box || !box.width || !box.height) {
      view = { k: 1, x: 0, y: 0 };
      apply();
      return;
    }
    var pad = 16;
    var k = clamp(Math.min(data.width / (box.width + 2 * pad),
      data.height / (box.height + 2 * pad)), 0.25, 1.5);
    view = {
      k: k,
      x: data.width / 2 - (box.x + box.width / 2) * k,
      y: data.height / 2 - (box.y + box.height / 2) * k
    };
    apply();
  }
  svg.addEventListener("wheel", function (event) {
    event.preventDefault();
    var at = pointer(event);
    zoomAt(Math.exp(-event.deltaY * 0.0015), at.x, at.y);
  }, { passive: false });
  svg.addEventListener("pointerdown", function (event) {
    if (event.button !== 0) {
      return;
    }
    var group = event.target.closest ? event.target.closest(".node") : null;
    var node = group ? nodes[group.getAttribute("data-id")] : null;
    var at = pointer(event);
    drag = {
      node: node, x: at.x, y: at.y, moved: false,
      startX: node ? node.x : view.x, startY: node ? node.y : view.y
    };
    try {
      svg.setPointerCapture(event.pointerId);
    } catch (error) {
      // A synthetic or already-released pointer cannot be captured; dragging still works.
    }
  });
  svg.addEventListener("pointermove", function (event) {
    if (!drag) {
      return;
    }
    var at = pointer(event), dx = at.x - drag.x, dy = at.y - drag.y;
    if (!drag.moved && dx * dx + dy * dy < 16) {
      return;
    }
    drag.moved = true;
    if (drag.node) {
      drag.node.x = drag.startX + dx / view.k;
      drag.node.y = drag.startY + dy / view.k;
      place(drag.node);
      drag.node.edges.forEach(route);
    } else {
      svg.classList.add("panning");
      view.x = drag.startX + dx;
      view.y = drag.startY + dy;
      apply();
    }
  });
  function release(event) {
    if (drag && !drag.moved && event.type === "pointerup") {
      select(drag.node ? drag.node.id : "");
    }
    drag = null;
    svg.classList.remove("panning");
  }
  svg.addEventListener("pointerup", release);
  svg.addEventListener("pointercancel", release);
  var edgeToggle = document.querySelector("[data-edges]");
  if (edgeToggle) {
    edgeToggle.addEventListener("click", function () {
      var all = !svg.classList.contains("all-edges");
      svg.classList.toggle("all-edges", all);
      edgeToggle.setAttribute("aria-pressed", all ? "true" : "false");
    });
  }
  document.querySelectorAll("[data-zoom]").forEach(function (button) {
    button.addEventListener("click", function () {
      var action = button.getAttribute("data-zoom");
      if (action === "fit") {
        fit();
      } else {
        zoomAt(action === "in" ? 1.25 : 0.8, data.width / 2, data.height / 2);
      }
    });
  });

  apply();
  var start = window.location.hash.slice(1);
  if (nodes[start]) {
    select(start);
  }
  document.documentElement.setAttribute("data-graph-ready", String(data.nodes.length));
})();
