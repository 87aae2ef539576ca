"""decomposition.json: deterministic rendering, its JSON Schema, and reading it back."""

from __future__ import annotations

import functools
import json
from collections.abc import Iterator
from typing import Any

from pydantic import TypeAdapter, ValidationError

from decompose.errors import ReportError
from decompose.model.decomposition import SCHEMA_VERSION, Decomposition

SCHEMA_ID = "https://example.invalid/decompose/decomposition.schema.json"
MAX_LISTED_ERRORS = 5
BATCH = 200  # items of a list encoded together, at most
PIECE_BYTES = 1 << 18  # about this much of a list encoded together (a service can be MBs)


def render_json(decomposition: Decomposition) -> str:
    """The decomposition as JSON text: same model, same bytes.

    Model fields keep their declared order (schema_version first); dict-valued fields
    (metrics, weights) are sorted by key; lists keep the order the model gives them.

    Args:
        decomposition: The report to render.

    Returns:
        Pretty-printed JSON (indent 2, UTF-8 characters kept) ending with a newline.

    Raises:
        ValueError: A float is NaN or infinite (a bug in the stage that computed it).
    """
    return json_bytes(decomposition).decode("utf-8") + "\n"


def json_bytes(decomposition: Decomposition) -> bytes:
    """render_json's text as UTF-8 bytes, without its final newline."""
    return b"".join(json_pieces(decomposition))


def json_pieces(decomposition: Decomposition) -> Iterator[bytes]:
    """render_json's text as UTF-8 bytes, in pieces, without its final newline.

    pydantic-core encodes each piece (a field of the report, or a run of up to BATCH items
    of one of its lists, about PIECE_BYTES long): Python's own encoder walks the document
    a small piece at a time (2 of the 3 s of a warm saleor analysis went into its 1.1
    million pieces). One call for the whole report would hold it twice, in the encoder's
    buffer and as bytes (75 MB at 5,000 modules); a piece holds a quarter of a megabyte.

    Raises:
        ValueError: as render_json.
    """
    yield b"{"
    last = len(Decomposition.model_fields) - 1
    for index, name in enumerate(Decomposition.model_fields):
        value = getattr(decomposition, name)
        if isinstance(value, tuple) and value:
            items = _field_adapter(name)
            yield f'\n  "{name}": ['.encode()
            start, size, written = 0, 1, 0
            while start < len(value):
                run = value[start : start + size]
                listed = _checked(items.dump_json(run, indent=2))
                # `[\n  item,\n  item\n]`: the items, moved right under the field's name
                yield b"," if start else b""
                yield listed[1:-2].replace(b"\n", b"\n  ")
                start, written = start + len(run), written + len(listed)
                # as many items as make about PIECE_BYTES, going by those written so far
                size = max(1, min(BATCH, PIECE_BYTES * start // written))
            yield b"\n  ]"
        else:
            alone = _checked(decomposition.model_dump_json(include={name}, indent=2).encode())
            yield alone[1:-2]  # `\n  "name": value` out of `{\n  "name": value\n}`
        if index != last:
            yield b","
    yield b"\n}"


@functools.cache
def _field_adapter(name: str) -> TypeAdapter[Any]:
    """Encodes values of the report's field `name` (a run of its items, for a list)."""
    annotation: Any = Decomposition.model_fields[name].annotation
    return TypeAdapter(annotation)


def _checked(piece: bytes) -> bytes:
    """The piece, if it holds no NaN or infinity (the text is read back only if it may)."""
    if b"NaN" in piece or b"Infinity" in piece:
        json.loads(piece, parse_constant=_refuse_constant)
    return piece


def _refuse_constant(name: str) -> float:
    raise ValueError(f"decomposition.json cannot hold {name}: a metric was not computed")


def json_schema() -> str:
    """The JSON Schema (draft 2020-12) of decomposition.json, as pretty-printed text."""
    schema = Decomposition.model_json_schema()
    document = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        **schema,
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def load_decomposition(text: str, *, source: str = "the input") -> Decomposition:
    """Parse and validate decomposition.json text.

    Args:
        text: The file's content.
        source: How to name the input in error messages, e.g. its path.

    Returns:
        The validated decomposition.

    Raises:
        ReportError: The text is not JSON, is written by a newer major schema version,
            or does not match the schema.
    """
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise ReportError(
            f"{source} is not valid JSON: {error.msg} at line {error.lineno} column {error.colno}"
        ) from None
    except RecursionError:
        raise ReportError(nested_too_deeply(source)) from None
    if not isinstance(data, dict):
        raise ReportError(
            f"{source} is not a decomposition: expected a JSON object, found {_json_type(data)}"
        )
    version = _check_version(data.get("schema_version", SCHEMA_VERSION), source)
    try:
        return Decomposition.model_validate(data)
    except ValidationError as error:
        raise ReportError(_mismatch_message(error, source, version)) from None


def nested_too_deeply(source: str) -> str:
    """The message for JSON nested deeper than Python's parser follows (no report is)."""
    return f"{source} is nested too deeply to be a decomposition or a mapping"


def _major_minor(version: str) -> tuple[int, int] | None:
    parts = version.split(".")
    if len(parts) != 2 or not all(part.isdigit() for part in parts):
        return None
    return int(parts[0]), int(parts[1])


def _check_version(version: object, source: str) -> tuple[int, int]:
    """The file's (major, minor); refuse a malformed version or a newer major one."""
    parsed = _major_minor(version) if isinstance(version, str) else None
    if parsed is None:
        raise ReportError(
            f'{source} has schema_version {json.dumps(version)}; expected "MAJOR.MINOR"'
        )
    supported = _major_minor(SCHEMA_VERSION)
    assert supported is not None
    if parsed[0] > supported[0]:
        raise ReportError(
            f"{source} uses schema_version {version}, newer than the {supported[0]}.x "
            "this decompose reads",
            hint="upgrade decompose, or re-run `decompose analyze` with this version",
        )
    return parsed


def _mismatch_message(error: ValidationError, source: str, version: tuple[int, int]) -> str:
    problems = [
        f"{'.'.join(str(part) for part in item['loc']) or '(top level)'}: {item['msg']}"
        for item in error.errors(include_url=False)
    ]
    shown = "; ".join(problems[:MAX_LISTED_ERRORS])
    more = len(problems) - MAX_LISTED_ERRORS
    if more > 0:
        shown += f"; and {more} more"
    message = f"{source} does not match the decomposition schema ({len(problems)} error(s))"
    supported = _major_minor(SCHEMA_VERSION)
    if supported is not None and version > supported:
        # A newer minor version may add fields this version does not know yet.
        message += f", perhaps because it uses the newer schema {version[0]}.{version[1]}"
    return f"{message}: {shown}"


def _json_type(value: object) -> str:
    names = {list: "an array", str: "a string", bool: "a boolean", type(None): "null"}
    return names.get(type(value), "a number")
