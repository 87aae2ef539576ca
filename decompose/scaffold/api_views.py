"""What a service's public API becomes, as the templates see it: endpoints and wire models."""

from __future__ import annotations

from dataclasses import dataclass

from decompose.scaffold import pyformat
from decompose.scaffold.names import py_literal
from decompose.scaffold.typemap import TypeRef

# Calls between services that no monolith route covers; the monolith's routes keep their paths.
API_PREFIX = "/internal/v1"
_CONVERTORS = {"int": "int", "float": "float", "UUID": "uuid"}  # Starlette's path convertors
#: Starlette's `int` and `float` convertors match digits only, so the path parameters they
#: type are never negative; the contract says so (`minimum: 0`) rather than promise a route
#: that a `-1` would miss.
_UNSIGNED = frozenset({"int", "float"})
#: Methods whose requests an `Idempotency-Key` protects (idempotency.py); the others are
#: idempotent by definition.
KEYED_METHODS = ("PATCH", "POST")
_KEYED = f"({', '.join(KEYED_METHODS)})"
#: Every error a generated service answers, each as a problem document, and when: the
#: contract's description of that answer. An endpoint declares those it can give.
PROBLEMS = {
    400: (
        f"Malformed request: the body is not valid JSON, or {_KEYED} the "
        "`Idempotency-Key` header is empty or too long."
    ),
    404: "No route matches the path: a path parameter is not of its type or form.",
    409: "A request with this `Idempotency-Key` is still running; retry after `Retry-After`.",
    422: (
        "The request does not match the contract (the problem lists the `errors`), or "
        f"{_KEYED} its `Idempotency-Key` was used before with another request."
    ),
    501: "Not ported yet: the monolith still serves this call.",
}


@dataclass(frozen=True)
class FieldView:
    """One field of a wire model, or one query/path parameter.

    Attributes:
        name: the Python name in generated code.
        wire: the name on the wire (the original parameter name).
        type: its type.
        required: whether callers must send it.
        default: its default (a JSON value) when not required.
        note: what was lost mapping it, for a TODO.
        max_length: the longest string it accepts, from the monolith's column or schema.
        minimum: the smallest number it accepts (a path parameter Starlette types).
    """

    name: str
    wire: str
    type: TypeRef
    required: bool = True
    default: object = None
    note: str | None = None
    max_length: int | None = None
    minimum: int | None = None

    @property
    def alias(self) -> str | None:
        """The wire name when it differs from the Python name."""
        return self.wire if self.wire != self.name else None

    @property
    def default_source(self) -> str:
        """The default as a Python literal."""
        return py_literal(self.default)

    @property
    def uses_field(self) -> bool:
        """Whether the model declares it with `Field(...)`."""
        return self.alias is not None or self.max_length is not None

    @property
    def declaration(self) -> str:
        """Its line in a model (indented): `name: type`, then ` = default` or ` = Field(...)`."""
        annotation = self.type.source()
        if not self.uses_field:
            assignment = "" if self.required else f" = {self.default_source}"
            return pyformat.annotated(self.name, annotation, assignment, pyformat.INDENT)
        args = [] if self.required else [self.default_source]
        if self.alias is not None:
            args.append(f"alias={py_literal(self.alias)}")
        if self.max_length is not None:
            args.append(f"max_length={self.max_length}")
        field = pyformat.call("Field", [pyformat.code(a) for a in args])
        return pyformat.lines(field, pyformat.INDENT, f"{self.name}: {annotation} = ")

    @property
    def handler_type(self) -> str:
        """Its annotation in a route handler, with the bound FastAPI checks and documents."""
        if self.minimum is None:
            return self.type.qualified()
        return f"Annotated[{self.type.qualified()}, Path(ge={self.minimum})]"

    @property
    def mutable_default(self) -> bool:
        """Whether the default is a list or dict (a client parameter defaults to None)."""
        return not self.required and isinstance(self.default, (list, dict))


@dataclass(frozen=True)
class SchemaView:
    """A pydantic model of the wire format.

    Attributes:
        name: class name.
        doc: its one-line docstring (it also becomes the schema's description).
        fields: its fields, in signature order.
        permissive: extra keys allowed, because the fields could not be read statically.
        origin: `module:name` of the class it mirrors, if any.
    """

    name: str
    doc: str
    fields: tuple[FieldView, ...] = ()
    permissive: bool = False
    origin: str = ""

    @property
    def uses_field(self) -> bool:
        """Whether a field needs `Field(...)` (an alias or a maximum length)."""
        return any(f.uses_field for f in self.fields)

    @property
    def notes(self) -> tuple[str, ...]:
        """TODOs for this model."""
        found = tuple(f"`{f.wire}`: {f.note}" for f in self.fields if f.note)
        if self.permissive and (self.fields or not self.origin):
            found += ("it takes other keys too, as keyword arguments (`**kwargs`)",)
        elif self.permissive:
            found += (f"fields of `{self.origin}` are unknown statically; declare them",)
        return found


@dataclass(frozen=True)
class EndpointView:
    """One stub endpoint replacing one monolith function, class or value."""

    operation_id: str
    method: str
    path: str
    summary: str
    replaces: str
    kind: str
    query: tuple[FieldView, ...] = ()
    path_params: tuple[FieldView, ...] = ()
    body: SchemaView | None = None
    response_model: str | None = None
    notes: tuple[str, ...] = ()
    doc: str = ""  # the description, when the endpoint does more than replace `replaces`

    @property
    def description(self) -> str:
        """The handler's docstring, also the operation's description."""
        return self.doc or f"Replaces `{self.replaces}` in the monolith."

    @property
    def status_code(self) -> int:
        """The success status: 204 when the monolith function returns None."""
        return 200 if self.response_model else 204

    @property
    def idempotent(self) -> bool:
        """Whether a client may retry it."""
        return self.method == "GET"

    @property
    def keyed(self) -> bool:
        """Whether the service honours an `Idempotency-Key` on it (and so may refuse one)."""
        return self.method in KEYED_METHODS

    @property
    def problems(self) -> tuple[int, ...]:
        """The error statuses it answers, each with a problem document (see `PROBLEMS`)."""
        statuses = {501}
        if self.body or self.keyed:
            statuses.add(400)
        if self.path_params:
            statuses.add(404)
        if self.keyed:
            statuses.add(409)
        if self.keyed or self.path_params or self.query or self.body:
            statuses.add(422)
        return tuple(sorted(statuses))

    @property
    def ordered_query(self) -> tuple[FieldView, ...]:
        """Query parameters in the handler's order (and so the OpenAPI one): required first."""
        return tuple(sorted(self.query, key=lambda p: not p.required))

    @property
    def handler_params(self) -> tuple[str, ...]:
        """The route handler's parameters as source text, those without a default first."""
        inputs = self.path_params + self.ordered_query
        params = [f"{p.name}: {p.handler_type}" for p in inputs if p.required]
        if self.body:
            params.append(f"body: models.{self.body.name}")
        params += [
            f"{p.name}: {p.handler_type} = {p.default_source}" for p in inputs if not p.required
        ]
        return tuple(params)

    @property
    def route_path(self) -> str:
        """The path as the router declares it, typed parameters with Starlette's convertor.

        `{id:int}` matches digits only, as the monolith's `<int:id>` did: a fixed or text
        segment in the same place (`/scripts/{module}.{name}/`) still reaches its own route.
        The OpenAPI document shows the path without convertors.
        """
        path = self.path
        for param in self.path_params:
            convertor = _CONVERTORS.get(param.type.source())
            if convertor:
                path = path.replace("{" + param.wire + "}", "{" + f"{param.wire}:{convertor}" + "}")
        return path

    @property
    def client_path(self) -> str:
        """The path as the body of an f-string in the client, path parameters quoted."""
        path = self.path
        for param in self.path_params:
            path = path.replace("{" + param.wire + "}", f"{{quote(str({param.name}), safe='')}}")
        return path

    @property
    def params(self) -> tuple[FieldView, ...]:
        """Every input, in the order the client method takes them."""
        return self.path_params + self.query + (self.body.fields if self.body else ())


def path_field(name: str, ref: TypeRef, note: str | None = None) -> FieldView:
    """A path parameter, bounded below when Starlette's convertor admits digits only."""
    unsigned = _CONVERTORS.get(ref.source()) in _UNSIGNED
    return FieldView(name, name, ref, note=note, minimum=0 if unsigned else None)


@dataclass(frozen=True)
class ServiceApi:
    """Everything a service's public API becomes."""

    endpoints: tuple[EndpointView, ...]
    schemas: tuple[SchemaView, ...]  # shared and resource schemas, then bodies and responses
    errors: tuple[str, ...]  # `module:name` of exception classes other services catch
    modules: tuple[str, ...]  # modules other services use whole
    rebuild: tuple[str, ...]  # models with forward references to rebuild at import
    skipped: tuple[str, ...] = ()  # `module:name: reason` of functions that are no endpoint
    aggregates: tuple[tuple[str, str], ...] = ()  # (`module:name`, wire model) of its events
