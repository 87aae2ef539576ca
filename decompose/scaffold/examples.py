"""Example calls of generated endpoints: arguments that pass validation, for generated tests."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from decompose.scaffold.api_views import EndpointView, FieldView, SchemaView
from decompose.scaffold.typemap import TypeRef


@dataclass(frozen=True)
class StubCase:
    """A valid call of one endpoint, for the generated tests."""

    url: str
    query: dict[str, object]
    body: dict[str, object] | None
    kwargs: dict[str, object]  # the client method's arguments


def stub_case(endpoint: EndpointView, schemas: Mapping[str, SchemaView]) -> StubCase:
    """Example arguments that pass validation, so a stub answers 501 and not 422."""
    url = endpoint.path
    for param in endpoint.path_params:
        url = url.replace("{" + param.wire + "}", str(field_example(param, schemas)))
    query: dict[str, object] = {
        f.wire: field_example(f, schemas) for f in endpoint.query if f.required
    }
    body: dict[str, object] | None = None
    if endpoint.body:
        body = {f.wire: field_example(f, schemas) for f in endpoint.body.fields if f.required}
    kwargs: dict[str, object] = {p.name: field_example(p, schemas) for p in endpoint.path_params}
    kwargs |= {f.name: field_example(f, schemas) for f in endpoint.query if f.required}
    if endpoint.body:
        kwargs |= {f.name: field_example(f, schemas) for f in endpoint.body.fields if f.required}
    return StubCase(url=url, query=query, body=body, kwargs=kwargs)


_EXAMPLES: dict[str, object] = {
    "int": 1,
    "str": "example",
    "float": 1.5,
    "bool": True,
    "Decimal": "9.99",
    "datetime": "2024-01-31T12:00:00Z",
    "date": "2024-01-31",
    "time": "12:00:00",
    "UUID": "12345678-1234-4678-9234-567812345678",
}


def field_example(field: FieldView, schemas: Mapping[str, SchemaView], depth: int = 0) -> object:
    """A JSON value valid for one field, within its maximum length."""
    value = example(field.type, schemas, depth)
    if isinstance(value, str) and field.max_length is not None:
        return value[: max(field.max_length, 1)]
    return value


def example(ref: TypeRef, schemas: Mapping[str, SchemaView], depth: int = 0) -> object:
    """A JSON value valid for `ref` (shortest: empty containers, None where allowed)."""
    if ref.kind == "scalar":
        return _EXAMPLES[ref.name]
    if ref.kind == "literal":
        return ref.values[0]
    if ref.kind == "list":
        return []
    if ref.kind == "dict":
        return {}
    if ref.kind in ("any", "none") or ref.optional:
        return None
    if ref.kind == "union":
        return example(ref.args[0], schemas, depth)
    schema = schemas.get(ref.name)
    if schema is None or depth > 5:
        return {}
    return {f.wire: field_example(f, schemas, depth + 1) for f in schema.fields if f.required}
