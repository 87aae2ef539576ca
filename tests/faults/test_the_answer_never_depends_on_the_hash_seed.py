"""Promise: the same project and settings give the same bytes, whatever Python's hash seed.

Asking for more services than the contexts found splits the largest with Louvain; the
part it split used to be listed in the order of a set of module names, which changes
from one interpreter to the next.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLE = Path(__file__).parents[2] / "examples" / "monolith_app"


def _report(out: Path, hash_seed: str, *options: str) -> bytes:
    command = [sys.executable, "-m", "decompose", "analyze", str(EXAMPLE), "-o", str(out)]
    run = subprocess.run(
        [*command, "--format", "json", *options],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        env={**os.environ, "PYTHONHASHSEED": hash_seed},
    )
    assert run.returncode == 0, run.stderr
    return (out / "decomposition.json").read_bytes()


@pytest.mark.parametrize("services", ["12", "15"])
def test_the_same_services_whatever_the_hash_seed(services: str, tmp_path: Path) -> None:
    reports = {
        seed: _report(tmp_path / seed, seed, "--services", services) for seed in ("1", "2", "3")
    }
    assert reports["1"] == reports["2"] == reports["3"]
