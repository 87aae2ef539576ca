"""Shared by the expert mapping scripts: list a project's modules, write a mapping."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

# Directories that hold no production code of a service: an expert maps none of their files.
NOT_CODE = frozenset({"tests", "test", "testing", "migrations", "migration", "docs", "examples"})


def project_modules(root: Path, packages: Iterable[str]) -> list[str]:
    """Dotted names of every .py module of `packages` under `root`, tests and migrations left out.

    Every directory is named, with or without an `__init__.py` (namespace packages count).
    """
    names = []
    for package in packages:
        for path in sorted((root / package).rglob("*.py")):
            parts = path.relative_to(root).with_suffix("").parts
            if NOT_CODE & set(parts) or parts[-1].startswith("test_"):
                continue
            if parts[-1] == "__init__":
                parts = parts[:-1]
            if all(p.isidentifier() for p in parts):
                names.append(".".join(parts))
    return sorted(set(names))


# The benchmark's truth format names the shared kernel with this context.
SHARED = "shared"


def write(
    mapping: dict[str, str | None], path: Path, *, corpus: str, source: str, rule: str
) -> None:
    """Write the mapping in the benchmark's truth format and print a summary of the services.

    The format is that of the public decomposition benchmark (`truth/<corpus>.json`): every
    module maps to its context, or to "shared" for the shared kernel (never scored).
    """
    truth = {
        "corpus": corpus,
        "source": source,
        "root": ".",
        "rule": " ".join(rule.split()),
        "modules": {m: s or SHARED for m, s in sorted(mapping.items())},
    }
    path.write_text(json.dumps(truth, indent=1) + "\n", encoding="utf-8")
    sizes = Counter(s or "(shared)" for s in mapping.values())
    services = len([s for s in sizes if s != "(shared)"])
    print(f"{path.name}: {len(mapping)} modules, {services} services")
    for service, count in sorted(sizes.items()):
        print(f"  {service:<16} {count}")
