"""decomposition.json: deterministic rendering, its JSON Schema, and reading it back."""

from __future__ import annotations

import json

import pydantic_core
from pydantic import ValidationError

from decompose.errors import ReportError
from decompose.model.decomposition import SCHEMA_VERSION, Decomposition

SCHEMA_ID = "https://example.invalid/decompose/decomposition.schema.json"
MAX_LISTED_ERRORS = 5


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
    return json_bytes(decomposition).decode("utf-8")


def json_bytes(decomposition: Decomposition) -> bytes:
    """render_json's text as UTF-8 bytes, encoded by pydantic-core in one pass.

    Python's own encoder walks the report one small piece at a time: about 2 s of the
    3 s of a warm saleor analysis went into its 1.1 million pieces. pydantic-core writes
    the same document (field order, indentation, UTF-8 kept) in a tenth of a second.

    Raises:
        ValueError: as render_json.
    """
    data = pydantic_core.to_json(decomposition, indent=2, inf_nan_mode="constants")
    if b"NaN" in data or b"Infinity" in data:  # rare: only then is the text read back
        json.loads(data, parse_constant=_refuse_constant)
    return data + b"\n"


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
