"""Django URL confs and DRF routers: `urlpatterns`, `include(...)`, `router.register(...)`.

A pattern names its view as written in the URL conf (`views.OrderDetail.as_view()`);
the view is looked up through the module's imports once every module is known, and the
route is then the view module's. A regex pattern's named groups become `<name>` parameters
(`<int:name>` for digits), so every route reads in one syntax.
"""

from __future__ import annotations

import re
from typing import ClassVar

import libcst as cst

from decompose.extraction.columns import keyword, literal, positional
from decompose.extraction.context import ModuleContext, Scope
from decompose.extraction.imports import dotted
from decompose.model import Mount, Route

URLPATTERNS = "urlpatterns"
VIEWSET = "VIEWSET"  # the method of a registered viewset: its actions decide the routes
VIEW = "VIEW"  # the method of a view in a URL conf: the view's methods decide
_PATTERNS = {"path", "re_path", "url"}
_GROUP = re.compile(r"\(\?P<(\w+)>([^)]*)\)")
_UNNAMED = re.compile(r"\((?!\?)([^()]*)\)")  # Django passes these positionally
_REGEX = re.compile(r"[()\[\]*+?|\\{}^$]")  # left over: a pattern no path can stand for
_DIGITS = {r"\d+", "[0-9]+", r"\d*", "[0-9]*"}


class UrlCollector:
    """Collects URL patterns, includes and router registrations of one module."""

    handles: ClassVar[frozenset[type[cst.CSTNode]]] = frozenset(
        {cst.Assign, cst.AugAssign, cst.Expr}
    )

    def __init__(self) -> None:
        self.routes: list[Route] = []
        self.mounts: list[Mount] = []

    def visit(self, statement: cst.CSTNode, scope: Scope, ctx: ModuleContext) -> None:
        """Record what one statement adds to the URL conf."""
        if scope.in_function:
            return
        if isinstance(statement, cst.Assign) and isinstance(statement.targets[0].target, cst.Name):
            name, value = statement.targets[0].target.value, statement.value
            if name == URLPATTERNS or _has_patterns(value):
                self._patterns(value, ctx, name)
        elif isinstance(statement, cst.AugAssign) and isinstance(statement.target, cst.Name):
            name = statement.target.value
            if name == URLPATTERNS or _has_patterns(statement.value):
                self._patterns(statement.value, ctx, name)
        elif isinstance(statement, cst.Expr) and isinstance(statement.value, cst.Call):
            self._register(statement.value, ctx)

    def _patterns(self, value: cst.BaseExpression, ctx: ModuleContext, name: str) -> None:
        if isinstance(value, cst.Attribute) and value.attr.value == "urls":
            self.mounts.append(Mount(parent=name, child=dotted(value.value), prefix=""))
            return
        if isinstance(value, cst.BinaryOperation):
            self._patterns(value.left, ctx, name)
            self._patterns(value.right, ctx, name)
            return
        if not isinstance(value, (cst.List, cst.Tuple)):
            return
        for element in value.elements:
            if isinstance(element.value, cst.Call):
                self._pattern(element.value, ctx, name)

    def _pattern(self, call: cst.Call, ctx: ModuleContext, name: str) -> None:
        kind = _last(call.func)
        args = positional(call)
        if kind not in _PATTERNS or len(args) < 2:
            return
        route = literal(args[0], ctx)
        view = args[1]
        if isinstance(view, cst.Call) and _last(view.func) == "include":
            # a computed prefix (`settings.BASE_PATH`) is empty unless configured
            prefix = route if isinstance(route, str) else ""
            plain = plain_path(prefix) if kind != "path" else prefix
            if plain is not None:
                self._include(view, plain, name, ctx)
            return
        if not isinstance(route, str):
            return
        path = plain_path(route) if kind != "path" else route
        if path is None:
            return  # a pattern no path stands for: its route cannot be kept as it is
        target = view.func if isinstance(view, cst.Call) else view
        if isinstance(target, cst.Attribute) and target.attr.value == "as_view":
            target = target.value
        view_name = dotted(target)
        if view_name:
            self.routes.append(_route(VIEW, path, name, view_name, ctx))

    def _include(self, call: cst.Call, prefix: str, parent: str, ctx: ModuleContext) -> None:
        args = positional(call)
        if not args:
            return
        target = args[0]
        if isinstance(target, cst.Tuple) and target.elements:
            target = target.elements[0].value
        module = literal(target, ctx)
        if isinstance(module, str):
            child = f"{module}:{URLPATTERNS}"
        elif isinstance(target, cst.Attribute) and target.attr.value == "urls":
            child = dotted(target.value)  # include(router.urls)
        elif isinstance(target, cst.Name):
            child = target.value  # include(_patterns): a list of this module, or imported
        else:
            child = dotted(target)  # include(api.urls_module): a URL conf module
            child = f"{child}:{URLPATTERNS}" if child else ""
        if child:
            self.mounts.append(Mount(parent=parent, child=child, prefix=prefix))

    def _register(self, call: cst.Call, ctx: ModuleContext) -> None:
        if not isinstance(call.func, cst.Attribute) or call.func.attr.value != "register":
            return
        args = positional(call)
        prefix = literal(keyword(call, "prefix") or (args[0] if args else None), ctx)
        viewset = keyword(call, "viewset") or (args[1] if len(args) > 1 else None)
        name = dotted(viewset)
        path = plain_path(prefix) if isinstance(prefix, str) else None
        if path is not None and name:
            router = dotted(call.func.value)
            self.routes.append(_route(VIEWSET, path, router, name, ctx))


def _route(method: str, path: str, router: str, view: str, ctx: ModuleContext) -> Route:
    short = view.rpartition(".")[2]
    pattern = re.compile(rf"^.*\b{re.escape(short)}\b", re.M)
    return Route(
        method=method,
        path=path,
        router=router,
        handler=short,
        view=view,
        line=ctx.find_line(pattern) or 1,
    )


def _has_patterns(value: cst.BaseExpression) -> bool:
    """Whether a list literal holds `path(...)`/`re_path(...)` entries."""
    return isinstance(value, (cst.List, cst.Tuple)) and any(
        isinstance(e.value, cst.Call) and _last(e.value.func) in _PATTERNS for e in value.elements
    )


def plain_path(regex: str) -> str | None:
    r"""A regex URL pattern in `<name>` syntax: `^orders/(?P<pk>\d+)/$` -> `orders/<int:pk>/`."""
    text = regex.removeprefix("^").removesuffix("$")

    def group(match: re.Match[str]) -> str:
        return group_of(match.group(1), match.group(2))

    text = _GROUP.sub(group, text)
    count = iter(range(1, 100))
    text = _UNNAMED.sub(lambda m: group_of(f"arg{next(count)}", m.group(1)), text)
    text = text.replace("\\.", ".").replace("\\-", "-").replace("\\/", "/")
    return None if _REGEX.search(text) else text


def group_of(name: str, pattern: str) -> str:
    """A `<name>` parameter for a regex group, `<int:name>` when it matches digits only."""
    return f"<int:{name}>" if pattern in _DIGITS else f"<{name}>"


def _last(node: cst.BaseExpression) -> str:
    return dotted(node).rpartition(".")[2]
