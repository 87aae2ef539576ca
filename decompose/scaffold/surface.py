"""The monolith's own routes as endpoints: same method, same path shape, same parameters.

A service that keeps the monolith's paths can take its traffic unchanged. Path parameters
keep their converter's type (`<int:id>` is an int) or the handler's annotation; a body or
an answer is the schema the handler uses when the monolith has one (a serializer first),
else an open object and a TODO.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from decompose.model import Route
from decompose.scaffold.api_views import EndpointView, FieldView, SchemaView, path_field
from decompose.scaffold.names import humanize, identifier, one_line, pascal
from decompose.scaffold.typemap import QUERY_SCALARS, optional, scalar
from decompose.scaffold.wire import (
    ApiBuilder,
    data_fields,
    literal_value,
    message,
    python_name,
    response,
)

# `<int:id>`, `<path:rest>`, `<re("..."):x>` (Flask/Werkzeug) and `{id}`, `{rest:path}`.
_FLASK_PARAM = re.compile(r"<(?:(\w+)(?:\([^)>]*\))?:)?(\w+)>")
_BRACE_PARAM = re.compile(r"\{(\w+)(?::\w+)?\}")
_CONVERTERS = {"int": "int", "float": "float", "uuid": "UUID"}
_WITH_BODY = ("POST", "PUT", "PATCH")


def route_endpoints(builder: ApiBuilder, routes: Iterable[tuple[str, Route]]) -> set[str]:
    """Add an endpoint for each route of the service's modules, in order.

    Args:
        builder: the service's API being built.
        routes: (module, route) pairs, full paths.

    Returns:
        `module:name` of the handlers (functions, or resource classes) now served.
    """
    served: set[str] = set()
    seen: set[tuple[str, str]] = set()
    found = []
    for module, route in routes:
        path, path_params = _path(builder, route)
        if (route.method, path) in seen:
            continue  # a second handler of the same call never runs
        seen.add((route.method, path))
        served.add(f"{module}:{route.handler.partition('.')[0]}")
        found.append((module, route, path, path_params))
    # Werkzeug tries a fixed segment before a parameter (`/reservations` before
    # `/{product_id}`); Starlette tries routes in order: declare them in Werkzeug's.
    found.sort(key=lambda item: _specificity(item[2]))
    for module, route, path, path_params in found:
        _endpoint(builder, module, route, path, path_params)
    return served


def _specificity(path: str) -> list[bool]:
    return [segment.startswith("{") for segment in path.split("/")]


def _endpoint(
    builder: ApiBuilder, module: str, route: Route, path: str, path_params: list[FieldView]
) -> None:
    replaces = one_line(f"{module}:{route.handler}")
    op = builder.ops.claim(identifier(route.handler, fallback="route"), suffix="_endpoint")
    in_path = {p.name for p in path_params}
    query = []
    for param in route.params:
        ref, note = builder.mapper.map(param.annotation)
        if param.name in in_path or note is not None or not ref.query_safe:
            continue
        default, known = literal_value(param.default)
        if param.default is not None and (not known or default is None):
            ref = optional(ref)
        required = param.default is None
        query.append(FieldView(python_name(param.name), param.name, ref, required, default))
    notes: list[str] = []
    body = None
    if route.method in _WITH_BODY:
        body = _body(builder, op, route, replaces, in_path | {q.name for q in query})
        if body.permissive:
            notes.append("the handler reads its body itself: declare the fields it takes")
    answer, note = _answer(builder, op, route, replaces)
    notes += [note] if note else []
    builder.endpoints.append(
        EndpointView(
            operation_id=op,
            method=route.method,
            path=path,
            summary=one_line(route.doc)[:120] or humanize(route.handler.replace(".", " ")),
            replaces=replaces,
            kind="route",
            query=tuple(query),
            path_params=tuple(path_params),
            body=body,
            response_model=answer,
            notes=tuple(notes),
        )
    )


def _path(builder: ApiBuilder, route: Route) -> tuple[str, list[FieldView]]:
    """The path in FastAPI's syntax and its parameters, typed."""
    annotations = {p.name: p.annotation for p in route.params}
    params: list[FieldView] = []

    def typed(name: str, converter: str | None) -> str:
        wire = python_name(name)
        kind = _CONVERTERS.get(converter or "")
        if kind is None and converter is None and name in ("pk", "id"):
            kind = _key_type(builder, route)
        if kind is None:
            ref, note = builder.mapper.map(annotations.get(name))
            kind = ref.name if note is None and ref.kind == "scalar" else "str"
        if kind not in QUERY_SCALARS:
            kind = "str"
        if all(p.name != wire for p in params):
            params.append(path_field(wire, scalar(kind)))
        return "{" + wire + "}"

    path = _FLASK_PARAM.sub(lambda m: typed(m.group(2), m.group(1)), route.path)
    path = _BRACE_PARAM.sub(lambda m: typed(m.group(1), None), path)
    return path, params


def _key_type(builder: ApiBuilder, route: Route) -> str | None:
    """The key type of the model behind the serializer a view uses (DRF's `<pk>`)."""
    for name in route.uses:
        found = builder.catalog.find(name, builder.service)
        model = builder.catalog.find(found.model, found.service) if found and found.model else found
        if model is not None and model.is_model and model.key is not None and model.key.type:
            return model.key.type
    return None


def _body(builder: ApiBuilder, op: str, route: Route, replaces: str, taken: set[str]) -> SchemaView:
    """The request body: the handler's model parameter, the schema it uses, or open.

    Fields the path or the query already carry (`taken`) are left out of a body built
    from a schema: the client takes each input once.
    """
    for param in route.params:
        ref, note = builder.mapper.map(param.annotation)
        if note is None and ref.kind == "model":
            schema = next((s for s in builder.schemas if s.name == ref.name), None)
            if schema is not None:
                return schema
    source = _schema_used(builder, route, models=False)
    if source is not None:
        fields = [
            f
            for f in builder.catalog.wire_fields(source, builder.service) or ()
            if not f.read_only and python_name(f.name) not in taken
        ]
        return message(
            builder,
            f"{pascal(op)}Request",
            f"What {replaces} reads, as {source} declares it.",
            data_fields(builder, fields),
        )
    return _open_schema(builder, f"{pascal(op)}Request", f"The body {replaces} reads.", replaces)


def _answer(
    builder: ApiBuilder, op: str, route: Route, replaces: str
) -> tuple[str | None, str | None]:
    """The response model and, when it is open, the TODO that says so."""
    if route.returns:
        found, note = response(builder, op, route.returns)
        if note is None:
            return found, None
    source = _schema_used(builder, route, models=True)
    if source is not None:
        many = route.method == "GET" and "<" not in route.path and "{" not in route.path
        check = f"the handler uses {source}: check it answers one, not a list" if many else None
        return schema_of(builder, source), check
    schema = _open_schema(builder, f"{pascal(op)}Response", f"What {replaces} answers.", replaces)
    return schema.name, "the handler builds its answer itself: declare the fields it sends"


def _open_schema(builder: ApiBuilder, name: str, doc: str, replaces: str) -> SchemaView:
    """A model that accepts any field, for a body the code does not declare."""
    schema = SchemaView(
        name=builder.schema_names.claim(name), doc=doc, permissive=True, origin=replaces
    )
    builder.messages.append(schema)
    return schema


def _schema_used(builder: ApiBuilder, route: Route, models: bool) -> str | None:
    """A data class the handler mentions: a serializer or schema first, then a model."""
    found = [builder.catalog.find(name, builder.service) for name in route.uses]
    known = [c for c in found if c is not None and c.fields]
    for wanted in (False, True) if models else (False,):
        for data in known:
            if data.is_model == wanted:
                return data.name
    return None


def schema_of(builder: ApiBuilder, name: str) -> str:
    """The wire model of a data class, declared on first use."""
    if name in builder.classes:
        return builder.classes[name]
    schema_name = builder.schema_names.claim(
        name if name.isidentifier() else pascal(name), suffix="Model"
    )
    builder.classes[name] = schema_name
    declared = builder.catalog.wire_fields(name, builder.service) or ()
    for nested in sorted({w for f in declared for w in re.findall(r"[A-Z]\w*", f.type)}):
        inner = builder.catalog.find(nested, builder.service)
        if inner is not None and inner.fields and not inner.is_model:
            schema_of(builder, nested)
    fields = data_fields(builder, declared)
    data = builder.catalog.find(name, builder.service)
    origin = one_line(f"{data.module}:{name}") if data is not None else name
    builder.schemas.append(
        SchemaView(
            name=schema_name,
            doc=f"Wire form of {origin}.",
            fields=tuple(fields),
            permissive=not fields,
            origin=origin,
        )
    )
    return schema_name
