"""A deterministic synthetic monolith: domain packages of 80-150 line modules that import."""

from __future__ import annotations

import argparse
import random
import shutil
from dataclasses import dataclass, field
from pathlib import Path

TOP = "mono"
_DOMAINS = (
    "accounts", "billing", "catalog", "checkout", "inventory", "orders", "payments", "shipping",
    "pricing", "search", "reviews", "notifications", "reports", "support", "marketing", "loyalty",
    "warehouse", "returns", "tax", "vendors", "content", "media", "analytics", "auth",
)  # fmt: skip
_LAYERS = ("api", "services", "views", "tasks", "forms", "serializers", "utils", "handlers")
_NOUNS = (
    "item", "record", "entry", "batch", "ledger", "rule", "policy", "event", "export", "importer",
    "sync", "audit", "quota", "limit", "token", "session", "invoice", "slot", "plan", "note",
)  # fmt: skip
_STDLIB = ("os", "json", "datetime", "decimal", "functools", "itertools", "re")


@dataclass
class _Module:
    name: str  # dotted
    is_package: bool
    domain: str
    symbols: list[str] = field(default_factory=list)  # public names it defines

    @property
    def package(self) -> str:
        return self.name if self.is_package else self.name.rpartition(".")[0]

    def path(self, root: Path) -> Path:
        parts = self.name.split(".")
        return (
            root.joinpath(*parts, "__init__.py")
            if self.is_package
            else (root.joinpath(*parts[:-1], parts[-1] + ".py"))
        )


def _camel(name: str) -> str:
    return "".join(part.capitalize() for part in name.split("_"))


def plan(modules: int, seed: int = 0) -> list[_Module]:
    """The module names of a tree of exactly `modules` modules, packages included."""
    rng = random.Random(seed)
    domains = max(2, round(modules / 200))
    out = [_Module(TOP, True, "core")]
    per_domain = (modules - 1) // domains
    for d in range(domains):
        base = _DOMAINS[d % len(_DOMAINS)]
        domain = base if d < len(_DOMAINS) else f"{base}{d // len(_DOMAINS)}"
        budget = per_domain + (1 if d < (modules - 1) % domains else 0)
        out.append(_Module(f"{TOP}.{domain}", True, domain))
        out.append(_Module(f"{TOP}.{domain}.models", False, domain))
        budget -= 2
        layers = list(_LAYERS)
        rng.shuffle(layers)
        layer_index = 0
        while budget > 0:
            layer = layers[layer_index % len(layers)]
            suffix = "" if layer_index < len(layers) else str(layer_index // len(layers))
            package = f"{TOP}.{domain}.{layer}{suffix}"
            out.append(_Module(package, True, domain))
            budget -= 1
            for n in range(min(budget, rng.randint(12, 30))):
                noun = _NOUNS[n % len(_NOUNS)] + ("" if n < len(_NOUNS) else str(n))
                out.append(_Module(f"{package}.{noun}", False, domain))
                budget -= 1
            layer_index += 1
    for module in out:
        stem = module.name.rpartition(".")[2]
        module.symbols = [_camel(stem) + "Service", f"run_{stem}", f"{stem.upper()}_LIMIT"]
        if stem == "models":
            module.symbols = [_camel(module.domain) + kind for kind in ("Account", "Entry", "Log")]
    return out


def _relative(source: _Module, target: str) -> str | None:
    """Dotted `target` written relative to `source`'s package, if it is within one level up."""
    here = source.package.split(".")
    there = target.split(".")
    for level in (1, 2):
        base = here[: len(here) - (level - 1)]
        if len(there) >= len(base) and there[: len(base)] == base:
            return "." * level + ".".join(there[len(base) :])
    return None


def _import_lines(
    module: _Module,
    rng: random.Random,
    by_domain: dict[str, list[_Module]],
    everyone: list[_Module],
) -> tuple[list[str], list[str]]:
    """Imports in every form; most stay within the domain, some reach other domains."""
    lines = ["from __future__ import annotations", ""]
    lines += [f"import {name}" for name in sorted(["logging", *rng.sample(_STDLIB, 2)])]
    lines += ["from typing import TYPE_CHECKING, Any", "", "import requests", ""]
    used: list[str] = []
    local = [m for m in by_domain[module.domain] if m.name != module.name] or everyone
    siblings = [m for m in local if m.package == module.package and m.name != module.name]
    for i in range(rng.randint(3, 7)):
        form = i % 6
        near = form == 0 and siblings
        target = rng.choice(siblings if near else local if rng.random() < 0.7 else everyone)
        if target.name == module.name:
            continue
        symbol = rng.choice(target.symbols)
        parent, _, leaf = target.name.rpartition(".")
        relative, relative_parent = _relative(module, target.name), _relative(module, parent)
        if form == 0 and relative:
            lines.append(f"from {relative} import {symbol}")
            used.append(symbol)
        elif form == 5 and relative_parent:
            lines.append(f"from {relative_parent} import {leaf}")
            used.append(f"{leaf}.{target.symbols[0]}")
        elif form == 1:
            lines.append(f"from {parent} import {leaf}")
            used.append(f"{leaf}.{target.symbols[0]}")
        elif form == 2:
            alias = "_".join(target.name.split(".")[1:])
            lines.append(f"import {target.name} as {alias}")
            used.append(f"{alias}.{symbol}")
        elif form == 3:
            lines.append(f"import {target.name}")
            used.append(f"{target.name}.{symbol}")
        else:
            lines.append(f"from {target.name} import {symbol}")
            used.append(symbol)
    if rng.random() < 0.05 and local:
        target = rng.choice(local)
        lines.append(f"from {target.name} import *  # noqa: F403")
    extra = rng.choice(everyone or local)
    lines += ["", "if TYPE_CHECKING:", f"    from {extra.name} import {extra.symbols[0]}", ""]
    optional = rng.choice(local or everyone)
    lines += [
        "try:",
        f"    from {optional.name} import {optional.symbols[1]} as _optional",
        "except ImportError:  # pragma: no cover",
        "    _optional = None",
        "",
    ]
    return lines, used


def _body(
    module: _Module, rng: random.Random, used: list[str], everyone: list[_Module]
) -> list[str]:
    """Classes and functions using the imported names, to a realistic length."""
    service, run, limit = module.symbols
    lines = ["logger = logging.getLogger(__name__)", f"{limit} = {rng.randint(10, 1000)}", "", ""]
    lines += [f"class {service}:", f'    """Operations on {module.name} records."""', ""]
    lines += ["    def __init__(self, client: Any = None) -> None:", "        self.client = client"]
    lines += ["        self.cache: dict[str, Any] = {}", ""]
    for m in range(rng.randint(4, 8)):
        call = used[m % len(used)] if used else "dict"
        lines += [
            f"    def step_{m}(self, key: str, value: int = {m}) -> dict[str, Any]:",
            f'        """Step {m}: look up, combine and store."""',
            "        if key in self.cache:",
            "            return self.cache[key]",
            f"        result = {{'key': key, 'value': value * {m + 1}, 'ref': {call!s}}}",
            f"        if value > {limit}:",
            f"            logger.warning('value %s over limit in step {m}', value)",
            "            result['clipped'] = True",
            "        self.cache[key] = result",
            "        return result",
            "",
        ]
    target = rng.choice(everyone)
    lines += [
        "",
        f"def {run}(items: list[str]) -> list[dict[str, Any]]:",
        f'    """Run {service} over items."""',
        f"    from {target.name} import {target.symbols[0]}  # lazy: avoids an import cycle",
        "",
        f"    service = {service}()",
        f"    _ = {target.symbols[0]}",
        "    return [service.step_0(item) for item in items]",
        "",
    ]
    if rng.random() < 0.1:
        dynamic = rng.choice(everyone)
        lines += [
            "",
            "def load_plugin() -> Any:",
            '    """Load the configured plugin module."""',
            "    import importlib",
            "",
            f'    return importlib.import_module("{dynamic.name}")',
            "",
        ]
    return lines


def _models(module: _Module, rng: random.Random, all_models: list[_Module]) -> list[str]:
    """A Django-style models module with foreign keys, some to other domains."""
    lines = ['"""Data model."""', "", "from django.db import models", ""]
    for i, name in enumerate(module.symbols):
        lines += ["", f"class {name}(models.Model):", f'    """A {name}."""', ""]
        lines.append("    name = models.CharField(max_length=200)")
        lines.append("    created = models.DateTimeField(auto_now_add=True)")
        if i:
            parent = module.symbols[0]
            lines.append(f"    parent = models.ForeignKey({parent}, on_delete=models.CASCADE)")
        other = rng.choice(all_models)
        if other.name != module.name:
            label = other.name.split(".")[1]
            lines.append(
                f'    other = models.ForeignKey("{label}.{other.symbols[0]}", '
                "on_delete=models.SET_NULL, null=True)"
            )
        for f in range(rng.randint(3, 10)):
            lines.append(f"    field_{f} = models.IntegerField(default={f})")
        lines += ["", "    class Meta:", f'        ordering = ["-created"]  # {name}', ""]
    return lines


def generate(root: Path, modules: int, seed: int = 0) -> Path:
    """Write the tree under `root` (replacing it); return `root`, the parent of the package."""
    if root.exists():
        shutil.rmtree(root)
    rng = random.Random(seed)
    planned = plan(modules, seed)
    by_domain: dict[str, list[_Module]] = {}
    for module in planned:
        by_domain.setdefault(module.domain, []).append(module)
    leaves = [m for m in planned if not m.is_package]
    all_models = [m for m in leaves if m.name.endswith(".models")]
    for module in planned:
        path = module.path(root)
        path.parent.mkdir(parents=True, exist_ok=True)
        if module.name.endswith(".models"):
            text = _models(module, rng, all_models)
        else:
            header = [f'"""{module.name}: synthetic module for benchmarks."""', ""]
            imports, used = _import_lines(module, rng, by_domain, leaves)
            text = header + imports + _body(module, rng, used, leaves)
        path.write_text("\n".join(text) + "\n", encoding="utf-8")
    return root


def generate_flat(root: Path, modules: int, seed: int = 0) -> Path:
    """Write `modules` loose modules straight under `root`: no packages, no apps, no tables.

    The domains are only in who imports whom (most imports stay within a domain of about
    200 modules), as in a scripts folder that grew: the case left to graph communities.
    """
    if root.exists():
        shutil.rmtree(root)
    root.mkdir(parents=True)
    rng = random.Random(seed)
    domains = max(2, round(modules / 200))
    planned = []
    for i in range(modules):
        domain = _DOMAINS[i % domains % len(_DOMAINS)] + str(i % domains // len(_DOMAINS) or "")
        stem = f"{domain}_{_NOUNS[(i // domains) % len(_NOUNS)]}_{i}"
        module = _Module(stem, False, domain)
        module.symbols = [_camel(stem) + "Service", f"run_{stem}", f"{stem.upper()}_LIMIT"]
        planned.append(module)
    by_domain: dict[str, list[_Module]] = {}
    for module in planned:
        by_domain.setdefault(module.domain, []).append(module)
    for module in planned:
        lines = [f'"""{module.name}: a loose synthetic module for benchmarks."""', ""]
        lines += ["from __future__ import annotations", "", "import logging", ""]
        lines += ["from typing import Any", ""]
        used: list[str] = []
        local = [m for m in by_domain[module.domain] if m is not module]
        for i in range(rng.randint(3, 7)):
            target = rng.choice(local if rng.random() < 0.8 else planned)
            if target is module:
                continue
            symbol = rng.choice(target.symbols)
            if i % 2:
                lines.append(f"import {target.name}")
                used.append(f"{target.name}.{symbol}")
            else:
                lines.append(f"from {target.name} import {symbol}")
                used.append(symbol)
        lines += ["", "", *_body(module, rng, used, planned)]
        (root / f"{module.name}.py").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return root


def main() -> None:
    """Write a synthetic tree and print its size."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("root", type=Path)
    parser.add_argument("--modules", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--flat", action="store_true", help="loose modules, no packages")
    args = parser.parse_args()
    (generate_flat if args.flat else generate)(args.root, args.modules, args.seed)
    files = list(args.root.rglob("*.py"))
    lines = sum(p.read_text(encoding="utf-8").count("\n") for p in files)
    print(f"{len(files)} modules, {lines} lines, {lines / len(files):.0f} lines per module")


if __name__ == "__main__":
    main()
