"""The package hierarchy of the analyzed modules: where the code splits, what is under what."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property

from decompose.clustering.vocabulary import Role, role, term

# A child package holding this share of the code is a wrapper (`src/app/`), not a split.
WRAPPER_SHARE = 0.9
# Modules that, beside `settings`, make a package the project's configuration.
_WIRING = ("urls", "wsgi", "asgi")
# A name repeated below this many business-named packages is part of their template.
TEMPLATE_OWNERS = 4


def parent(module: str) -> str:
    """The package a module is in ("" at the top)."""
    return module.rpartition(".")[0]


def last(module: str) -> str:
    """A module's own name, without its packages."""
    return module.rpartition(".")[2]


def within(module: str, package: str) -> bool:
    """Whether `module` is `package` or under it ("" contains everything)."""
    return not package or module == package or module.startswith(package + ".")


def child_of(package: str, module: str) -> str:
    """The child of `package` that `module` is in (`package` itself for its own module)."""
    if module == package:
        return package
    depth = package.count(".") + 1 if package else 0
    return ".".join(module.split(".")[: depth + 1])


def domain_prefix(loc: Mapping[str, int]) -> str:
    """Descend through wrapper packages (`src/app/...`) to where the code splits."""
    prefix = ""
    while True:
        children: dict[str, int] = defaultdict(int)
        for module, size in loc.items():
            if within(module, prefix):
                children[child_of(prefix, module)] += max(size, 1)
        total = sum(children.values())
        if not children or total == 0:
            return prefix
        top, top_size = max(sorted(children.items()), key=lambda item: item[1])
        has_children = any(m.startswith(top + ".") for m in loc)
        if (
            top_size / total < WRAPPER_SHARE
            or not has_children
            or (len(children) == 1 and top == prefix)
            or role(top.rpartition(".")[2])
            is Role.CONTAINER  # `components/`: its children are the parts
        ):
            return prefix
        prefix = top


@dataclass(frozen=True)
class Tree:
    """The project's modules, their sizes, and the package where they split into parts."""

    loc: Mapping[str, int]
    packages: frozenset[str] = frozenset()  # modules that are a package's `__init__`
    prefix: str = field(default="")
    namespaces: frozenset[str] = frozenset()  # packages that only declare a namespace

    @classmethod
    def of(
        cls, loc: Mapping[str, int], packages: Iterable[str] = (), namespaces: Iterable[str] = ()
    ) -> Tree:
        """The tree of `loc`'s modules, its prefix found from the sizes."""
        return cls(dict(loc), frozenset(packages), domain_prefix(loc), frozenset(namespaces))

    @cached_property
    def modules(self) -> tuple[str, ...]:
        """Every module, sorted."""
        return tuple(sorted(self.loc))

    @cached_property
    def _under(self) -> dict[str, list[str]]:
        found: dict[str, list[str]] = defaultdict(list)
        for module in self.modules:
            parts = module.split(".")
            for depth in range(len(parts) + 1):
                found[".".join(parts[:depth])].append(module)
        return dict(found)

    def under(self, package: str) -> list[str]:
        """The modules in `package`, its own included, sorted."""
        return self._under.get(package, [])

    def below(self, module: str) -> list[str]:
        """The path of `module` under the prefix (`shop.api.v1.orders` -> api, v1, orders).

        A module beside the prefix loses the packages it shares with it.
        """
        parts = module.split(".")
        if not self.prefix:
            return parts
        shared = 0
        for mine, theirs in zip(parts, self.prefix.split("."), strict=False):
            if mine != theirs:
                break
            shared += 1
        return parts[shared:]

    def is_package(self, module: str) -> bool:
        """Whether the module is a package (its `__init__`, or a directory of modules)."""
        return module in self.packages or (module not in self.loc and bool(self.under(module)))

    @cached_property
    def template_words(self) -> frozenset[str]:
        """Names the project repeats inside many of its packages: its apps' own template.

        `auth.py` and `action.py` in every plugin, `filtersets.py` in every app: a word
        found below at least TEMPLATE_OWNERS different business-named packages says what
        a file does in its app, like a role word, not which business it is about.
        """
        owners: dict[str, set[str]] = defaultdict(set)
        for module in self.modules:
            parts = self.below(module)
            owner = ""
            for i, part in enumerate(parts):
                domain = role(part) is Role.DOMAIN
                if owner and domain:
                    owners[term(part)].add(owner)
                if domain:
                    owner = ".".join(parts[: i + 1])
        return frozenset(w for w, found in owners.items() if len(found) >= TEMPLATE_OWNERS)

    @cached_property
    def project_packages(self) -> frozenset[str]:
        """Packages that configure the project (settings beside urls or wsgi): its wiring.

        Django's project package (`netbox/netbox/`) is where settings, URL routing and
        the server entry points live, beside the apps; it is no business capability.
        """
        found = set()
        for module in self.modules:
            package, _, own = module.rpartition(".")
            wired = any(
                f"{package}.{m}" in self.loc or self.under(f"{package}.{m}") for m in _WIRING
            )
            if own == "settings" and package and within(package, self.prefix) and wired:
                found.add(package)
        return frozenset(found)

    def child_packages(self, package: str) -> list[str]:
        """The packages directly inside `package`."""
        children = {child_of(package, m) for m in self.under(package) if m != package}
        return sorted(c for c in children if c in self.packages or self.under(c) != [c])

    def is_container(self, package: str) -> bool:
        """A namespace holding independent packages (`ckanext/`, a folder without `__init__`).

        At least three packages sit in it.
        """
        namespace = package in self.namespaces or package not in self.loc
        return namespace and len(self.child_packages(package)) >= 3

    def share(self, package: str) -> float:
        """The share of the project's modules in `package`."""
        return len(self.under(package)) / max(len(self.loc), 1)
