"""Django views and DRF viewsets named in URL confs, expanded into one route per method.

A viewset's routes are its actions (`list` is `GET prefix/`, `retrieve` is
`GET prefix/<pk>/` ...), from the actions it defines or, when it inherits them, from its
bases' names (`ModelViewSet`, `ReadOnlyModelViewSet`, the `*ModelMixin`s). A view class
answers the HTTP methods it defines or its generic base implies; a function view, GET.
"""

from __future__ import annotations

from decompose.model import Definition, Route

# action -> (method, detail route)
_ACTIONS = {
    "list": ("GET", False),
    "create": ("POST", False),
    "retrieve": ("GET", True),
    "update": ("PUT", True),
    "partial_update": ("PATCH", True),
    "destroy": ("DELETE", True),
}
_ALL = tuple(_ACTIONS)
_READ = ("list", "retrieve")
# A word in a base's name -> the actions it brings.
_MIXINS = (
    ("ReadOnly", _READ),
    ("ListModelMixin", ("list",)),
    ("CreateModelMixin", ("create",)),
    ("RetrieveModelMixin", ("retrieve",)),
    ("UpdateModelMixin", ("update", "partial_update")),
    ("DestroyModelMixin", ("destroy",)),
    ("Crud", _ALL),
    ("ModelViewSet", _ALL),
    ("List", _READ),
)
# A word in a generic view's name -> the HTTP methods it answers.
_GENERIC = (
    ("Create", ("POST",)),
    ("Update", ("PUT", "PATCH")),
    ("Destroy", ("DELETE",)),
    ("Delete", ("DELETE",)),
    ("Edit", ("POST",)),
    ("Form", ("POST",)),
)
_HTTP = ("get", "post", "put", "patch", "delete")


def expand(route: Route, definition: Definition, path: str) -> list[Route]:
    """The routes one URL conf entry serves, with `path` as its full path."""
    if route.method == "VIEWSET":
        return _viewset(route, definition, path)
    base = {"handler": definition.name, "view": route.view, "path": path}
    if definition.kind == "function":
        params = definition.params[1:]  # the request
        return [route.model_copy(update={**base, "method": "GET", "params": params})]
    uses = (definition.serializer,) if definition.serializer else ()
    return [
        route.model_copy(
            update={**base, "method": method, "handler": f"{definition.name}.{method.lower()}"}
            | {"uses": uses}
        )
        for method in _view_methods(definition)
    ]


def _viewset(route: Route, definition: Definition, path: str) -> list[Route]:
    actions = [a for a in _ALL if a in definition.methods] or _inherited(definition)
    detail = path.rstrip("/") + "/<pk>/"
    uses = (definition.serializer,) if definition.serializer else ()
    return [
        route.model_copy(
            update={
                "method": _ACTIONS[action][0],
                "path": detail if _ACTIONS[action][1] else path.rstrip("/") + "/",
                "handler": f"{definition.name}.{action}",
                "uses": uses,
            }
        )
        for action in _ALL
        if action in actions
    ]


def _inherited(definition: Definition) -> list[str]:
    found: list[str] = []
    for base in definition.bases:
        for word, actions in _MIXINS:
            if word in base.rpartition(".")[2]:
                found.extend(actions)
                break
    return found or list(_READ)


def _view_methods(definition: Definition) -> list[str]:
    defined = [m.upper() for m in _HTTP if m in definition.methods]
    if defined:
        return defined
    methods = ["GET"]
    for base in definition.bases:
        for word, implied in _GENERIC:
            if word in base.rpartition(".")[2]:
                methods.extend(m for m in implied if m not in methods)
    return methods
