"""Every import form, made absolute, with its kinds, line and how its names are used."""

from __future__ import annotations

import re
from typing import ClassVar

import libcst as cst

from decompose.extraction.context import ModuleContext, Scope
from decompose.model import DependencyKind, ImportedName, ImportFact

_IMPORT_LINE = re.compile(
    r"^[ \t]*(?:from[ \t]+(\.*[ \t]*[\w.]*)[ \t]*import\b|import[ \t]+(\w[\w.]*))", re.M
)
_DYNAMIC = re.compile(
    r"\b(?:import_module|__import__)\(\s*(?:name\s*=\s*)?(['\"])(\.*[\w.]+)\1"
    r"(?:\s*,\s*(?:package\s*=\s*)?__(?:name|package)__)?"
)


def dotted(node: cst.BaseExpression | None) -> str:
    """`a.b.c` for a Name/Attribute chain, '' for anything else."""
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        left = dotted(node.value)
        return f"{left}.{node.attr.value}" if left else ""
    return ""


def absolute(ctx: ModuleContext, level: int, module: str) -> str | None:
    """Resolve a relative import against the importing module; None if it climbs too far."""
    if level == 0:
        return module
    parts = ctx.package.split(".") if ctx.package else []
    if level - 1 > len(parts) or (level - 1 == len(parts) and not module):
        return None
    base = parts[: len(parts) - (level - 1)]
    return ".".join([*base, module] if module else base)


class ImportCollector:
    """Collects `import`/`from ... import` statements and literal dynamic imports."""

    handles: ClassVar[frozenset[type[cst.CSTNode]]] = frozenset({cst.Import, cst.ImportFrom})

    def __init__(self) -> None:
        self.facts: list[ImportFact] = []
        self._lines: list[tuple[int, str]] | None = None
        self._cursor = 0

    def visit(self, statement: cst.CSTNode, scope: Scope, ctx: ModuleContext) -> None:
        """Record an Import or ImportFrom statement."""
        if isinstance(statement, cst.Import):
            line = self._line(ctx, dotted(statement.names[0].name))
            for alias in statement.names:
                self._plain(alias, scope, ctx, line)
        elif isinstance(statement, cst.ImportFrom):
            self._from(statement, scope, ctx)

    def finish(self, ctx: ModuleContext) -> list[ImportFact]:
        """The imports found, with literal importlib/__import__ calls added."""
        if "import_module" in ctx.source or "__import__" in ctx.source:
            for match in _DYNAMIC.finditer(ctx.source):
                text = match.group(2)
                level = len(text) - len(text.lstrip("."))
                if level and not match.group(0).rstrip(")").endswith("__"):
                    continue  # a relative name needs package=__name__ to mean anything
                target = absolute(ctx, level, text[level:])
                if target:
                    self.facts.append(
                        ImportFact(
                            target=target,
                            line=ctx.line_at(match.start()),
                            kinds=(DependencyKind.DYNAMIC,),
                            uses=1,
                        )
                    )
        return self.facts

    def _plain(self, alias: cst.ImportAlias, scope: Scope, ctx: ModuleContext, line: int) -> None:
        target = dotted(alias.name)
        if not target:
            return
        bound = _alias_name(alias)
        if bound:
            uses, attrs = _usage(ctx, bound, bound)
        else:  # `import a.b.c` binds `a`; uses of the module appear as `a.b.c.x`
            uses, attrs = _usage(ctx, target, target.partition(".")[0])
        self.facts.append(
            ImportFact(
                target=target,
                alias=bound,
                line=line,
                kinds=_kinds(scope),
                uses=uses,
                attrs=attrs,
            )
        )

    def _from(self, node: cst.ImportFrom, scope: Scope, ctx: ModuleContext) -> None:
        level = len(node.relative)
        module = dotted(node.module)
        target = absolute(ctx, level, module)
        line = self._line(ctx, "." * level + module)
        if target is None:
            return
        if isinstance(node.names, cst.ImportStar):
            self.facts.append(
                ImportFact(target=target, star=True, line=line, kinds=_kinds(scope), uses=1)
            )
            return
        names = []
        for alias in node.names:
            name = dotted(alias.name)
            bound = _alias_name(alias) or name
            uses, attrs = _usage(ctx, bound, bound)
            names.append(ImportedName(name=name, alias=_alias_name(alias), uses=uses, attrs=attrs))
        self.facts.append(
            ImportFact(target=target, names=tuple(names), line=line, kinds=_kinds(scope))
        )

    def _line(self, ctx: ModuleContext, text: str) -> int:
        """Line of the next import statement naming `text`, scanning forward in order."""
        if self._lines is None:
            self._lines = [
                (ctx.line_at(m.start()), re.sub(r"\s+", "", m.group(1) or m.group(2) or ""))
                for m in _IMPORT_LINE.finditer(ctx.source)
            ]
        for index in range(self._cursor, len(self._lines)):
            line, written = self._lines[index]
            if written == text:
                self._cursor = index + 1
                return line
        # One-line suites (`if x: import y`) and `a; import b` do not start a line.
        found = ctx.find_line(re.compile(rf"\b(?:from|import)\s+{re.escape(text)}\b"))
        return found or 1


def _alias_name(alias: cst.ImportAlias) -> str | None:
    if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
        return alias.asname.name.value
    return None


def _kinds(scope: Scope) -> tuple[DependencyKind, ...]:
    kinds = []
    if scope.type_checking:
        kinds.append(DependencyKind.TYPE_ONLY)
    if scope.in_function:
        kinds.append(DependencyKind.LAZY)
    if scope.optional:
        kinds.append(DependencyKind.OPTIONAL)
    return tuple(kinds) or (DependencyKind.IMPORT,)


def _usage(ctx: ModuleContext, chain: str, first: str) -> tuple[int, dict[str, int]]:
    """Uses of a bound name beyond its import, and the attributes read through it.

    `chain` is what the module is reached by (`svc` for `import a.svc as svc`,
    `a.svc` for a plain `import a.svc`); `first` is the name actually bound.
    """
    prefix = chain + "."
    attrs: dict[str, int] = {}
    chain_uses = name_uses = 0
    for text, count in ctx.chains_by_first.get(first, ()):
        name_uses += count
        if text == chain:
            chain_uses += count
        elif text.startswith(prefix):
            attr = text[len(prefix) :].partition(".")[0]
            attrs[attr] = attrs.get(attr, 0) + count
            chain_uses += count
    uses = name_uses if chain == first else chain_uses
    return max(uses - 1, 0), dict(sorted(attrs.items()))
