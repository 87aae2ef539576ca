"""The scaffold of the fixture, compared byte for byte with tests/golden/scaffold/."""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

import pytest

from decompose.model import Decomposition
from decompose.scaffold import plan_scaffold

FIXTURE = Path(__file__).parents[2] / "fixtures" / "scaffold" / "decomposition.json"
GOLDEN = Path(__file__).parents[2] / "golden" / "scaffold"
# One representative service (it calls two others, owns tables, has GET, POST and 204
# endpoints and untyped parameters), the hostile name's README, and the top-level files.
REPRESENTATIVE = ("orders/",)
SINGLE_FILES = (
    ".dockerignore",
    "README.md",
    "cafe-notifications/README.md",
    "contracts/orders.v1.openapi.json",
    "contracts/orders.v1.asyncapi.json",
    "deploy/k8s/orders.yaml",
    "docker-compose.yml",
    "gateway/step-2.conf.template",
    "deploy/k8s/strangler/step-2.yaml",
    "observability/otel-collector.yaml",
    "Makefile",
    "requirements-dev.txt",
)


def _golden_files() -> dict[str, str]:
    plan = plan_scaffold(
        Decomposition.model_validate_json(FIXTURE.read_text(encoding="utf-8")), Path("out")
    )
    return {
        f.relpath: f.content
        for f in plan.files
        if f.relpath.startswith(REPRESENTATIVE) or f.relpath in SINGLE_FILES
    }


FILES = _golden_files()


class Golden(Protocol):
    def check(self, relpath: str, text: str) -> None: ...


@pytest.mark.parametrize("relpath", sorted(FILES))
def test_scaffold_matches_golden_file(relpath: str, golden: Golden) -> None:
    golden.check(f"scaffold/{relpath}", FILES[relpath])


def test_no_stale_golden_file() -> None:
    on_disk = {p.relative_to(GOLDEN).as_posix() for p in GOLDEN.rglob("*") if p.is_file()}
    on_disk.discard("conftest.py")  # keeps pytest out of the golden services

    assert on_disk <= set(FILES), f"golden files nothing generates: {sorted(on_disk - set(FILES))}"
