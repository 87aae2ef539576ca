"""The strangler-fig gateway: one nginx configuration per step of the extraction order."""

from __future__ import annotations

import re
from pathlib import Path

import kubernetes_validate
import pytest
import yaml

from decompose.model import Decomposition
from decompose.scaffold import plan_scaffold
from decompose.scaffold.api_views import EndpointView
from decompose.scaffold.gateway import Location, locations
from decompose.scaffold.views import build_view

FIXTURE = Path(__file__).parents[2] / "fixtures" / "scaffold" / "decomposition.json"
LOCATION = re.compile(r'^\s*location (=|~) "((?:[^"\\]|\\.)*)" \{\n\s*set \$upstream (\S+);', re.M)


def _endpoint(path: str) -> EndpointView:
    return EndpointView("op", "GET", path, "summary", "shop:op", "function")


@pytest.fixture(scope="module")
def decomposition() -> Decomposition:
    return Decomposition.model_validate_json(FIXTURE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def files(decomposition: Decomposition) -> dict[str, str]:
    return {f.relpath: f.content for f in plan_scaffold(decomposition, Path("out")).files}


def test_fixed_paths_match_exactly_and_parameters_match_one_segment() -> None:
    found = locations([_endpoint("/v1/orders/{order_id}/lines"), _endpoint("/v1/get-user")])

    assert found == (
        Location("=", "/v1/get-user"),
        Location("~", r"^/v1/orders/[^/]+/lines$"),
    )
    assert re.fullmatch(found[1].pattern, "/v1/orders/42/lines")
    assert not re.fullmatch(found[1].pattern, "/v1/orders/4/2/lines")


def test_quotes_and_backslashes_cannot_leave_the_nginx_string() -> None:
    assert Location("=", 'a"b\\c').quoted == '"a\\"b\\\\c"'


def test_each_step_routes_the_services_extracted_so_far(
    decomposition: Decomposition, files: dict[str, str]
) -> None:
    view = build_view(decomposition)
    order = [step.names.label for step in view.migration if step.names]
    order += sorted(s.names.label for s in view.services if s.names.label not in order)
    paths = {
        s.names.label: {e.path for e in s.endpoints if not e.path.startswith("/internal/")}
        for s in view.services
    }
    assert any(paths.values())  # some service serves the monolith's own routes

    steps = sorted(p for p in files if p.startswith("gateway/"))
    assert steps == [f"gateway/step-{n}.conf.template" for n in range(len(order) + 1)]
    for number in range(len(order) + 1):
        text = files[f"gateway/step-{number}.conf.template"]
        routed: dict[str, set[str]] = {}
        for modifier, pattern, upstream in LOCATION.findall(text):
            label = upstream.removeprefix("http://").split(":")[0]
            routed.setdefault(label, set()).add(pattern if modifier == "=" else modifier)
        assert sorted(routed) == sorted(label for label in order[:number] if paths[label])
        assert "/internal/" not in text  # calls between services never go through the edge
        for label, patterns in routed.items():
            assert {p for p in patterns if p != "~"} <= paths[label]
        assert "location / {\n        proxy_pass ${MONOLITH_URL};" in text


def test_compose_runs_the_gateway_without_waiting_for_anyone(files: dict[str, str]) -> None:
    services = yaml.safe_load(files["docker-compose.yml"])["services"]
    gateway = services["gateway"]

    assert "depends_on" not in gateway
    assert "${STRANGLER_STEP:-0}" in gateway["volumes"][0]
    ports = [p for s in services.values() for p in s.get("ports", [])]
    assert len(ports) == len(set(ports))


def test_each_step_is_also_an_ingress_with_the_same_routes(files: dict[str, str]) -> None:
    steps = sorted(p for p in files if p.startswith("deploy/k8s/strangler/"))
    assert len(steps) == len([p for p in files if p.startswith("gateway/")])
    for number in range(len(steps)):
        ingress = yaml.safe_load(files[f"deploy/k8s/strangler/step-{number}.yaml"])
        kubernetes_validate.validate(ingress, "1.30", strict=True)
        nginx = files[f"gateway/step-{number}.conf.template"]
        expected = sorted(
            (re.sub(r"\\(.)", r"\1", pattern), upstream.split("//")[1].split(":")[0])
            for _, pattern, upstream in LOCATION.findall(nginx)
        )
        rules = ingress["spec"].get("rules", [{"http": {"paths": []}}])[0]["http"]["paths"]
        routed = sorted((r["path"], r["backend"]["service"]["name"]) for r in rules)
        assert routed == expected
        assert ingress["spec"]["defaultBackend"]["service"]["name"] == "monolith"
