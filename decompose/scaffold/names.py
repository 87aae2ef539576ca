"""Names from analyzed code made safe: identifiers, DNS labels, env vars, paths, literals.

Everything that reaches a generated file from the report goes through one of these
functions: they never fail, they are deterministic, and their output is valid for the
language it lands in whatever the input (hostile names such as `../evil` included).
"""

from __future__ import annotations

import hashlib
import json
import keyword
import re
import unicodedata
from collections.abc import Iterable
from pathlib import PurePosixPath

from decompose.errors import UnsafePathError

_DNS_MAX = 63
_IDENT_MAX = 60
_NON_WORD = re.compile(r"[^0-9A-Za-z]+")
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|#~!])")
_PATH_PART = re.compile(r"^[A-Za-z0-9_.-]+$")


def one_line(text: str) -> str:
    """Text on one line: control, format and line-separator characters become spaces."""
    chars = (
        " " if unicodedata.category(c)[0] == "C" or unicodedata.category(c) in ("Zl", "Zp") else c
        for c in text
    )
    return " ".join("".join(chars).split())


def words(text: str) -> list[str]:
    """The ASCII words of a name: accents dropped, camelCase and punctuation split."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return [w.lower() for w in _NON_WORD.split(_CAMEL.sub(" ", ascii_text)) if w]


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:6]


def identifier(text: str, *, fallback: str = "name") -> str:
    """A snake_case Python identifier: ASCII, not a keyword, not starting with a digit."""
    name = "_".join(words(text))[:_IDENT_MAX].strip("_")
    if not name:
        name = f"{fallback}_{_digest(text)}"
    if name[0].isdigit():
        name = f"{fallback}_{name}"
    if keyword.iskeyword(name) or keyword.issoftkeyword(name):
        name += "_"
    return name


def pascal(text: str, *, fallback: str = "Name") -> str:
    """A PascalCase Python class name."""
    parts = words(text)
    name = "".join(p[:1].upper() + p[1:] for p in parts)[:_IDENT_MAX]
    if not name:
        name = f"{fallback}{_digest(text).upper()}"
    if name[0].isdigit():
        name = fallback + name
    return name


def dns_label(text: str, *, fallback: str = "service") -> str:
    """A DNS-1035 label (Kubernetes Service names): [a-z]([-a-z0-9]*[a-z0-9])?, at most 63."""
    name = "-".join(words(text))
    if not name:
        name = f"{fallback}-{_digest(text)}"
    if not name[0].isalpha():
        name = f"{fallback}-{name}"
    return name[:_DNS_MAX].rstrip("-")


def kebab(text: str, *, fallback: str = "item") -> str:
    """A URL path segment: lowercase words joined by hyphens."""
    return dns_label(text, fallback=fallback)


def env_name(text: str, *, fallback: str = "SERVICE") -> str:
    """An environment variable name: [A-Z_][A-Z0-9_]*."""
    return identifier(text, fallback=fallback.lower()).upper().rstrip("_")


def humanize(text: str) -> str:
    """A readable title from a name: `create_product` -> `Create product`."""
    parts = words(text)
    phrase = " ".join(parts)
    return phrase[:1].upper() + phrase[1:] if phrase else one_line(text)


def plural(word: str) -> str:
    """A naive English plural, enough for resource paths (`category` -> `categories`)."""
    if word.endswith("y") and word[-2:-1] not in ("a", "e", "i", "o", "u"):
        return word[:-1] + "ies"
    if word.endswith(("s", "x", "z", "ch", "sh")):
        return word + "es"
    return word + "s"


class UniqueNames:
    """Hands out names that are unique within one namespace, in a deterministic order."""

    def __init__(self, reserved: Iterable[str] = (), *, separator: str = "_") -> None:
        self._taken = {n.lower() for n in reserved}
        self._separator = separator

    def claim(self, name: str, *, suffix: str = "") -> str:
        """Return `name`, or `name` + `suffix`, or a numbered variant not handed out before."""
        candidates = [name, name + suffix] if suffix else [name]
        for candidate in candidates:
            if candidate.lower() not in self._taken:
                self._taken.add(candidate.lower())
                return candidate
        number = 2
        while f"{name}{self._separator}{number}".lower() in self._taken:
            number += 1
        chosen = f"{name}{self._separator}{number}"
        self._taken.add(chosen.lower())
        return chosen


def safe_relpath(relpath: str) -> PurePosixPath:
    """Check that a planned path stays inside the output root; return it as a POSIX path.

    Raises:
        UnsafePathError: if the path is absolute, empty, contains `..`, a NUL byte, a
            backslash or a segment made of anything but letters, digits, `_`, `.` and `-`.
    """
    path = PurePosixPath(relpath)
    bad = (
        not relpath
        or "\x00" in relpath
        or "\\" in relpath
        or path.is_absolute()
        or any(part in ("", ".", "..") or not _PATH_PART.match(part) for part in relpath.split("/"))
    )
    if bad:
        raise UnsafePathError(f"refusing to write {relpath!r}: it is not a plain relative path")
    return path


# Escaping, one function per target language; registered as Jinja filters.


def py_doc(text: str) -> str:
    """Text for the inside of a triple-quoted Python docstring; it reads back unchanged."""
    return one_line(text).replace("\\", "\\\\").replace('"', '\\"')


def py_comment(text: str) -> str:
    """Text for a `#` comment: one line."""
    return one_line(text)


def quoted(text: str) -> str:
    """A double-quoted string that reads back unchanged in YAML and TOML (JSON for BMP text)."""
    return _escape_invisible(json.dumps(text, ensure_ascii=False))


def _invisible(char: str) -> bool:
    category = unicodedata.category(char)
    return category[0] == "C" or category in ("Zl", "Zp")


def _escape_invisible(literal: str) -> str:
    # Inside a double-quoted literal: control, format, unassigned and separator characters
    # become \u or \U escapes, which Python, YAML and TOML all read the same way.
    return "".join(
        (f"\\u{ord(c):04x}" if ord(c) <= 0xFFFF else f"\\U{ord(c):08x}") if _invisible(c) else c
        for c in literal
    )


def md(text: str) -> str:
    """Markdown prose: one line, markup characters escaped."""
    return _MD_SPECIAL.sub(r"\\\1", one_line(text)).replace("&", "&amp;")


def md_code(text: str) -> str:
    """A Markdown code span that holds any text, pipes escaped so it survives in tables."""
    content = one_line(text).replace("|", "\\|")
    runs = [len(r) for r in re.findall(r"`+", content)]
    fence = "`" * (max(runs, default=0) + 1)
    if content.startswith("`") or content.endswith("`"):
        content = f" {content} "
    return f"{fence}{content}{fence}"


def isort_key(name: str) -> tuple[int, str, str]:
    """Ruff's isort order for imported names: CONSTANTS, then Classes, then the rest."""
    if name.isupper() and len(name) > 1:
        kind = 0
    elif name[:1].isupper():
        kind = 1
    else:
        kind = 2
    return kind, name.lower(), name


def isort(names: Iterable[str]) -> list[str]:
    """Names in ruff's isort order (also the order RUF022 wants for `__all__`)."""
    return sorted(set(names), key=isort_key)


# The line length of generated Python: the services' pyproject gives it to ruff, and every
# layout decision here and in `pyformat` is made against it.
LINE_LENGTH = 100


def from_import(module: str, names: Iterable[str], line_length: int = LINE_LENGTH) -> str:
    """A `from module import names` statement formatted the way ruff's isort formats it."""
    listed = isort(names)
    line = f"from {module} import {', '.join(listed)}"
    if len(line) <= line_length:
        return line
    body = "".join(f"    {name},\n" for name in listed)
    return f"from {module} import (\n{body})"


def md_text(text: str) -> str:
    """Markdown prose in which `backticked` parts stay code spans; the rest is escaped."""
    parts = one_line(text).split("`")
    if len(parts) % 2 == 0:  # an unmatched backtick: no code spans at all
        return md(text)
    return "".join(
        _MD_SPECIAL.sub(r"\\\1", p).replace("&", "&amp;") if i % 2 == 0 else md_code(p)
        for i, p in enumerate(parts)
    )


def py_literal(value: object) -> str:
    """A Python literal for a JSON-like value, strings double-quoted as ruff formats them."""
    if isinstance(value, str):
        text = _escape_invisible(json.dumps(value, ensure_ascii=False))
        if value.count('"') > value.count("'"):  # as ruff quotes it: the fewer escapes
            text = "'" + text[1:-1].replace('\\"', '"').replace("'", "\\'") + "'"
        return text
    if value is None or isinstance(value, (bool, int, float)):
        return repr(value)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(py_literal(v) for v in value) + "]"
    if isinstance(value, dict):
        items = (f"{py_literal(k)}: {py_literal(v)}" for k, v in value.items())
        return "{" + ", ".join(items) + "}"
    raise TypeError(f"no literal for {type(value).__name__}")
