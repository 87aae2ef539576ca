"""End to end: scaffold the fixture, then run, serve, validate and lint what was written."""

from __future__ import annotations

import contextlib
import http.server
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from decompose.api import analyze
from decompose.config import Settings
from decompose.model import Decomposition
from decompose.scaffold import scaffold
from decompose.scaffold.views import ServiceView, build_view

pytestmark = pytest.mark.slow

FIXTURE = Path(__file__).parents[1] / "fixtures" / "scaffold" / "decomposition.json"
EXAMPLE = Path(__file__).parents[2] / "examples" / "monolith_app"


def _fixture() -> Decomposition:
    return Decomposition.model_validate_json(FIXTURE.read_text(encoding="utf-8"))


def _example() -> Decomposition:
    return analyze(EXAMPLE, Settings(cache=False))


@pytest.fixture(scope="module", params=[_fixture, _example], ids=["fixture", "monolith_app"])
def services(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("scaffold") / "services"
    scaffold(request.param(), out)
    return out


def _labels(services: Path) -> list[str]:
    return sorted(p.name for p in services.iterdir() if (p / "Dockerfile").exists())


def _environment(services: Path, label: str) -> dict[str, str]:
    # Each service imports its own package and client, and its peers' clients.
    paths = [services / label / "src", *sorted(services.glob("*/client/src"))]
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST_", "COV_"))}
    env["PYTHONPATH"] = os.pathsep.join(str(p) for p in paths)
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    return env


def test_every_service_folder_was_written(services: Path) -> None:
    contracts = sorted(
        p.name.split(".")[0] for p in (services / "contracts").glob("*.openapi.json")
    )
    assert _labels(services) == contracts and len(contracts) >= 4


def test_generated_services_pass_their_own_tests(services: Path) -> None:
    failures = []
    for label in _labels(services):
        result = subprocess.run(
            [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"],
            cwd=services / label,
            env=_environment(services, label),
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        if result.returncode != 0 or " passed" not in result.stdout:
            failures.append(f"{label}:\n{result.stdout[-3000:]}{result.stderr[-1500:]}")
    assert not failures, "\n\n".join(failures)


def test_every_generated_service_runs_under_uvicorn(services: Path) -> None:
    for label in _labels(services):
        package = next((services / label / "src").glob("*_service")).name
        stderr = _serve_and_probe(services, label, package)
        # Logs are JSON lines, uvicorn's included.
        lines = [line for line in stderr.splitlines() if line.strip()]
        assert lines, label
        assert all(json.loads(line)["service"] for line in lines), label
        # Two probes, two request lines: uvicorn's access log does not repeat them.
        entries = [json.loads(line) for line in lines]
        assert [e["path"] for e in entries if e["message"] == "request served"] == [
            "/healthz",
            "/readyz",
        ], label
        assert not [e for e in entries if e["logger"] == "uvicorn.access"], label


def _serve_and_probe(services: Path, label: str, package: str) -> str:
    """Start one service under uvicorn on a free loopback port, probe it, stop it."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            f"{package}.app:app",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
        ],
        cwd=services / label,
        env=_environment(services, label),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        body = _get_when_up(f"http://127.0.0.1:{port}/healthz", server)
        assert json.loads(body) == {"status": "ok"}, label
        ready = json.loads(_get_when_up(f"http://127.0.0.1:{port}/readyz", server))
        assert ready == {"status": "ready"}, label
    finally:
        server.terminate()
        _, stderr = server.communicate(timeout=10)
    return stderr.decode()


def _get_when_up(url: str, server: subprocess.Popen[bytes]) -> bytes:
    deadline = time.monotonic() + 15
    while True:
        try:
            with urllib.request.urlopen(url, timeout=1) as response:
                data: bytes = response.read()
                return data
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                raise
            time.sleep(0.1)


def test_contracts_are_valid_openapi(services: Path) -> None:
    from openapi_spec_validator import validate

    for label in _labels(services):
        contract = json.loads((services / "contracts" / f"{label}.v1.openapi.json").read_text())
        validate(contract)
        assert contract["openapi"].startswith("3.")


def test_kubernetes_manifests_are_valid(services: Path) -> None:
    import kubernetes_validate

    for label in _labels(services):
        manifest = services / "deploy" / "k8s" / f"{label}.yaml"
        documents = list(yaml.safe_load_all(manifest.read_text()))
        assert [d["kind"] for d in documents] == [
            "Deployment",
            "Service",
            "PodDisruptionBudget",
            "HorizontalPodAutoscaler",
        ]
        for document in documents:
            kubernetes_validate.validate(document, "1.30", strict=True)
        container = documents[0]["spec"]["template"]["spec"]["containers"][0]
        assert container["livenessProbe"]["httpGet"]["path"] == "/healthz"
        assert container["readinessProbe"]["httpGet"]["path"] == "/readyz"
        assert container["resources"]["limits"]


def test_docker_compose_wires_services_through_url_variables(services: Path) -> None:
    compose = yaml.safe_load((services / "docker-compose.yml").read_text())

    databases = [f"{label}-db" for label in _labels(services)]
    infrastructure = ["gateway", "jaeger", "otel-collector"]
    assert sorted(compose["services"]) == sorted(_labels(services) + databases + infrastructure)
    orders = compose["services"]["orders"]
    assert orders["build"] == {"context": ".", "dockerfile": "orders/Dockerfile"}
    environment = orders["environment"]
    peers = {k: v for k, v in environment.items() if k.endswith("_URL") and k != "DATABASE_URL"}
    assert peers and all(v == f"http://{k[:-4].lower()}:8000" for k, v in peers.items())


@pytest.mark.parametrize("check", [["check"], ["format", "--check"]], ids=["lint", "format"])
def test_generated_code_passes_ruff(services: Path, check: list[str]) -> None:
    # formatted as the services' own pyproject says: a user's first `ruff format` changes nothing
    ruff = shutil.which("ruff") or shutil.which("ruff", path=str(Path(sys.executable).parent))
    command = [ruff] if ruff else [sys.executable, "-m", "ruff"]

    result = subprocess.run(
        [*command, *check, "--no-cache", "."],
        cwd=services,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert result.returncode == 0, result.stdout + result.stderr


LOCATION = re.compile(
    r'^\s*location (=|~) "((?:[^"\\]|\\.)*)" \{\n\s*set \$upstream http://([^:]+):', re.M
)


class _Named(http.server.BaseHTTPRequestHandler):
    """Answers every GET with the name of the server it belongs to."""

    def do_GET(self) -> None:
        body = self.server.name.encode()  # type: ignore[attr-defined]
        self.send_response(200)
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@contextlib.contextmanager
def _backends(names: list[str]) -> Iterator[dict[str, int]]:
    """One HTTP server on loopback per name; yields each one's port."""
    servers = []
    for name in names:
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Named)
        server.name = name  # type: ignore[attr-defined]
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
    try:
        yield {name: s.server_address[1] for name, s in zip(names, servers, strict=True)}
    finally:
        for server in servers:
            server.shutdown()
            server.server_close()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _sample(modifier: str, pattern: str) -> str:
    """A path the location matches."""
    if modifier == "=":
        return pattern
    return re.sub(
        r"\\(.)", r"\1", pattern.removeprefix("^").removesuffix("$").replace("[^/]+", "x")
    )


@pytest.mark.skipif(shutil.which("nginx") is None, reason="nginx is not installed")
def test_gateway_steps_route_through_a_real_nginx(services: Path, tmp_path: Path) -> None:
    steps = sorted(
        (services / "gateway").glob("step-*.conf.template"),
        key=lambda p: int(p.name.split(".")[0].removeprefix("step-")),
    )
    last = steps[-1].read_text()
    samples = {label: _sample(m, p) for m, p, label in reversed(LOCATION.findall(last))}
    order = re.findall(r"^    # (\S+), extracted at step \d+$", last, re.M)
    assert samples and len(steps) == len(order) + 1

    with _backends(["monolith", *order]) as ports:
        for number, step in enumerate(steps):
            text = step.read_text().replace(
                "${MONOLITH_URL}", f"http://127.0.0.1:{ports['monolith']}"
            )
            for label in order:
                text = text.replace(f"http://{label}:8000", f"http://127.0.0.1:{ports[label]}")
            port = _free_port()
            text = text.replace("listen 8080;", f"listen 127.0.0.1:{port};")
            answers = _through_nginx(
                tmp_path / str(number), text, port, [*samples.values(), "/elsewhere"]
            )
            expected = [label if label in order[:number] else "monolith" for label in samples]
            assert answers == [*expected, "monolith"], step.name


def _through_nginx(workdir: Path, server: str, port: int, paths: list[str]) -> list[str]:
    (workdir / "logs").mkdir(parents=True)
    (workdir / "step.conf").write_text(server)
    (workdir / "nginx.conf").write_text(
        f"pid {workdir}/nginx.pid;\nerror_log {workdir}/logs/error.log;\nevents {{}}\n"
        f"http {{\n  access_log off;\n  include {workdir}/step.conf;\n}}\n"
    )
    nginx = subprocess.Popen(
        ["nginx", "-p", str(workdir), "-c", str(workdir / "nginx.conf"), "-g", "daemon off;"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        answers = []
        for path in paths:
            body = _get_when_up(f"http://127.0.0.1:{port}{path}", nginx)
            answers.append(body.decode())
        return answers
    finally:
        nginx.terminate()
        nginx.communicate(timeout=10)


class _Traces(http.server.BaseHTTPRequestHandler):
    """An OTLP/HTTP receiver: keeps the spans of every export, with their service's name."""

    def do_POST(self) -> None:
        from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import (
            ExportTraceServiceRequest,
        )

        export = ExportTraceServiceRequest()
        export.ParseFromString(self.rfile.read(int(self.headers["content-length"])))
        for resource_spans in export.resource_spans:
            attributes = {a.key: a.value.string_value for a in resource_spans.resource.attributes}
            for scope_spans in resource_spans.scope_spans:
                for span in scope_spans.spans:
                    self.server.spans.append((attributes["service.name"], span))  # type: ignore[attr-defined]
        self.send_response(200)
        self.send_header("content-type", "application/x-protobuf")
        self.send_header("content-length", "0")
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


RELAY = """
from fastapi import Request

from {package}.app import create_app

app = create_app()


@app.get("/v1/_test/relay")
async def relay(request: Request, hops: str = "") -> dict[str, str]:
    if hops:
        peer, _, rest = hops.partition(",")
        client = getattr(request.app.state.peers, peer)
        await client.caller.send("GET", "/v1/_test/relay", idempotent=True, params={{"hops": rest}})
    return {{"relayed": "yes"}}
"""


def _chain_of_three() -> list[ServiceView]:
    services = {s.names.label: s for s in build_view(_example()).services}
    for first in services.values():
        for second in first.peers:
            for third in services[second.names.label].peers:
                if third.names.label not in (first.names.label, second.names.label):
                    return [first, services[second.names.label], services[third.names.label]]
    raise AssertionError("the sample app has no chain of three services")


def test_one_request_through_three_services_is_one_trace(tmp_path: Path) -> None:
    chain = _chain_of_three()
    services = tmp_path / "services"
    scaffold(_example(), services)
    receiver = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Traces)
    receiver.spans = []  # type: ignore[attr-defined]
    threading.Thread(target=receiver.serve_forever, daemon=True).start()
    ports = {s.names.label: _free_port() for s in chain}
    processes = []
    try:
        for service in chain:
            processes.append(_start_relay(services, tmp_path, service, ports, receiver))
        for service, process in zip(chain, processes, strict=True):
            _get_when_up(f"http://127.0.0.1:{ports[service.names.label]}/healthz", process)
        trace_id = "4bf92f3577b34da6a3ce929d0e0e4736"
        hops = ",".join(s.names.ident for s in chain[1:])
        request = urllib.request.Request(
            f"http://127.0.0.1:{ports[chain[0].names.label]}/v1/_test/relay?hops={hops}",
            headers={"traceparent": f"00-{trace_id}-00f067aa0ba902b7-01"},
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            assert json.loads(response.read()) == {"relayed": "yes"}
    finally:
        for process in processes:
            process.terminate()
            process.communicate(timeout=10)
        receiver.shutdown()
        receiver.server_close()

    spans = [(name, span) for name, span in receiver.spans if span.trace_id.hex() == trace_id]  # type: ignore[attr-defined]
    servers = {name for name, span in spans if span.kind == span.SPAN_KIND_SERVER}
    clients = {name for name, span in spans if span.kind == span.SPAN_KIND_CLIENT}
    labels = [s.names.label for s in chain]
    assert servers == set(labels)
    assert clients == set(labels[:2])
    assert not [s for _, s in receiver.spans if s.trace_id.hex() != trace_id]  # type: ignore[attr-defined]


def _start_relay(
    services: Path,
    workdir: Path,
    service: ServiceView,
    ports: dict[str, int],
    receiver: http.server.ThreadingHTTPServer,
) -> subprocess.Popen[bytes]:
    """One service under uvicorn, with a relay route that calls the next service."""
    label = service.names.label
    (workdir / label).mkdir()
    (workdir / label / "relay.py").write_text(RELAY.format(package=service.names.package))
    env = _environment(services, label)
    env["PYTHONPATH"] += os.pathsep + str(workdir / label)
    env["OTEL_EXPORTER_OTLP_ENDPOINT"] = f"http://127.0.0.1:{receiver.server_address[1]}"
    env["OTEL_BSP_SCHEDULE_DELAY"] = "100"
    for peer in service.peers:
        if peer.names.label in ports:
            env[peer.names.url_env] = f"http://127.0.0.1:{ports[peer.names.label]}"
    command = [sys.executable, "-m", "uvicorn", "relay:app", "--host", "127.0.0.1"]
    return subprocess.Popen(
        [*command, "--port", str(ports[label])],
        cwd=services / label,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
