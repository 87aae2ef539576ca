"""Python expressions laid out the way `ruff format` lays them out, for generated code.

The generated services check their code with `ruff format` (`names.LINE_LENGTH`), and code
that a user's formatter rewrites on first run is code they cannot diff against the next
scaffold. Most generated lines are fixed text and fit; the ones that do not are a value
or a call at the end of a line (`"order": {...},`, `pytest.param(...)`, a column's
`mapped_column(...)`), whose length depends on the analyzed project. For those the
formatter's rule is short:

- a line that fits stays as it is;
- else it is split at its last bracket: the head up to the bracket, the contents on one
  line further in, the closing bracket and whatever follows it;
- a head too long for the line after `return` or `await` puts the expression in
  parentheses first, the outermost whose inside starts with a line that fits;
- contents that do not fit on one line go one item per line, each with a trailing
  comma, each laid out by the same rule (a single item gets no comma), and so do the
  items of a list, dict or tuple written out, whenever it is split at all.

Definitions, annotations and operator chains have rules of their own (`definition`,
`annotated`, `chain`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from decompose.scaffold.names import LINE_LENGTH, py_literal

INDENT = 4
# Statements whose expression goes in parentheses when its own head is too long.
_KEYWORDS = frozenset({"return", "await", "yield"})


@dataclass(frozen=True)
class Code:
    """An expression that is never split: a name, a literal, `Integer()`."""

    text: str


@dataclass(frozen=True)
class Brackets:
    """`head(items)`, `[items]` or `{items}`: each item's prefix (`name=`, `"key": `) and value."""

    head: str
    open: str
    items: tuple[tuple[str, Expression], ...]
    close: str


Expression = Code | Brackets


def literal(value: object) -> Expression:
    """A JSON-like value as an expression (`py_literal` for its scalars)."""
    if isinstance(value, Mapping) and value:
        items = tuple((f"{py_literal(k)}: ", literal(v)) for k, v in value.items())
        return Brackets("", "{", items, "}")
    if isinstance(value, (list, tuple)) and value:
        return Brackets("", "[", _literals(value), "]")
    return Code(py_literal(value))


def _literals(values: Sequence[object]) -> tuple[tuple[str, Expression], ...]:
    """Positional items, each value a literal."""
    return tuple(("", literal(v)) for v in values)


def call(
    function: str, args: Sequence[object] = (), kwargs: Mapping[str, object] | None = None
) -> Expression:
    """`function(*args, **kwargs)`: an `Expression` or `Code` stays, other values are literals."""

    def expression(value: object) -> Expression:
        return value if isinstance(value, (Code, Brackets)) else literal(value)

    items = [("", expression(a)) for a in args]
    items += [(f"{k}=", expression(v)) for k, v in (kwargs or {}).items()]
    return Brackets(function, "(", tuple(items), ")")


def code(text: str) -> Code:
    """Source text that is used as it is."""
    return Code(text)


def subscript(head: str, values: Sequence[object]) -> Expression:
    """`head[values]`, of literals (`Literal["x"]`)."""
    return Brackets(head, "[", _literals(values), "]")


def chain(lead: str, operands: Sequence[str], operator: str, indent: int = 0) -> str:
    """`lead` and operands joined by a binary operator (`a / "b" / "c"`).

    Too long for the line, the operands go in parentheses, on one line if they fit,
    else one per line, each after the operator.
    """
    pad, inner = " " * indent, " " * (indent + INDENT)
    joined = f" {operator} ".join(operands)
    if indent + len(lead) + len(joined) <= LINE_LENGTH:
        return f"{pad}{lead}{joined}"
    if indent + INDENT + len(joined) <= LINE_LENGTH:
        return f"{pad}{lead}(\n{inner}{joined}\n{pad})"
    rest = "".join(f"\n{inner}{operator} {operand}" for operand in operands[1:])
    return f"{pad}{lead}(\n{inner}{operands[0]}{rest}\n{pad})"


def tuple_of(values: Sequence[object]) -> Expression:
    """A tuple written out, `(a, b)`, of literals."""
    return Brackets("", "(", _literals(values), ")")


def definition(prefix: str, name: str, params: Sequence[str], returns: str, indent: int = 0) -> str:
    """`def name(params) -> returns:` on one line, or one parameter per line.

    Without parameters, a return annotation too long for the line goes in parentheses.
    """
    pad = " " * indent
    line = f"{pad}{prefix}{name}({', '.join(params)}) -> {returns}:"
    if len(line) <= LINE_LENGTH:
        return line
    if not params:
        return f"{pad}{prefix}{name}() -> (\n{pad}{' ' * INDENT}{returns}\n{pad}):"
    inner = " " * (indent + INDENT)
    body = "".join(f"{inner}{param},\n" for param in params)
    return f"{pad}{prefix}{name}(\n{body}{pad}) -> {returns}:"


def annotated(name: str, annotation: str, assignment: str = "", indent: int = 0) -> str:
    """`name: annotation = value`; an annotation too long for the line goes in parentheses.

    `assignment` is what follows the annotation (` = None`), or nothing.
    """
    pad = " " * indent
    line = f"{pad}{name}: {annotation}{assignment}"
    if len(line) <= LINE_LENGTH:
        return line
    return f"{pad}{name}: (\n{pad}{' ' * INDENT}{annotation}\n{pad}){assignment}"


def flat(expression: Expression) -> str:
    """The expression on one line."""
    if isinstance(expression, Code):
        return expression.text
    inside = ", ".join(prefix + flat(value) for prefix, value in expression.items)
    return f"{expression.head}{expression.open}{inside}{expression.close}"


def lines(expression: Expression, indent: int = 0, lead: str = "", trailer: str = "") -> str:
    """`lead`, the expression and `trailer` as lines indented by `indent` spaces.

    The first line carries the indent too; lines are joined without a final newline.
    """
    return "\n".join(_lines(expression, indent, lead, trailer))


def _lines(expression: Expression, indent: int, lead: str, trailer: str) -> list[str]:
    pad = " " * indent
    one = f"{lead}{flat(expression)}{trailer}"
    if indent + len(one) <= LINE_LENGTH or isinstance(expression, Code) or not expression.items:
        return [pad + one]
    head = f"{pad}{lead}{expression.head}{expression.open}"
    if len(head) > LINE_LENGTH:  # `return (`, `await X(...)`, `)`: the outermost that helps
        words = lead.split(" ")
        for end in range(1, len(words)):
            outer, rest = " ".join(words[:end]), " ".join(words[end:])
            if words[end - 1] not in _KEYWORDS:
                break
            inside = f"{' ' * (indent + INDENT)}{rest}{expression.head}{expression.open}"
            if len(inside) <= LINE_LENGTH:
                wrapped = _lines(expression, indent + INDENT, rest, "")
                return [f"{pad}{outer} (", *wrapped, f"{pad}){trailer}"]
    tail = f"{pad}{expression.close}{trailer}"
    inner = indent + INDENT
    body = ", ".join(prefix + flat(value) for prefix, value in expression.items)
    several = len(expression.items) > 1
    if inner + len(body) <= LINE_LENGTH and not (several and _is_display(expression)):
        return [head, " " * inner + body, tail]
    if len(expression.items) == 1:
        prefix, value = expression.items[0]
        return [head, *_lines(value, inner, prefix, ""), tail]
    split = [line for p, v in expression.items for line in _lines(v, inner, p, ",")]
    return [head, *split, tail]


def _is_display(expression: Brackets) -> bool:
    """A list, dict or tuple written out (`[...]`, `{...}`), not a call's arguments."""
    return not expression.head and expression.open in "[{("
