"""`decompose analyze`, `compare` and `schema` end to end on examples/monolith_app."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from decompose.cli import main

EXAMPLE = Path(__file__).parents[2] / "examples" / "monolith_app"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("report")
    code, _, stderr = run("analyze", str(EXAMPLE), "-o", str(out), "--no-cache")
    assert code == 0, stderr
    return out


def test_analyze_writes_every_report(report: Path) -> None:
    assert {p.name for p in report.iterdir()} == {"decomposition.json", "report.md", "report.html"}
    data = json.loads((report / "decomposition.json").read_text())
    assert data["schema_version"] and data["services"] and data["findings"]


def test_example_agrees_with_the_architect(report: Path) -> None:
    code, stdout, _ = run(
        "compare", str(report / "decomposition.json"), str(EXAMPLE / "expected_decomposition.json")
    )
    assert code == 0
    mojofm = float(next(line for line in stdout.splitlines() if "MoJoFM (A→B)" in line).split()[-2])
    assert mojofm >= 0.9


def test_horizontal_api_layer_is_sliced(report: Path) -> None:
    modules = {
        m["name"]: m["service"]
        for m in json.loads((report / "decomposition.json").read_text())["modules"]
    }
    for domain in ("catalog", "customers", "inventory", "orders", "payments", "shipping"):
        assert modules[f"shop.api.{domain}"] == modules[f"shop.{domain}.service"] == domain
    assert modules["shop.api.notifications"] == modules["shop.notifications.outbox"]


def test_checkout_transaction_and_cross_domain_keys_are_findings(report: Path) -> None:
    findings = json.loads((report / "decomposition.json").read_text())["findings"]
    kinds = {f["kind"] for f in findings}
    assert {"distributed_transaction", "cross_service_fk", "service_cycle"} <= kinds
    transaction = next(f for f in findings if f["kind"] == "distributed_transaction")
    assert {"orders", "inventory", "payments"} <= set(transaction["services"])
    assert transaction["locations"][0]["path"] == "shop/checkout/service.py"
    fk = {tuple(f["services"]) for f in findings if f["kind"] == "cross_service_fk"}
    assert ("customers", "orders") in fk and ("catalog", "orders") in fk


def test_same_input_same_bytes(report: Path, tmp_path: Path) -> None:
    assert run("analyze", str(EXAMPLE), "-o", str(tmp_path))[0] == 0
    for name in ("decomposition.json", "report.md", "report.html"):
        assert (tmp_path / name).read_bytes() == (report / name).read_bytes(), name


def test_timings_name_every_phase_and_add_up(tmp_path: Path) -> None:
    code, _, stderr = run("analyze", str(EXAMPLE), "-o", str(tmp_path), "--no-cache", "--timings")
    assert code == 0, stderr
    seconds, beside = {}, 0.0
    for line in stderr.splitlines():
        # `report html    0.200 s  (0.150 s beside)`: written while the others were
        found = re.fullmatch(r"(\S+(?: \S+)*) {2,}([0-9.]+) s(?:  \(([0-9.]+) s beside\))?", line)
        if found:
            seconds[found[1]] = float(found[2])
            beside += float(found[3] or 0.0)
    phases = ["discover", "extract", "graph", "cluster", "findings", "measure", "assemble"]
    phases += ["report json", "report md", "report html", "replace"]
    assert list(seconds) == [*phases, "total"]
    # the total is the wall clock: what ran beside the others counts once
    total = sum(seconds[p] for p in phases) - beside
    assert seconds["total"] == pytest.approx(total, abs=0.01)


def test_fail_on_a_finding_kind_exits_1(tmp_path: Path) -> None:
    code, _, stderr = run(
        "analyze", str(EXAMPLE), "-o", str(tmp_path), "--fail-on", "distributed_transaction"
    )
    assert code == 1 and "--fail-on" in stderr


def test_keeps_a_file_it_did_not_write_unless_forced(tmp_path: Path) -> None:
    notes = tmp_path / "report.md"
    notes.write_text("# Team notes\n", encoding="utf-8")
    code, _, stderr = run("analyze", str(EXAMPLE), "-o", str(tmp_path))
    assert code == 2 and "report.md exists and was not written by decompose" in stderr
    assert "--force" in stderr and "Traceback" not in stderr
    assert [p.name for p in tmp_path.iterdir()] == ["report.md"]
    assert notes.read_text(encoding="utf-8") == "# Team notes\n"

    assert run("analyze", str(EXAMPLE), "-o", str(tmp_path), "--force")[0] == 0
    assert notes.read_text(encoding="utf-8").startswith("# Decomposition of ")
    # Its own reports it replaces on the next run without being asked.
    assert run("analyze", str(EXAMPLE), "-o", str(tmp_path))[0] == 0


def test_schema_is_json_schema() -> None:
    code, stdout, _ = run("schema")
    schema = json.loads(stdout)
    assert code == 0 and "services" in schema["properties"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["analyze", str(EXAMPLE), "--services", "3", "--resolution", "1"], "exclude each other"),
        (["analyze", str(EXAMPLE), "--pin", "nonsense"], "MODULE=SERVICE"),
        (["analyze", str(EXAMPLE), "--format", "pdf"], "choose from"),
        (["analyze", str(EXAMPLE), "--algorithm", "kmeans"], "Invalid value"),
        (["compare", "missing.json", "also-missing.json"], "no such file"),
    ],
)
def test_bad_options_exit_2(args: list[str], message: str, tmp_path: Path) -> None:
    code, _, stderr = run(*args, *(["-o", str(tmp_path)] if args[0] == "analyze" else []))
    assert code == 2 and message in stderr and "Traceback" not in stderr


def test_compare_rejects_a_file_that_is_not_a_mapping(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("[1, 2]")
    code, _, stderr = run("compare", str(bad), str(bad))
    assert code == 2 and "mapping" in stderr
