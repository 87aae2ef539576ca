"""String literals that look like dotted paths (settings, URL confs, plugin registries)."""

from __future__ import annotations

import re

from decompose.extraction.context import ModuleContext
from decompose.model import StringRef

# A quoted a.b[.c...] with no spaces; whether it names project code is decided
# at resolution, against the modules that exist.
_DOTTED_STRING = re.compile(r"""(['"])([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+)(?::[A-Za-z_]\w*)?\1""")


# A call's first two arguments as string literals: a module path or app label, then a
# name in it or a list of names (`get_class("a.forms", "F")`, `get_classes("a", ["F", "G"])`).
_PAIR = re.compile(
    r"""\(\s*(['"])([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*)\1\s*,\s*"""
    r"""(?:(['"])([A-Za-z_]\w*)\3|[\[(]\s*((?:(['"])[A-Za-z_]\w*\6\s*,?\s*)+)[\])])"""
)
_QUOTED_NAME = re.compile(r"""['"]([A-Za-z_]\w*)['"]""")


def string_refs(ctx: ModuleContext) -> list[StringRef]:
    """Every dotted-path-like string literal, with its line; `pkg.mod:attr` keeps the module.

    Pairs of strings opening a call come as one reference each name, carrying the name;
    a pair whose first string has no dot must name a class (an app label and a model).
    """
    seen: set[tuple[str, int, str]] = set()
    refs = []
    for match in _DOTTED_STRING.finditer(ctx.source):
        key = (match.group(2), ctx.line_at(match.start()), "")
        if key not in seen:
            seen.add(key)
            refs.append(StringRef(value=key[0], line=key[1]))
    for match in _PAIR.finditer(ctx.source):
        names = [match.group(4)] if match.group(4) else _QUOTED_NAME.findall(match.group(5))
        line = ctx.line_at(match.start())
        for name in names:
            if "." not in match.group(2) and not name[0].isupper():
                continue  # `environ.get("HOME", "default")`: no app label and model
            key = (match.group(2), line, name)
            if key not in seen:
                seen.add(key)
                refs.append(StringRef(value=key[0], line=line, name=name))
    return refs
