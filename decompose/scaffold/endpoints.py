"""A service's public API turned into versioned endpoints and the wire models they use."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable

from decompose.model import ApiItem, Parameter, Route
from decompose.scaffold.api_views import (
    API_PREFIX,
    EndpointView,
    FieldView,
    SchemaView,
    ServiceApi,
    path_field,
)
from decompose.scaffold.data import DataCatalog, key_types
from decompose.scaffold.names import (
    UniqueNames,
    humanize,
    identifier,
    kebab,
    one_line,
    pascal,
    plural,
)
from decompose.scaffold.surface import route_endpoints
from decompose.scaffold.typemap import (
    ANY,
    QUERY_SCALARS,
    TypeMapper,
    TypeRef,
    scalar,
)
from decompose.scaffold.wire import (
    MODEL_NAMESPACE,
    ApiBuilder,
    data_fields,
    message,
    param_fields,
    response,
)

_READ_VERBS = ("get", "list", "find", "search", "count", "lookup", "fetch", "is", "has", "can")
# A function named for what it changes is a write; one named for what it returns
# (`payments_for_order`, `available`, `quote`) is a read.
_WRITE_VERBS = frozenset(
    (
        "add", "apply", "approve", "assign", "authorize", "cancel", "capture", "charge",
        "checkout", "clear", "close", "commit", "confirm", "create", "delete", "deliver",
        "disable", "enable", "handle", "import", "issue", "load", "login", "logout", "mark",
        "merge", "move", "notify", "open", "pay", "place", "post", "process", "publish", "purge",
        "put", "record", "refund", "register", "reject", "release", "remove", "rename", "reserve",
        "reset", "restore", "revoke", "run", "save", "schedule", "send", "set", "ship", "start",
        "stop", "submit", "sync", "track", "transfer", "update", "upload", "upsert", "verify",
        "void", "write",
    )
)  # fmt: skip
_EXCEPTION_BASES = ("Exception", "BaseException", "Error", "Warning")
_ENUM_BASES = {"Enum": "str", "StrEnum": "str", "IntEnum": "int", "Flag": "int", "IntFlag": "int"}


def build_api(
    items: Iterable[ApiItem],
    owned: Iterable[tuple[str, str]],
    catalog: DataCatalog | None = None,
    service: str | None = None,
    routes: Iterable[tuple[str, Route]] = (),
    aggregates: Iterable[tuple[str, str]] = (),
) -> ServiceApi:
    """Map a service's public API items to endpoints and wire models, deterministically.

    Args:
        items: `Service.public_api`.
        owned: `(module, name)` of the ORM models the service owns.
        catalog: every data class of the monolith, for the fields of wire models.
        service: the service's name in the report, to prefer its own data classes.
        routes: `(module, route)` of the monolith's routes in the service's modules; they
            come first, with their own paths, and their handlers are not served again.
        aggregates: `(module, name)` of the models whose changes the service announces
            as events: each gets a wire model (the events' payload) even if no call uses it.
    """
    catalog = catalog if catalog is not None else DataCatalog()
    ordered = sorted(items, key=lambda i: (i.module, i.name, i.kind))
    schema_names = UniqueNames(MODEL_NAMESPACE)
    classes: dict[str, str] = {}
    aliases: dict[str, TypeRef] = {}
    errors: list[str] = []
    for item in ordered:
        if item.kind != "class":
            continue
        role = _class_role(item)
        if role == "error":
            errors.append(_replaces(item))
        elif role in ("str", "int"):
            aliases.setdefault(item.name, scalar(role))
        elif item.name not in classes:
            classes[item.name] = schema_names.claim(_class_name(item.name), suffix="Model")
    nested = _nested_classes(catalog, service, classes, schema_names)
    ids = {
        name: scalar(kind)
        for name, kind in key_types(catalog).items()
        if name not in classes and kind in QUERY_SCALARS
    }
    builder = ApiBuilder(
        owned=frozenset(owned),
        classes=classes,
        mapper=TypeMapper(models=classes, aliases=aliases, ids=ids),
        schema_names=schema_names,
        catalog=catalog,
        service=service,
    )
    served = route_endpoints(builder, routes)
    duplicates = _duplicate_names(ordered)
    for item in ordered:
        if _replaces(item) in served:
            continue
        if item.kind == "function":
            _function(builder, item, item.name in duplicates)
        elif item.kind == "variable":
            _variable(builder, item, item.name in duplicates)
        elif item.kind == "class" and classes.get(item.name) and _class_role(item) == "schema":
            _class(builder, item)
    for name, module in nested:
        _class(builder, ApiItem(module=module, name=name, kind="class"))
    payloads = _aggregate_schemas(builder, aggregates)
    models = [*builder.schemas, *builder.messages]
    return ServiceApi(
        endpoints=tuple(builder.endpoints),
        schemas=tuple(models),
        errors=tuple(errors),
        modules=tuple(one_line(f"{i.module}.{i.name}") for i in ordered if i.kind == "module"),
        rebuild=_forward_references(models),
        skipped=tuple(builder.skipped),
        aggregates=payloads,
    )


def _aggregate_schemas(
    builder: ApiBuilder, aggregates: Iterable[tuple[str, str]]
) -> tuple[tuple[str, str], ...]:
    """`(module:name, wire model)` of each aggregate, its wire model made if none is yet."""
    found = []
    for module, name in sorted(set(aggregates)):
        origin = _replaces(ApiItem(module=module, name=name, kind="class"))
        schema = next((s for s in builder.schemas if s.origin == origin), None)
        if schema is None:
            if name not in builder.classes:
                claimed = builder.schema_names.claim(_class_name(name), suffix="Model")
                builder.classes[name] = claimed
            schema = _schema(builder, ApiItem(module=module, name=name, kind="class"))
        if schema is not None:
            found.append((origin, schema.name))
    return tuple(found)


def _nested_classes(
    catalog: DataCatalog, service: str | None, classes: dict[str, str], names: UniqueNames
) -> list[tuple[str, str]]:
    """Data classes (not models) the wire models nest, claimed as schemas too, in order."""
    found: list[tuple[str, str]] = []
    queue = sorted(classes)
    while queue:
        fields = catalog.wire_fields(queue.pop(0), service) or ()
        for name in sorted({w for f in fields for w in _class_names(f.type)}):
            nested = catalog.find(name, service)
            if nested is None or nested.is_model or name in classes or not nested.fields:
                continue
            classes[name] = names.claim(_class_name(name), suffix="Model")
            found.append((name, nested.module))
            queue.append(name)
    return found


def _class_names(annotation: str) -> set[str]:
    return {w for w in annotation.replace("[", " ").replace("]", " ").split() if w[:1].isupper()}


def _class_role(item: ApiItem) -> str:
    bases = [b.rsplit(".", 1)[-1] for b in (item.definition.bases if item.definition else ())]
    if any(b.endswith(_EXCEPTION_BASES) for b in (*bases, item.name)):
        return "error"
    for base in bases:
        if base in _ENUM_BASES:
            return "int" if "int" in bases and base != "StrEnum" else _ENUM_BASES[base]
    return "schema"


def _class_name(name: str) -> str:
    return name if _plain_identifier(name) and name[:1].isupper() else pascal(name)


def _plain_identifier(name: str) -> bool:
    return name.isidentifier() and name.isascii() and not name.startswith("_")


def _replaces(item: ApiItem) -> str:
    return one_line(f"{item.module}:{item.name}")


def _duplicate_names(items: list[ApiItem]) -> set[str]:
    seen: dict[str, int] = {}
    for item in items:
        seen[item.name] = seen.get(item.name, 0) + 1
    return {name for name, count in seen.items() if count > 1}


def _operation(builder: ApiBuilder, item: ApiItem, qualify: bool, prefix: str = "") -> str:
    base = identifier(item.name, fallback="call")
    if qualify:
        base = f"{identifier(item.module.rsplit('.', 1)[-1], fallback='module')}_{base}"
    return builder.ops.claim(prefix + base, suffix="_endpoint")


def _summary(item: ApiItem, fallback: str) -> str:
    doc = one_line(item.definition.doc) if item.definition else ""
    return doc[:120] if doc else fallback


def _function(builder: ApiBuilder, item: ApiItem, qualify: bool) -> None:
    definition = item.definition
    reason = _not_an_endpoint(definition.params if definition else (), definition)
    if reason:
        builder.skipped.append(f"{_replaces(item)}: {reason}")
        return
    op = _operation(builder, item, qualify)
    fields = param_fields(builder, definition.params if definition else ())
    notes = [] if definition else ["the report has no signature; inputs unknown"]
    notes += [f"`{f.wire}`: {f.note}" for f in fields if f.note]
    kinds = {p.kind for p in definition.params} if definition else set()
    if "var_positional" in kinds:
        notes.append("its `*args` have no names on the wire: list what callers pass")
    open_keys = "var_keyword" in kinds
    as_query = (
        _reads(item.name)
        and not open_keys
        and all(f.type.query_safe and not f.alias for f in fields)
    )
    body = None
    if (fields or open_keys) and not as_query:
        body = message(
            builder,
            f"{pascal(op)}Request",
            f"Arguments of {item.name}, as {_replaces(item)} takes them.",
            fields,
            open_keys,
        )
    response_model, response_note = response(
        builder, op, definition.returns if definition else None
    )
    notes += [response_note] if response_note else []
    builder.endpoints.append(
        EndpointView(
            operation_id=op,
            method="GET" if as_query else "POST",
            path=f"{API_PREFIX}/{builder.paths.claim(kebab(op, fallback='call'))}",
            summary=_summary(item, humanize(item.name)),
            replaces=_replaces(item),
            kind=item.kind,
            query=tuple(_absent_is_none(f) for f in fields) if as_query else (),
            body=body,
            response_model=response_model,
            notes=tuple(notes),
        )
    )


def _absent_is_none(field: FieldView) -> FieldView:
    """A query parameter that may be None is left out for None: it cannot be required."""
    if field.required and field.type.optional:
        return dataclasses.replace(field, required=False, default=None)
    return field


def _not_an_endpoint(params: Iterable[Parameter], definition: object) -> str:
    """Why a function is no endpoint (it wires code, or takes only `**kwargs`), or ''."""
    if getattr(definition, "wraps", False):
        return "takes a function or a class, or returns a function: it wires code"
    kinds = {p.kind for p in params}
    if kinds and kinds <= {"var_positional", "var_keyword"}:
        return "takes only *args/**kwargs: its inputs are unknown"
    return ""


def _reads(name: str) -> bool:
    """Whether a function's name says it reads: a read verb, or a noun and no write verb."""
    first = words_of(name)[:1]
    if not first:
        return False
    return first[0] in _READ_VERBS or first[0] not in _WRITE_VERBS


def words_of(name: str) -> list[str]:
    """The lowercase words of a snake_case or camelCase name."""
    return [w for w in kebab(name, fallback="").split("-") if w]


def _variable(builder: ApiBuilder, item: ApiItem, qualify: bool) -> None:
    op = _operation(builder, item, qualify)
    response = message(
        builder,
        f"{pascal(op)}Response",
        f"The value of {item.name}.",
        [FieldView("result", "result", ANY)],
    ).name
    builder.endpoints.append(
        EndpointView(
            operation_id=op,
            method="GET",
            path=f"{API_PREFIX}/{builder.paths.claim(kebab(op, fallback='value'))}",
            summary=_summary(item, f"Read {humanize(item.name).lower()}"),
            replaces=_replaces(item),
            kind=item.kind,
            response_model=response,
            notes=("the value's type is unknown statically; type `result`",),
        )
    )


def _class(builder: ApiBuilder, item: ApiItem) -> None:
    schema = _schema(builder, item)
    if schema is None or (item.module, item.name) not in builder.owned:
        return  # a shared schema: it travels inside other calls
    key = identifier(item.name, fallback="resource")
    op = builder.ops.claim(f"lookup_{key}", suffix="_endpoint")
    segment = builder.paths.claim(plural(kebab(item.name, fallback="resource")))
    found = builder.catalog.find(item.name, builder.service)
    primary = found.key if found is not None else None
    key_type = primary.type if primary is not None and primary.type in QUERY_SCALARS else ""
    unknown = "the primary key's type is unknown statically"
    builder.endpoints.append(
        EndpointView(
            operation_id=op,
            method="GET",
            path=f"{API_PREFIX}/{segment}/{{{key}_id}}",
            summary=f"Look up one {humanize(item.name).lower()}",
            replaces=_replaces(item),
            kind=item.kind,
            path_params=(
                path_field(f"{key}_id", scalar(key_type or "str"), None if key_type else unknown),
            ),
            response_model=schema.name,
            notes=(*((f"`{key}_id`: {unknown}",) if not key_type else ()), *schema.notes),
        )
    )


def _schema(builder: ApiBuilder, item: ApiItem) -> SchemaView | None:
    """The wire model of a class, or None when one of its name exists already."""
    name = builder.classes[item.name]
    if any(s.name == name for s in builder.schemas):
        return None  # a class of the same name in another module: one wire model stands for both
    data = builder.catalog.wire_fields(item.name, builder.service)
    if data is not None:
        fields = data_fields(builder, data)
    else:
        fields = param_fields(builder, item.definition.params if item.definition else ())
    doc = one_line(item.definition.doc) if item.definition and item.definition.doc else ""
    takes_kwargs = data is None and any(
        p.kind == "var_keyword" for p in (item.definition.params if item.definition else ())
    )
    schema = SchemaView(
        name=name,
        doc=doc or f"Wire form of {_replaces(item)}.",
        fields=tuple(fields),
        permissive=not fields or takes_kwargs,
        origin=_replaces(item),
    )
    builder.schemas.append(schema)
    return schema


def _forward_references(models: list[SchemaView]) -> tuple[str, ...]:
    defined: set[str] = set()
    late: list[str] = []
    for model in models:
        used: set[str] = set()
        for model_field in model.fields:
            used |= model_field.type.models()
        if used - defined:  # itself, or a model defined further down
            late.append(model.name)
        defined.add(model.name)
    return tuple(late)
