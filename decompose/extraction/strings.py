"""String literals that look like dotted paths (settings, URL confs, plugin registries)."""

from __future__ import annotations

import re

from decompose.extraction.context import ModuleContext
from decompose.model import StringRef

# A quoted a.b[.c...] with no spaces; whether it names project code is decided
# at resolution, against the modules that exist.
_DOTTED_STRING = re.compile(r"""(['"])([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+)(?::[A-Za-z_]\w*)?\1""")


def string_refs(ctx: ModuleContext) -> list[StringRef]:
    """Every dotted-path-like string literal, with its line; `pkg.mod:attr` keeps the module."""
    seen: set[tuple[str, int]] = set()
    refs = []
    for match in _DOTTED_STRING.finditer(ctx.source):
        key = (match.group(2), ctx.line_at(match.start()))
        if key not in seen:
            seen.add(key)
            refs.append(StringRef(value=key[0], line=key[1]))
    return refs
