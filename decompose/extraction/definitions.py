"""Top-level classes, functions and constants, with signatures kept as source text."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any, ClassVar

import libcst as cst

from decompose.extraction.context import ModuleContext, Scope
from decompose.extraction.imports import dotted
from decompose.extraction.shapes import class_shape
from decompose.model import DataShape, Definition, Parameter

# A parameter that takes a function (or a class) makes its function a decorator or a
# registry helper: code that wires code, never something another service calls over HTTP.
_CALLABLE_PARAMS = frozenset(
    {"f", "fn", "func", "function", "view", "view_func", "wrapped", "callback", "decorated"}
)
_CALLABLE_ANNOTATION = re.compile(r"\b(?:Callable|type\[|Type\[)")
# Methods that make a class a view: HTTP verbs, and the actions of a DRF viewset.
VIEW_METHODS = frozenset(
    {"get", "post", "put", "patch", "delete", "list", "create", "retrieve", "update"}
    | {"partial_update", "destroy"}
)
_CLASS_PARAM = re.compile(r"(?:^|_)(?:cls|klass|class)$")
_TOP_LEVEL = re.compile(
    r"^(?:(?:async[ \t]+)?def|class)[ \t]+([A-Za-z_]\w*)|^([A-Za-z_]\w*)[ \t]*(?::|=[^=])", re.M
)


class DefinitionCollector:
    """Collects module-level definitions in source order."""

    handles: ClassVar[frozenset[type[cst.CSTNode]]] = frozenset(
        {cst.FunctionDef, cst.ClassDef, cst.Assign, cst.AnnAssign}
    )

    def __init__(self) -> None:
        self.definitions: dict[str, Definition] = {}
        self._lines: dict[str, int] | None = None
        self._shapes: dict[str, DataShape] = {}

    def visit(self, statement: cst.CSTNode, scope: Scope, ctx: ModuleContext) -> None:
        """Record a top-level def, class or assignment."""
        if not scope.module_level or scope.type_checking:
            return
        if isinstance(statement, cst.FunctionDef):
            self._add(
                ctx, function_definition(statement, ctx, self._line(ctx, statement.name.value))
            )
        elif isinstance(statement, cst.ClassDef):
            self._add(ctx, self._class(statement, ctx))
        elif isinstance(statement, (cst.Assign, cst.AnnAssign)):
            for name in _assigned_names(statement):
                if name != "__all__":
                    self._add(
                        ctx,
                        Definition(
                            name=name,
                            kind="variable",
                            line=self._line(ctx, name),
                            public=not name.startswith("_"),
                        ),
                    )

    def _add(self, ctx: ModuleContext, definition: Definition) -> None:
        # A later definition of the same name wins, as at run time; keep the first line.
        previous = self.definitions.get(definition.name)
        if previous is not None:
            definition = replace(definition, line=previous.line)
        self.definitions[definition.name] = definition

    def _class(self, node: cst.ClassDef, ctx: ModuleContext) -> Definition:
        name = node.name.value
        init = next(
            (
                s
                for s in getattr(node.body, "body", ())
                if isinstance(s, cst.FunctionDef) and s.name.value == "__init__"
            ),
            None,
        )
        params: tuple[Parameter, ...] = ()
        signature = ""
        if init is not None:
            params = _parameters(init.params, ctx)[1:]  # drop self
            signature = f"({', '.join(_render(p) for p in params)})"
        shape = class_shape(node, ctx, self._shapes)
        data: dict[str, Any] = _view(node)
        if shape is not None:
            self._shapes[name] = shape[0]
            data = {"shape": shape[0], "fields": shape[1], "model": shape[2]}
            data["meta_fields"] = shape[3]
        return Definition(
            name=name,
            kind="class",
            line=self._line(ctx, name),
            public=not name.startswith("_"),
            signature=signature,
            params=params,
            bases=tuple(b for b in (dotted(a.value) or ctx.code(a.value) for a in node.bases) if b),
            doc=_first_line(node.get_docstring()),
            **data,
        )

    def _line(self, ctx: ModuleContext, name: str) -> int:
        if self._lines is None:
            self._lines = {}
            for match in _TOP_LEVEL.finditer(ctx.source):
                found = match.group(1) or match.group(2)
                self._lines.setdefault(found, ctx.line_at(match.start()))
        return self._lines.get(name, 1)


def _view(node: cst.ClassDef) -> dict[str, Any]:
    """The view methods a class defines and its `serializer_class`, when it has any."""
    body = list(getattr(node.body, "body", ()))
    methods = sorted(
        s.name.value
        for s in body
        if isinstance(s, cst.FunctionDef) and s.name.value in VIEW_METHODS
    )
    found: dict[str, object] = {"methods": tuple(methods)} if methods else {}
    for line in body:
        if not isinstance(line, cst.SimpleStatementLine):
            continue
        for small in line.body:
            if (
                isinstance(small, cst.Assign)
                and isinstance(small.targets[0].target, cst.Name)
                and small.targets[0].target.value == "serializer_class"
                and dotted(small.value) not in ("", "None")
            ):
                found["serializer"] = dotted(small.value).rpartition(".")[2]
    return found


def function_definition(node: cst.FunctionDef, ctx: ModuleContext, line: int) -> Definition:
    """A Definition for a function, with parameters and return annotation as source text."""
    params = _parameters(node.params, ctx)
    returns = ctx.code(node.returns.annotation) if node.returns else None
    signature = f"({', '.join(_render(p) for p in params)})" + (f" -> {returns}" if returns else "")
    name = node.name.value
    return Definition(
        name=name,
        kind="function",
        line=line,
        public=not name.startswith("_"),
        signature=signature,
        params=params,
        returns=returns,
        is_async=node.asynchronous is not None,
        doc=_first_line(node.get_docstring()),
        wraps=_wraps(node, params, returns),
    )


def _wraps(node: cst.FunctionDef, params: tuple[Parameter, ...], returns: str | None) -> bool:
    """Whether a function takes or returns a function, or takes a class: it wires code."""
    if any(
        p.name in _CALLABLE_PARAMS
        or _CLASS_PARAM.search(p.name)
        or _CALLABLE_ANNOTATION.search(p.annotation or "")
        for p in params
    ):
        return True
    if returns and _CALLABLE_ANNOTATION.search(returns):
        return True
    body = getattr(node.body, "body", ())
    inner = {s.name.value for s in body if isinstance(s, cst.FunctionDef)}
    for statement in body:
        if isinstance(statement, cst.SimpleStatementLine):
            for small in statement.body:
                if (
                    isinstance(small, cst.Return)
                    and isinstance(small.value, cst.Name)
                    and small.value.value in inner
                ):
                    return True
    return False


def _parameters(params: cst.Parameters, ctx: ModuleContext) -> tuple[Parameter, ...]:
    out: list[Parameter] = []

    def add(param: cst.Param, kind: str) -> None:
        out.append(
            Parameter(
                name=param.name.value,
                annotation=ctx.code(param.annotation.annotation) if param.annotation else None,
                default=ctx.code(param.default) if param.default is not None else None,
                kind=kind,
            )
        )

    for param in params.posonly_params:
        add(param, "positional_only")
    for param in params.params:
        add(param, "positional_or_keyword")
    if isinstance(params.star_arg, cst.Param):
        add(params.star_arg, "var_positional")
    for param in params.kwonly_params:
        add(param, "keyword_only")
    if params.star_kwarg is not None:
        add(params.star_kwarg, "var_keyword")
    return tuple(out)


def _render(param: Parameter) -> str:
    star = {"var_positional": "*", "var_keyword": "**"}.get(param.kind, "")
    text = star + param.name
    if param.annotation:
        text += f": {param.annotation}"
    if param.default is not None:
        text += f" = {param.default}" if param.annotation else f"={param.default}"
    return text


def _assigned_names(statement: cst.Assign | cst.AnnAssign) -> list[str]:
    targets = (
        [t.target for t in statement.targets]
        if isinstance(statement, cst.Assign)
        else [statement.target]
    )
    names = []
    for target in targets:
        if isinstance(target, cst.Name):
            names.append(target.value)
        elif isinstance(target, (cst.Tuple, cst.List)):
            names.extend(e.value.value for e in target.elements if isinstance(e.value, cst.Name))
    return names


def _first_line(doc: str | None) -> str:
    return doc.strip().splitlines()[0].strip() if doc and doc.strip() else ""
