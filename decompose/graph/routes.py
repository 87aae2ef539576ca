"""Full paths of the monolith's routes: each router's prefix followed through its mounts.

A route is declared on a router variable; the router may be mounted elsewhere
(`app.register_blueprint(bp, url_prefix=...)`, `api.add_namespace(ns, "/users")`,
`app.include_router(router, prefix=...)`), and a Flask-RESTX `Api` sits on a blueprint.
The mounted name is found through the mounting module's imports, never by running code.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from decompose.graph.views import expand
from decompose.model import Definition, ModuleFacts, Mount, Route, Router

_Key = tuple[str, str]  # (module, variable)
_MAX_DEPTH = 8  # mounts nest a few levels at most; deeper is a cycle


def resolve_routes(facts: Iterable[ModuleFacts]) -> dict[str, tuple[Route, ...]]:
    """Each module's routes with full paths, in declaration order.

    Args:
        facts: every analyzed module.

    Returns:
        Module -> its routes, for the modules that declare any.
    """
    by_module = {f.module: f for f in facts}
    routers: dict[_Key, Router] = {
        (f.module, r.name): r for f in by_module.values() for r in f.routers
    }
    mounted: dict[_Key, tuple[_Key, Mount]] = {}
    for module in sorted(by_module):
        for mount in by_module[module].mounts:
            child = _binding(by_module, module, mount.child)
            if child is not None and child not in mounted:
                mounted[child] = ((module, mount.parent), mount)
    resolved: dict[str, list[Route]] = {}
    for module in sorted(by_module):
        for route in by_module[module].routes:
            key = _router_key(by_module, routers, module, route)
            path = join(_prefix(routers, mounted, key, 0), route.path)
            if route.view:
                found = _view(by_module, module, route.view)
                if found is not None:
                    resolved.setdefault(found[0], []).extend(expand(route, found[1], path))
            else:
                resolved.setdefault(module, []).append(route.model_copy(update={"path": path}))
    return {module: tuple(routes) for module, routes in sorted(resolved.items())}


def _view(
    by_module: Mapping[str, ModuleFacts], module: str, name: str
) -> tuple[str, Definition] | None:
    """The module and definition of a view a URL conf names, through its imports."""
    key = (module, name) if "." not in name else None
    if key is None or not any(d.name == name for d in by_module[module].definitions):
        key = _binding(by_module, module, name)
    if key is None or key[0] not in by_module:
        return None
    definition = next((d for d in by_module[key[0]].definitions if d.name == key[1]), None)
    return (key[0], definition) if definition is not None else None


def _router_key(
    by_module: Mapping[str, ModuleFacts], routers: Mapping[_Key, Router], module: str, route: Route
) -> _Key:
    """The router a route is declared on: in its module, or imported into it."""
    key = (module, route.router)
    if key in routers:
        return key
    return _binding(by_module, module, route.router) or key


def _prefix(
    routers: Mapping[_Key, Router],
    mounted: Mapping[_Key, tuple[_Key, Mount]],
    key: _Key,
    depth: int,
) -> str:
    if depth > _MAX_DEPTH:
        return ""
    router = routers.get(key)
    own = router.prefix if router is not None else ""
    base = ""
    if key in mounted:
        parent, mount = mounted[key]
        if mount.prefix is not None:
            # Flask and RESTX replace the child's own prefix; FastAPI puts one before it.
            own = join(mount.prefix, own) if router and router.kind == "router" else mount.prefix
        base = _prefix(routers, mounted, parent, depth + 1)
    if router is not None and router.parent:
        base = join(_prefix(routers, mounted, (key[0], router.parent), depth + 1), base)
    return join(base, own)


def join(prefix: str, path: str) -> str:
    """`/api` + `/carts` -> `/api/carts`; an empty path adds nothing."""
    if not path:
        return prefix or "/"
    if not prefix:
        return path if path.startswith("/") else f"/{path}"
    return prefix.rstrip("/") + "/" + path.lstrip("/")


def _binding(by_module: Mapping[str, ModuleFacts], module: str, name: str) -> _Key | None:
    """(module, variable) a name written in `module` refers to, through its imports."""
    if ":" in name:  # a URL conf included by its module's dotted path
        target, _, variable = name.partition(":")
        return target, variable
    facts = by_module[module]
    head, _, rest = name.partition(".")
    if not rest and any(r.name == name for r in facts.routers):
        return module, name
    for fact in facts.imports:
        for imported in fact.names:
            if (imported.alias or imported.name) != head:
                continue
            if not rest:
                return fact.target, imported.name
            submodule = f"{fact.target}.{imported.name}"
            inner, _, last = rest.rpartition(".")
            return (f"{submodule}.{inner}" if inner else submodule), last
        if not fact.names and rest:
            bound = fact.alias or fact.target.partition(".")[0]
            if bound == head:
                inner, _, last = rest.rpartition(".")
                base = fact.target if fact.alias else head
                return (f"{base}.{inner}" if inner else base), last
    return (module, name) if not rest else None  # a variable of the module itself
