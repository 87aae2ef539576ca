"""The scaffold as one system: compose starts it without cycles, make installs and tests it."""

from __future__ import annotations

import re
from pathlib import Path

import networkx as nx
import pytest
import yaml

from decompose.model import Decomposition
from decompose.scaffold import plan_scaffold
from decompose.scaffold.views import build_view

FIXTURE = Path(__file__).parents[2] / "fixtures" / "scaffold" / "decomposition.json"


@pytest.fixture(scope="module")
def decomposition() -> Decomposition:
    return Decomposition.model_validate_json(FIXTURE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def files(decomposition: Decomposition) -> dict[str, str]:
    return {f.relpath: f.content for f in plan_scaffold(decomposition, Path("out")).files}


def _depends_on(definition: dict[str, object]) -> list[str]:
    # Compose accepts a list of names or a mapping of name -> condition.
    listed = definition.get("depends_on", [])
    return sorted(listed) if isinstance(listed, (list, dict)) else []


def test_fixture_has_services_that_call_each_other(decomposition: Decomposition) -> None:
    # Without such a pair, the cycle test below could not fail.
    calls = {(s.name, d.service) for s in decomposition.services for d in s.depends_on}
    assert any((b, a) in calls for a, b in calls)


def test_compose_has_no_dependency_cycle(files: dict[str, str]) -> None:
    services = yaml.safe_load(files["docker-compose.yml"])["services"]
    graph = nx.DiGraph()
    graph.add_nodes_from(services)
    for name, definition in services.items():
        for target in _depends_on(definition):
            assert target in services, f"{name} depends on unknown {target}"
            graph.add_edge(name, target)

    assert nx.is_directed_acyclic_graph(graph), nx.find_cycle(graph)


def test_each_service_has_its_own_database_and_host_port(
    decomposition: Decomposition, files: dict[str, str]
) -> None:
    view = build_view(decomposition)
    services = yaml.safe_load(files["docker-compose.yml"])["services"]
    apps = {s.names.label: services[s.names.label] for s in view.services}

    databases = [_depends_on(definition) for definition in apps.values()]
    assert all(len(d) == 1 for d in databases)
    assert len({d[0] for d in databases}) == len(apps)
    for definition in apps.values():
        (database,) = _depends_on(definition)
        assert services[database]["image"].startswith("postgres:")
        assert f"@{database}:5432/" in definition["environment"]["DATABASE_URL"]
    ports = [port for d in apps.values() for port in d["ports"]]
    assert len(set(ports)) == len(ports) == len(apps)
    published = [name for name, s in services.items() if s.get("ports") and name not in apps]
    assert published == ["jaeger", "gateway"]


def test_each_readme_runs_its_service_on_its_own_port(
    decomposition: Decomposition, files: dict[str, str]
) -> None:
    view = build_view(decomposition)
    ports = []
    for service in view.services:
        readme = files[f"{service.names.label}/README.md"]
        (port,) = re.findall(r"uvicorn \S+ --port (\d+) --no-access-log", readme)
        ports.append(int(port))

    assert ports == [s.host_port for s in view.services]
    assert len(set(ports)) == len(ports)


def test_makefile_tests_every_service_from_one_environment(
    decomposition: Decomposition, files: dict[str, str]
) -> None:
    labels = [s.names.label for s in build_view(decomposition).services]
    makefile = files["Makefile"]

    (listed,) = re.findall(r"^SERVICES :=(.*)$", makefile, re.MULTILINE)
    assert listed.split() == labels
    assert re.search(r"^up:\n\tdocker compose up --build$", makefile, re.MULTILINE)
    assert re.search(r"^test: install$", makefile, re.MULTILINE)
    requirements = files["requirements-dev.txt"].splitlines()
    for label in labels:
        assert f"-e ./{label}/client" in requirements
        assert f"-e ./{label}[test]" in requirements


def test_a_service_with_tables_can_reach_its_postgres(
    decomposition: Decomposition, files: dict[str, str]
) -> None:
    from sqlalchemy.engine import make_url

    view = build_view(decomposition)
    services = yaml.safe_load(files["docker-compose.yml"])["services"]
    owners = [s.names.label for s in view.services if s.tables]
    assert owners
    for label in owners:
        url = make_url(services[label]["environment"]["DATABASE_URL"])
        assert url.drivername == "postgresql+psycopg"  # the driver it installs
        assert '"psycopg[binary]>=3.1"' in files[f"{label}/pyproject.toml"]
