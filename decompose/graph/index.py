"""Module names and the aliases that reach them: import resolution against the project."""

from __future__ import annotations

import sys
from collections.abc import Mapping
from dataclasses import dataclass, field


@dataclass
class ModuleIndex:
    """The project's module names and the import aliases that reach them."""

    modules: frozenset[str]
    aliases: Mapping[str, str] = field(default_factory=dict)
    excluded: frozenset[str] = frozenset()
    _by_head: dict[str, list[tuple[str, str]]] = field(init=False, repr=False)
    # The same import lines recur across thousands of modules: answers are memoised.
    _canonical: dict[str, str] = field(init=False, repr=False)
    _resolved: dict[str, str | None] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        # Aliases grouped by first component: a monorepo may have hundreds of them.
        self._by_head = {}
        self._canonical = {}
        self._resolved = {}
        for alias, real in sorted(self.aliases.items(), key=lambda kv: -len(kv[0])):
            self._by_head.setdefault(alias.partition(".")[0], []).append((alias, real))

    def resolve(self, name: str) -> str | None:
        """The project module `name` refers to: the longest existing dotted prefix.

        None for outside code, and for a module the excludes left out: an import of
        `pkg.tests.helpers` is not a dependency on `pkg`.
        """
        try:
            return self._resolved[name]
        except KeyError:
            pass
        found: str | None = None
        prefix = self.canonical(name)
        while prefix:
            if prefix in self.modules:
                found = prefix
                break
            if prefix in self.excluded:
                break
            prefix = prefix.rpartition(".")[0]
        self._resolved[name] = found
        return found

    def canonical(self, name: str) -> str:
        """`name` with a namespace alias prefix replaced by the module name discovery chose."""
        if not self._by_head:
            return name
        found = self._canonical.get(name)
        if found is None:
            found = name
            for alias, real in self._by_head.get(name.partition(".")[0], ()):
                if name == alias or name.startswith(alias + "."):
                    found = real + name[len(alias) :]
                    break
            self._canonical[name] = found
        return found


def is_stdlib(name: str) -> bool:
    """Whether a top-level import name belongs to the standard library."""
    return name.partition(".")[0] in sys.stdlib_module_names
