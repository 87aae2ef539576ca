"""The boundary file: read, written from a decomposition, and matched against the modules.

A small TOML file the team edits (its own file, or `[tool.decompose]` of pyproject.toml):

    shared = ["shop.kernel", "shop.__init__"]
    wiring = ["shop.app", "shop.api.__init__"]

    [services.orders]
    modules = ["shop.orders", "shop.api.orders"]
    public = ["shop.orders.service:place_order", "shop.orders.schemas"]
    depends_on = ["catalog"]

A name covers the module and everything under it, so new code under it is covered; a
name ending in `.__init__` is the package's own module alone; a name with `*`, `?` or
`[` is a glob over whole module names. Where several names cover a module, the most
specific wins.
"""

from __future__ import annotations

import fnmatch
import json
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from pydantic import ValidationError

from decompose.errors import BoundaryError
from decompose.model.boundaries import Boundaries, ServiceBoundary
from decompose.model.decomposition import Decomposition, ModuleEntry
from decompose.model.placement import Reason

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib

OWN = "__init__"  # `pkg.__init__`: the package's own module, not what is under it
SHARED = None  # the shared kernel's owner in an assignment


def parse_boundaries(text: str, source: str, *, pyproject: bool = False) -> Boundaries:
    """The boundaries a TOML text states (a boundary file, or pyproject's [tool.decompose]).

    Raises:
        BoundaryError: not TOML, or keys and values that do not fit, all listed at once.
    """
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise BoundaryError(f"{source}: not valid TOML ({exc})") from None
    if pyproject:
        table = data.get("tool", {}).get("decompose", {})
        data = {k: table[k] for k in ("services", "shared", "wiring") if k in table}
        if not isinstance(data.get("services", {}), dict):
            raise BoundaryError(f"{source}: [tool.decompose] states no services table")
    try:
        return Boundaries.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc']) or 'file'}: {err['msg']}"
            for err in exc.errors(include_url=False)
        )
        raise BoundaryError(f"{source}: {problems}") from None


def render_boundaries(boundaries: Boundaries, root: str = "") -> str:
    """The TOML text of a boundary file, sorted and stable (diff-friendly)."""
    lines = [
        f"# Service boundaries{f' of {root}' if root else ''}, checked by `decompose check`.",
        "# modules: a dotted name covers the module and all under it; `pkg.__init__` the",
        "# package's own module only; globs match whole names. public: modules or",
        "# module:symbol other services may use. depends_on: the only services it may use.",
        "# shared: the kernel every service may use; wiring: entry points that use them all.",
        "",
        f"shared = {_array(boundaries.shared)}",
        f"wiring = {_array(boundaries.wiring)}",
    ]
    for name, service in sorted(boundaries.services.items()):
        lines += ["", f"[services.{_key(name)}]", f"modules = {_array(service.modules)}"]
        if service.public:
            lines.append(f"public = {_array(service.public)}")
        if service.depends_on is not None:
            lines.append(f"depends_on = {_array(service.depends_on)}")
    return "\n".join(lines) + "\n"


def _array(values: Iterable[str]) -> str:
    items = sorted(set(values))
    if len(items) <= 2:
        return "[" + ", ".join(json.dumps(v) for v in items) + "]"
    return "[\n" + "".join(f"    {json.dumps(v)},\n" for v in items) + "]"


def _key(name: str) -> str:
    bare = name and all(c.isascii() and (c.isalnum() or c in "_-") for c in name)
    return name if bare else json.dumps(name)


WIRING = "<wiring>"  # the wiring's owner while names are compressed


def boundaries_of(decomposition: Decomposition) -> Boundaries:
    """The boundaries a decomposition proposes: its services, kernel, wiring, API and uses."""
    owner = {m.name: _side(m) for m in decomposition.modules}
    patterns = compress(owner)
    services = {}
    for service in decomposition.services:
        public = sorted(
            {_public_name(item.module, item.name, item.kind) for item in service.public_api}
        )
        services[service.name] = ServiceBoundary(
            modules=tuple(patterns.get(service.name, ())),
            public=tuple(public),
            depends_on=tuple(sorted(d.service for d in service.depends_on)),
        )
    return Boundaries(
        services=services,
        shared=tuple(patterns.get(SHARED, ())),
        wiring=tuple(patterns.get(WIRING, ())),
    )


def _side(module: ModuleEntry) -> str | None:
    """A module's service, or the kernel (None), or the wiring (placed as wiring)."""
    if module.service is not None:
        return module.service
    placement = module.placement
    return WIRING if placement is not None and placement.reason is Reason.WIRING else SHARED


def _public_name(module: str, name: str, kind: str) -> str:
    """`pkg.mod` for a module the API offers, `pkg.mod:name` for a symbol of one."""
    if kind == "module":
        return f"{module}.{name}" if module else name
    return f"{module}:{name}"


def compress(owner: Mapping[str, str | None]) -> dict[str | None, list[str]]:
    """The fewest names that give every module its owner: whole packages where they can.

    A package goes whole to an owner of all the modules under it; a package module whose
    package is mixed is named exactly (`pkg.__init__`).
    """
    beneath: dict[str, set[str | None]] = {}
    for module, service in owner.items():
        parts = module.split(".")
        for end in range(1, len(parts) + 1):
            beneath.setdefault(".".join(parts[:end]), set()).add(service)
    found: dict[str | None, set[str]] = {}
    for module, service in sorted(owner.items()):
        parts = module.split(".")
        chosen = next(
            (
                ".".join(parts[:end])
                for end in range(1, len(parts) + 1)
                if beneath[".".join(parts[:end])] == {service}
            ),
            f"{module}.{OWN}",
        )
        found.setdefault(service, set()).add(chosen)
    return {service: sorted(names) for service, names in found.items()}


@dataclass(frozen=True)
class Assignment:
    """Each module's owner under a boundary file (None: shared kernel or wiring).

    `wiring` lists the modules of the wiring; `unassigned` those no name covers.
    """

    owner: dict[str, str | None]
    unassigned: tuple[str, ...]
    wiring: frozenset[str] = frozenset()


def assign(boundaries: Boundaries, modules: Iterable[str]) -> Assignment:
    """Match every module against the boundary file's names; the most specific name wins.

    Raises:
        BoundaryError: a name that matches no module, a module two owners claim with
            equally specific names, a public entry outside its service, or a dependency
            on a service the file does not state; every problem listed at once.
    """
    modules = sorted(set(modules))
    claims: list[tuple[str | None, str]] = [(None, p) for p in boundaries.shared]
    claims += [(WIRING, p) for p in boundaries.wiring]
    for name, service in sorted(boundaries.services.items()):
        claims += [(name, p) for p in service.modules]
    index = _ClaimIndex(claims)
    problems: list[str] = []
    owner_of: dict[str, str | None] = {}
    matched: set[str] = set()
    for module in modules:
        found = index.claims_on(module)
        if not found:
            continue
        matched.update(pattern for _, _, pattern in found)
        rank = max(r for r, _, _ in found)
        top = sorted({(owner or "", pattern) for r, owner, pattern in found if r == rank})
        owners = {owner for _, owner, _ in (f for f in found if f[0] == rank)}
        if len(owners) > 1:
            named = " and ".join(f"{_owner(o or None)} ({p})" for o, p in top)
            problems.append(f"{module} is in two services: {named}")
        owner_of[module] = next(o for r, o, _ in found if r == rank)
    problems += [f"{p} matches no module" for _, p in claims if p not in matched]
    problems += _public_problems(boundaries, owner_of)
    problems += _dependency_problems(boundaries)
    if problems:
        unique = sorted(set(problems))
        more = len(unique) - 5
        raise BoundaryError("; ".join(unique[:5]) + (f"; and {more} more" if more > 0 else ""))
    unassigned = tuple(m for m in modules if m not in owner_of)
    wiring = frozenset(m for m, o in owner_of.items() if o == WIRING)
    owner_of.update(dict.fromkeys(wiring))
    return Assignment(owner_of, unassigned, wiring)


class _ClaimIndex:
    """The names of a boundary file, looked up by a module's own name and its packages."""

    def __init__(self, claims: Iterable[tuple[str | None, str]]) -> None:
        self._exact: dict[str, list[tuple[str | None, str]]] = {}
        self._covering: dict[str, list[tuple[str | None, str]]] = {}
        self._globs: list[tuple[str | None, str]] = []
        for owner, pattern in claims:
            if any(c in pattern for c in "*?["):
                self._globs.append((owner, pattern))
            elif pattern.endswith("." + OWN):
                self._exact.setdefault(pattern[: -len(OWN) - 1], []).append((owner, pattern))
            else:
                self._covering.setdefault(pattern, []).append((owner, pattern))

    def claims_on(self, module: str) -> list[tuple[tuple[int, int], str | None, str]]:
        """(specificity, owner, name) of every name that covers `module`."""
        found = [(_specificity(p), o, p) for o, p in self._exact.get(module, ())]
        parts = module.split(".")
        for end in range(1, len(parts) + 1):
            for owner, pattern in self._covering.get(".".join(parts[:end]), ()):
                found.append((_specificity(pattern), owner, pattern))
        for owner, pattern in self._globs:
            if fnmatch.fnmatchcase(module, pattern):
                found.append((_specificity(pattern), owner, pattern))
        return found


def _owner(owner: str | None) -> str:
    return {None: "the shared kernel", WIRING: "the wiring"}.get(owner, str(owner))


def _specificity(pattern: str) -> tuple[int, int]:
    """Exact names first, then the longer name; a glob counts its literal parts."""
    if pattern.endswith("." + OWN):
        return 2, pattern.count(".")
    literal = [p for p in pattern.split(".") if not any(c in p for c in "*?[")]
    return 1, len(literal)


def _public_problems(boundaries: Boundaries, owner: Mapping[str, str | None]) -> list[str]:
    problems = []
    for name, service in sorted(boundaries.services.items()):
        for entry in service.public:
            module = entry.partition(":")[0]
            if owner.get(module, "") != name:
                problems.append(f"the public API of {name} names {entry}, which is not in {name}")
    return problems


def _dependency_problems(boundaries: Boundaries) -> list[str]:
    return [
        f"{name} depends on {other}, which is no service of the file"
        for name, service in sorted(boundaries.services.items())
        for other in service.depends_on or ()
        if other not in boundaries.services
    ]
