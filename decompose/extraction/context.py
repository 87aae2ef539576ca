"""What every collector gets: the module's name, its parsed tree, and cheap text indexes."""

from __future__ import annotations

import bisect
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property

import libcst as cst

# Dotted name chains such as `orders.service.place_order`; strings and comments
# are not told apart, which only adds noise to usage counts.
_CHAIN = re.compile(r"(?<![\w.])[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*")


@dataclass(frozen=True)
class Scope:
    """Where a statement sits: what makes an import lazy, type-only or optional."""

    depth: int = 0  # 0 for module level
    function: str | None = None  # enclosing top-level function or Class.method
    class_name: str | None = None
    type_checking: bool = False
    optional: bool = False  # inside `try:` with an ImportError handler

    @property
    def in_function(self) -> bool:
        """Whether the statement runs only when a function is called."""
        return self.function is not None

    @property
    def module_level(self) -> bool:
        """Whether what the statement defines is a module attribute.

        At the top, or under a module-level `if`, `try` or `with` (`if not
        registered("Order"): class Order(...)`), but not in a function or class body.
        """
        return self.function is None and self.class_name is None


@dataclass
class ModuleContext:
    """The module being extracted, shared by every collector of one traversal."""

    module: str
    path: str
    is_package: bool
    source: str
    tree: cst.Module
    _line_starts: list[int] = field(default_factory=list, repr=False)

    @property
    def package(self) -> str:
        """The package relative imports start from."""
        return self.module if self.is_package else self.module.rpartition(".")[0]

    @cached_property
    def lines(self) -> list[str]:
        """The source split into lines."""
        return self.source.splitlines()

    @cached_property
    def chains(self) -> Counter[str]:
        """How often each dotted name chain occurs in the source."""
        return Counter(_CHAIN.findall(self.source))

    @cached_property
    def chains_by_first(self) -> dict[str, list[tuple[str, int]]]:
        """The chains and their counts, grouped by the name they start with."""
        grouped: dict[str, list[tuple[str, int]]] = {}
        for chain, n in self.chains.items():
            grouped.setdefault(chain.partition(".")[0], []).append((chain, n))
        return grouped

    def code(self, node: cst.CSTNode) -> str:
        """Source text of a node (generates code for that subtree only)."""
        return self.tree.code_for_node(node)

    def line_at(self, offset: int) -> int:
        """1-based line number of a character offset."""
        if not self._line_starts:
            starts = [0]
            starts.extend(m.end() for m in re.finditer("\n", self.source))
            self._line_starts = starts
        return bisect.bisect_right(self._line_starts, offset)

    def offset_of_line(self, line: int) -> int:
        """Character offset where a 1-based line starts."""
        self.line_at(0)
        return self._line_starts[min(max(line, 1), len(self._line_starts)) - 1]

    def find_line(self, pattern: re.Pattern[str], after: int = 0) -> int | None:
        """First line at or after line `after` where `pattern` matches, or None."""
        match = pattern.search(self.source, self.offset_of_line(after) if after else 0)
        return self.line_at(match.start()) if match else None
