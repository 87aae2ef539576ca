"""Packages imported by their bare names, from a folder the project puts on sys.path."""

from __future__ import annotations

from pathlib import Path

import networkx as nx

from decompose.api import analyze_graph
from decompose.config import Settings


def _write(root: Path, files: dict[str, str]) -> None:
    for relpath, text in files.items():
        path = root / relpath
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def _graph(root: Path) -> nx.DiGraph:
    return analyze_graph(root, Settings(cache=False)).graph


def _site(extra: dict[str, str] | None = None) -> dict[str, str]:
    """`site/` runs with its own folder on the path: its apps import one another bare."""
    files = {
        "site/__init__.py": "",
        "site/manage.py": "import sys\nsys.path.insert(0, '.')\n",
        "site/orders/__init__.py": "",
        "site/orders/models.py": "from users.models import User\nclass Order: ...\n",
        "site/orders/views.py": "from orders.models import Order\nfrom billing import api\n",
        "site/billing/__init__.py": "",
        "site/billing/api.py": "from orders.models import Order\nfrom users.models import User\n",
        "site/users/__init__.py": "",
        "site/users/models.py": "class User: ...\n",
        # a wrapper named after the library it wraps, imported as the library
        "site/web/__init__.py": "",
        "site/web/flask/__init__.py": "from flask import Flask\n",
        "site/web/flask/util.py": "import flask\nfrom flask.json import dumps\n",
    }
    return {**files, **(extra or {})}


def test_bare_imports_of_a_folder_on_the_path_reach_its_packages(tmp_path: Path) -> None:
    _write(tmp_path, _site())
    g = _graph(tmp_path)
    assert g.has_edge("site.orders.views", "site.orders.models")
    assert g.has_edge("site.orders.views", "site.billing.api")
    assert g.has_edge("site.billing.api", "site.users.models")
    assert g.graph["aliases"]["orders"] == "site.orders"
    # the library's name stays the library's
    assert not g.has_edge("site.web.flask.util", "site.web.flask")
    assert "flask" in g.nodes["site.web.flask.util"]["third_party"]


def test_children_named_like_the_libraries_the_code_uses_make_no_source_root(
    tmp_path: Path,
) -> None:
    wrappers = ("redis", "celery", "requests")
    files = {"app/__init__.py": "", "app/util/__init__.py": ""}
    for name in wrappers:
        files |= {f"app/util/{name}/__init__.py": "", f"app/util/{name}/client.py": ""}
    # half of what the code imports from each library is not in the wrapper
    files["app/jobs.py"] = "".join(
        f"from {name}.client import C\nfrom {name}.exceptions import E\n" for name in wrappers
    )
    _write(tmp_path, files)
    g = _graph(tmp_path)
    assert not g.has_edge("app.jobs", "app.util.redis.client")
    assert set(g.nodes["app.jobs"]["third_party"]) == set(wrappers)
