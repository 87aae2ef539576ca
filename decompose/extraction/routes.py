"""The monolith's HTTP surface: Flask, Flask-RESTX and FastAPI routes, routers and mounts.

A route is recorded on the variable it is declared on (`@bp.get("/<int:id>")`), with its
handler's parameters. Routers (`Blueprint(..., url_prefix=)`, `APIRouter(prefix=)`,
`Namespace(...)`, `Api(bp)`) and mounts (`register_blueprint`, `include_router`,
`add_namespace`) are recorded too: the full path of a route is worked out across modules
once every module's facts are known.
"""

from __future__ import annotations

import re
from typing import ClassVar

import libcst as cst

from decompose.extraction.columns import keyword, literal, positional
from decompose.extraction.context import ModuleContext, Scope
from decompose.extraction.definitions import function_definition
from decompose.extraction.imports import dotted
from decompose.model import Mount, Route, Router

HTTP_METHODS = ("get", "post", "put", "patch", "delete")
# Constructor (last part of the callee) -> (router kind, keyword holding its prefix).
_ROUTERS = {
    "Blueprint": ("blueprint", "url_prefix"),
    "APIRouter": ("router", "prefix"),
    "Namespace": ("namespace", "path"),
    "Api": ("api", "prefix"),
    "Flask": ("app", ""),
    "FastAPI": ("app", "root_path"),
    "Quart": ("app", ""),
}
_MOUNTS = {"register_blueprint": "url_prefix", "include_router": "prefix", "add_namespace": "path"}
_CLASS_NAME = re.compile(r"\b[A-Z]\w*")
_DOTTED_NAME = re.compile(r"[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+")
_MAX_USES = 24  # class names kept per handler: enough to find the schema it uses
_CONSTANTS = frozenset({"True", "False", "None"})


class RouteCollector:
    """Collects routes, router declarations and mounts, at any depth."""

    handles: ClassVar[frozenset[type[cst.CSTNode]]] = frozenset(
        {cst.FunctionDef, cst.ClassDef, cst.Assign, cst.Expr}
    )

    def __init__(self) -> None:
        self.routes: list[Route] = []
        self.routers: dict[str, Router] = {}
        self.mounts: list[Mount] = []

    def visit(self, statement: cst.CSTNode, scope: Scope, ctx: ModuleContext) -> None:
        """Record what one statement declares."""
        if isinstance(statement, cst.FunctionDef) and scope.class_name is None:
            for method, path, on in _route_decorators(statement, ctx):
                self.routes.extend(_routes(statement, ctx, on, path, method, ""))
        elif isinstance(statement, cst.ClassDef):
            self._resource(statement, ctx)
        elif isinstance(statement, cst.Assign) and isinstance(statement.value, cst.Call):
            target = statement.targets[0].target
            if isinstance(target, cst.Name):
                declared = _router(target.value, statement.value, ctx)
                if declared is not None:
                    self.routers[declared.name] = declared
        elif isinstance(statement, cst.Expr) and isinstance(statement.value, cst.Call):
            mount = _mount(statement.value, ctx)
            if mount is not None:
                self.mounts.append(mount)

    def _resource(self, node: cst.ClassDef, ctx: ModuleContext) -> None:
        """`@ns.route("/x") class X(Resource): def get(self): ...` (Flask-RESTX)."""
        for method, path, router in _route_decorators(node, ctx):
            if method is not None:
                continue
            for item in getattr(node.body, "body", ()):
                if isinstance(item, cst.FunctionDef) and item.name.value in HTTP_METHODS:
                    self.routes.extend(
                        _routes(item, ctx, router, path, item.name.value, node.name.value)
                    )


def _route_decorators(
    node: cst.FunctionDef | cst.ClassDef, ctx: ModuleContext
) -> list[tuple[str | None, str, str]]:
    """(method or None for `.route`, path, router variable) of each route decorator."""
    found: list[tuple[str | None, str, str]] = []
    for decorator in node.decorators:
        call = decorator.decorator
        if not isinstance(call, cst.Call) or not isinstance(call.func, cst.Attribute):
            continue
        verb, router = call.func.attr.value, dotted(call.func.value)
        path = literal(keyword(call, "path") or keyword(call, "rule") or _first(call), ctx)
        if not router or not isinstance(path, str) or _DOTTED_NAME.fullmatch(path):
            continue  # `@mock.patch("shop.orders.charge")` names code, not a URL
        if verb in HTTP_METHODS:
            found.append((verb, path, router))
        elif verb in ("route", "api_route"):
            methods = literal(keyword(call, "methods"), ctx)
            if isinstance(node, cst.ClassDef):
                found.append((None, path, router))
            elif isinstance(methods, (list, tuple)) and methods:
                found.extend((str(m).lower(), path, router) for m in methods)
            else:
                found.append(("get", path, router))
    return found


def _first(call: cst.Call) -> cst.BaseExpression | None:
    args = positional(call)
    return args[0] if args else None


def _routes(
    node: cst.FunctionDef,
    ctx: ModuleContext,
    router: str,
    path: str,
    method: str | None,
    class_name: str,
) -> list[Route]:
    definition = function_definition(node, ctx, 1)
    params = definition.params[1:] if class_name else definition.params
    line = ctx.find_line(re.compile(rf"^[ \t]*(?:async[ \t]+)?def[ \t]+{node.name.value}\b", re.M))
    body = ctx.code(node.body)
    uses = sorted(set(_CLASS_NAME.findall(body)) - _CONSTANTS)[:_MAX_USES]
    return [
        Route(
            method=(method or "get").upper(),
            path=path,
            router=router,
            handler=f"{class_name}.{node.name.value}" if class_name else node.name.value,
            line=line or 1,
            params=params,
            returns=definition.returns,
            doc=definition.doc,
            uses=tuple(uses),
        )
    ]


def _router(name: str, call: cst.Call, ctx: ModuleContext) -> Router | None:
    kind_prefix = _ROUTERS.get(dotted(call.func).rpartition(".")[2])
    if kind_prefix is None:
        return None
    kind, prefix_keyword = kind_prefix
    prefix = literal(keyword(call, prefix_keyword), ctx) if prefix_keyword else None
    parent = ""
    if kind == "namespace" and not isinstance(prefix, str):
        first = literal(_first(call), ctx)
        prefix = f"/{first}" if isinstance(first, str) else None
    if kind == "api":
        parent = dotted(keyword(call, "app") or _first(call))
    return Router(
        name=name, kind=kind, prefix=prefix if isinstance(prefix, str) else "", parent=parent
    )


def _mount(call: cst.Call, ctx: ModuleContext) -> Mount | None:
    if not isinstance(call.func, cst.Attribute) or call.func.attr.value not in _MOUNTS:
        return None
    args = positional(call)
    child = dotted(args[0]) if args else ""
    if not child:
        return None
    prefix_node = keyword(call, _MOUNTS[call.func.attr.value])
    if prefix_node is None and call.func.attr.value == "add_namespace" and len(args) > 1:
        prefix_node = args[1]
    prefix = literal(prefix_node, ctx)
    return Mount(
        parent=dotted(call.func.value),
        child=child,
        prefix=prefix if isinstance(prefix, str) else None,
    )
