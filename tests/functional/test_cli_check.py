"""`decompose check` end to end on a copy of the sample monolith: the team's workflow."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from decompose.cli import main

EXAMPLE = Path(__file__).parents[2] / "examples" / "monolith_app"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of the sample app with the boundaries its proposal states, and a baseline."""
    root = tmp_path / "shop-app"
    shutil.copytree(EXAMPLE / "shop", root / "shop")
    out = tmp_path / "out"
    assert run("analyze", str(root), "-o", str(out), "--format", "json")[0] == 0
    boundaries = root / "decompose-boundaries.toml"
    code, _, stderr = run("boundaries", str(out / "decomposition.json"), "-o", str(boundaries))
    assert code == 0, stderr
    code, _, stderr = run("check", str(root), "--update-baseline")
    assert code == 0, stderr
    assert (root / "decompose-baseline.json").is_file()
    return root


def test_a_project_that_keeps_to_its_baseline_passes(project: Path) -> None:
    code, stdout, _ = run("check", str(project))
    assert code == 0
    assert stdout.splitlines()[-1].startswith("21 violations: 0 new (0 errors); 21 in the baseline")


def test_a_new_use_of_another_services_internals_fails_and_says_what_to_use(
    project: Path,
) -> None:
    rates = project / "shop" / "shipping" / "rates.py"
    lines = rates.read_text().count("\n")
    rates.write_text(
        rates.read_text()
        + "\nfrom shop.orders.service import get_by_number\n\n"
        + "def find(number):\n    return get_by_number(number)\n"
    )
    code, stdout, _ = run("check", str(project))
    assert code == 1
    first = stdout.splitlines()[0]
    assert first == (
        f"shop/shipping/rates.py:{lines + 2}: error [internal_use] shop.shipping.rates "
        "(shipping) uses shop.orders.service.get_by_number, internal to orders"
    )
    assert "use the public API of orders (shop.orders.service:get_order" in stdout


def test_a_violation_paid_down_is_reported_fixed_and_leaves_the_baseline(project: Path) -> None:
    models = project / "shop" / "shipping" / "models.py"
    models.write_text(models.read_text().replace('ForeignKey("orders.id"), ', ""))
    code, stdout, _ = run("check", str(project))
    assert code == 0
    key = "cross_service_fk|shop.shipping.models:Shipment|shop.orders.models:Order"
    assert f"fixed: {key}" in stdout
    assert "20 violations: 0 new (0 errors); 20 in the baseline, 1 fixed since it" in stdout
    assert run("check", str(project), "--update-baseline")[0] == 0
    assert key not in (project / "decompose-baseline.json").read_text()


def test_machine_formats(project: Path) -> None:
    code, stdout, _ = run("check", str(project), "--format", "json")
    assert code == 0 and len(json.loads(stdout)["known"]) == 21
    code, stdout, _ = run("check", str(project), "--format", "sarif")
    assert json.loads(stdout)["version"] == "2.1.0"
    baseline = project / "decompose-baseline.json"
    baseline.unlink()
    code, stdout, _ = run("check", str(project), "--format", "github")
    assert code == 1
    assert stdout.startswith("::error file=shop/")


@pytest.mark.parametrize(
    ("boundaries", "message"),
    [
        (
            '[services.a]\nmodules = ["shop.orders"]\ndepends_on = ["billing"]\n',
            "which is no service",
        ),
        ('[services.a]\nmodules = ["shop.orderz"]\n', "shop.orderz matches no module"),
        (
            '[services.a]\nmodules = ["shop.orders"]\n[services.b]\nmodules = ["shop.orders"]\n',
            "is in two services",
        ),
        ("[services.a]\nmodule = ['shop']\n", "services.a.module"),
    ],
)
def test_a_bad_boundary_file_is_one_line_and_exit_2(
    tmp_path: Path, boundaries: str, message: str
) -> None:
    root = tmp_path / "app"
    shutil.copytree(EXAMPLE / "shop", root / "shop")
    (root / "b.toml").write_text(boundaries)
    code, _, stderr = run("check", str(root), "--boundaries", str(root / "b.toml"))
    assert code == 2
    assert message in stderr
    assert "Traceback" not in stderr and len(stderr.strip().splitlines()) <= 2  # error + hint


def test_without_boundaries_check_says_how_to_get_them(tmp_path: Path) -> None:
    root = tmp_path / "app"
    shutil.copytree(EXAMPLE / "shop", root / "shop")
    code, _, stderr = run("check", str(root))
    assert code == 2 and "no boundaries to check" in stderr and "decompose boundaries" in stderr


def test_boundaries_never_replace_a_file_unasked(project: Path, tmp_path: Path) -> None:
    target = project / "decompose-boundaries.toml"
    before = target.read_text()
    code, _, stderr = run(
        "boundaries", str(tmp_path / "out" / "decomposition.json"), "-o", str(target)
    )
    assert code == 2 and "exists" in stderr and target.read_text() == before


def test_boundaries_in_pyproject_are_checked_and_pin_the_next_analysis(tmp_path: Path) -> None:
    root = tmp_path / "app"
    shutil.copytree(EXAMPLE / "shop", root / "shop")
    (root / "pyproject.toml").write_text(
        '[tool.decompose]\nshared = ["shop.kernel", "shop.utils", "shop.__init__"]\n'
        'wiring = ["shop.app"]\n'
        '[tool.decompose.services.storefront]\nmodules = ["shop.catalog", "shop.inventory"]\n'
    )
    code, stdout, _ = run("check", str(root))
    assert code == 0 and "modules in no service" in stdout
    out = tmp_path / "out"
    assert run("analyze", str(root), "-o", str(out), "--format", "json")[0] == 0
    modules = json.loads((out / "decomposition.json").read_text())["modules"]
    placed = {m["name"]: m["service"] for m in modules}
    assert placed["shop.catalog.models"] == placed["shop.inventory.service"] == "storefront"


def test_an_accepted_boundary_file_pins_the_next_analysis(project: Path, tmp_path: Path) -> None:
    boundaries = project / "decompose-boundaries.toml"
    text = boundaries.read_text().replace('    "shop.legacy_promo",\n', "")
    text = text.replace(
        'modules = ["shop.api.customers", "shop.customers"]',
        'modules = ["shop.api.customers", "shop.customers", "shop.legacy_promo"]',
    )
    boundaries.write_text(text)
    out = tmp_path / "again"
    assert run("analyze", str(project), "-o", str(out), "--format", "json")[0] == 0
    modules = json.loads((out / "decomposition.json").read_text())["modules"]
    placed = {m["name"]: m for m in modules}
    assert placed["shop.legacy_promo"]["service"] == "customers"
    assert placed["shop.legacy_promo"]["placement"]["reason"] == "pinned"


def test_a_cycle_says_which_imports_make_it(project: Path) -> None:
    _code, stdout, _ = run("check", str(project), "--format", "json")
    cycle = next(v for v in json.loads(stdout)["known"] if v["rule"] == "service_cycle")
    assert cycle["hint"].startswith("the dependencies that make it: shop/")
