"""Extract the facts of one module from its bytes: decode, parse once, walk once."""

from __future__ import annotations

import io
import re
import tokenize
from collections.abc import Iterator
from contextlib import contextmanager

import libcst as cst

from decompose.extraction.context import ModuleContext
from decompose.extraction.definitions import DefinitionCollector
from decompose.extraction.imports import ImportCollector
from decompose.extraction.limits import refusal
from decompose.extraction.orm import OrmCollector
from decompose.extraction.routes import RouteCollector
from decompose.extraction.strings import string_refs
from decompose.extraction.transactions import ATOMIC_REQUESTS, TransactionCollector
from decompose.extraction.urls import UrlCollector
from decompose.extraction.walker import walk
from decompose.model import DependencyKind, ModuleFacts, SkippedFile, Transaction

_CODING = re.compile(rb"^[ \t\f]*#.*?coding[:=]", re.M)
_AT_LINE = re.compile(r"@ [0-9]+:")  # libcst's "Syntax Error @ LINE:COLUMN."
# A blueprint is how Flask (and Quart, Sanic) code declares one part of an app: its routes.
_BLUEPRINT = re.compile(r"\bBlueprint\(")


def decode(data: bytes) -> str:
    """Source text from bytes, honouring a BOM and a PEP 263 coding line.

    Raises:
        ValueError: with the reason the bytes are not Python source text.
    """
    if b"\x00" in data:
        raise ValueError("contains NUL bytes (binary or corrupted file)")
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    except SyntaxError as exc:
        if _CODING.search(b"\n".join(data.split(b"\n", 2)[:2])):
            raise ValueError(f"bad encoding declaration: {exc.msg}") from None
        encoding = "utf-8"  # no declaration: the bytes themselves are not UTF-8
    try:
        return data.decode(encoding)
    except (UnicodeDecodeError, LookupError) as exc:
        raise ValueError(
            f"not valid {encoding}: {exc.reason if hasattr(exc, 'reason') else exc}"
        ) from None


def extract(data: bytes, module: str, path: str, is_package: bool) -> ModuleFacts | SkippedFile:
    """All facts of one module, or the reason it was skipped. Never raises for bad input."""
    try:
        source = decode(data)
    except ValueError as exc:
        return SkippedFile(path=path, reason=str(exc))
    too_costly = refusal(data, source)
    if too_costly is not None:
        return SkippedFile(path=path, reason=too_costly)
    parts = _Parts(source)
    try:
        trees = iter(parts)
        ctx = ModuleContext(module, path, is_package, source, next(trees))
        collectors = _Collectors()
        collectors.walk(ctx)
        for tree in trees:  # the previous part's tree is freed as the next one is parsed
            ctx.tree = tree
            collectors.walk(ctx)
    except cst.ParserSyntaxError as exc:
        line = exc.raw_line + parts.first_line - 1
        message = _AT_LINE.sub(f"@ {line}:", str(exc).strip().splitlines()[0], count=1)
        return SkippedFile(path=path, reason=f"syntax error at line {line}: {message}")
    except RecursionError:
        return SkippedFile(path=path, reason="too deeply nested to parse")
    except Exception as exc:  # the native parser reports some inputs with other errors
        return SkippedFile(path=path, reason=f"cannot parse: {type(exc).__name__}: {exc}")
    try:
        return collectors.facts(ctx)
    except RecursionError:  # a collector rendering an expression nested hundreds deep
        return SkippedFile(path=path, reason="too deeply nested to analyze")


# A module this long is parsed a part at a time, each part about PART_CHARS long and
# made of whole top-level statements: libcst's tree of a module holds about 650 bytes
# per byte of source (1.3 GB for a 2 MB module), the tree of one part a few tens of MB.
PARTS_FROM = 256_000
PART_CHARS = 64_000
MAX_MISSES = 8  # cuts that do not parse, in a row, before the rest is parsed whole

# A line that may begin a top-level statement: it starts in the first column with a
# name, a keyword or a decorator, and does not continue the statement above it.
_MAY_START = re.compile(r"^(?=[A-Za-z_@])(?!(?:else|elif|except|finally)\b)", re.M)


class _Parts:
    """The parsed trees of a module's parts, in order; `first_line` is the current part's.

    A short module is one part. A long one is cut before a line that may start a
    top-level statement, once a part is PART_CHARS long, and the part is kept only if
    it parses: text that parses on its own cannot end inside a string, a bracket, a
    decorated definition or a block, so the cut fell between two statements. A cut that
    does not parse is tried at the next line instead; after MAX_MISSES of them the rest
    of the module is parsed whole, which is where a syntax error is reported. A cut in
    an odd place costs time or memory, never a wrong answer.
    """

    def __init__(self, source: str) -> None:
        self.source = source
        self.first_line = 1

    def __iter__(self) -> Iterator[cst.Module]:
        source = self.source
        if len(source) < PARTS_FROM:
            yield parse(source)
            return
        start = 0  # character offset of the current part
        misses = 0  # cuts in a row that did not parse
        for match in _MAY_START.finditer(source, PART_CHARS):
            cut = match.start()
            if cut - start < PART_CHARS:
                continue
            try:
                tree = parse(source[start:cut])
            except cst.ParserSyntaxError:
                misses += 1
                if misses == MAX_MISSES:
                    break
                continue
            misses = 0
            yield tree
            del tree
            self.first_line += source.count("\n", start, cut)
            start = cut
        yield parse(source[start:])


def parse(source: str | bytes) -> cst.Module:
    """`libcst.parse_module`, without re-checking each node the parser builds.

    Raises:
        libcst.ParserSyntaxError: and whatever else `parse_module` raises.
    """
    with _parser_output_trusted():
        return cst.parse_module(source)


@contextmanager
def _parser_output_trusted() -> Iterator[None]:
    """Skip libcst's per-node checks while its parser builds a tree; restore them after.

    Every node re-checks, as it is created, invariants that guard hand-built trees
    (a keyword needs whitespace before a name, parentheses must balance); the
    parser only builds nodes from source it accepted, and the checks cost 15-20% of
    a parse (libcst marks them with a PERF note for this reason). Syntax errors
    are still raised by the parser itself. The hook is the class's, so nodes that
    other threads build during the parse go unchecked too; extraction runs in worker
    processes, or in the caller's thread when there are only a few files.
    """
    node = cst.CSTNode
    checks = node.__dict__.get("__post_init__")
    if checks is None:  # a libcst without the hook: nothing to skip
        yield
        return
    node.__post_init__ = _unchecked  # type: ignore[method-assign]
    try:
        yield
    finally:
        node.__post_init__ = checks  # type: ignore[method-assign]


def _unchecked(self: cst.CSTNode) -> None:
    """Stands in for CSTNode.__post_init__ while a trusted parse runs."""


def lines_of_code(source: str) -> int:
    """Lines that are neither blank nor only a comment."""
    return sum(1 for text in map(str.lstrip, source.splitlines()) if text and text[0] != "#")


def facts_of(ctx: ModuleContext) -> ModuleFacts:
    """Run every collector over one traversal of the parsed module."""
    collectors = _Collectors()
    collectors.walk(ctx)
    return collectors.facts(ctx)


class _Collectors:
    """Every collector of one module, walked over its tree, or its parts' trees in order."""

    def __init__(self) -> None:
        self.imports, self.definitions = ImportCollector(), DefinitionCollector()
        self.models, self.transactions = OrmCollector(), TransactionCollector()
        self.routes, self.urls = RouteCollector(), UrlCollector()

    def walk(self, ctx: ModuleContext) -> None:
        """Hand the statements of `ctx.tree` to every collector."""
        walk(
            ctx,
            [
                self.imports,
                self.definitions,
                self.models,
                self.transactions,
                self.routes,
                self.urls,
            ],
        )

    def facts(self, ctx: ModuleContext) -> ModuleFacts:
        """What the collectors found, once every part was walked."""
        imports, definitions, routes, urls = self.imports, self.definitions, self.routes, self.urls
        import_facts = imports.finish(ctx)
        dynamic_imports = {
            (f.target, f.line) for f in import_facts if DependencyKind.DYNAMIC in f.kinds
        }
        bound = {n.alias or n.name for f in import_facts for n in f.names}
        bound |= {f.alias or f.target.partition(".")[0] for f in import_facts if not f.names}
        bound |= set(definitions.definitions)
        return ModuleFacts(
            module=ctx.module,
            path=ctx.path,
            is_package=ctx.is_package,
            loc=lines_of_code(ctx.source),
            imports=tuple(import_facts),
            definitions=tuple(definitions.definitions.values()),
            models=tuple(self.models.models),
            transactions=tuple(
                Transaction(
                    line=line,
                    function=function,
                    names=tuple(sorted(names & bound)),
                    kind=kind,
                    uses=tuple(u for u in uses if u.partition(".")[0] in bound),
                )
                for line, function, names, uses, kind in self.transactions.blocks
            ),
            string_refs=tuple(
                ref for ref in string_refs(ctx) if (ref.value, ref.line) not in dynamic_imports
            ),
            declares_app="Blueprint" in bound and _BLUEPRINT.search(ctx.source) is not None,
            routes=(*routes.routes, *urls.routes),
            atomic_requests=ATOMIC_REQUESTS.search(ctx.source) is not None,
            routers=tuple(routes.routers[name] for name in sorted(routes.routers)),
            mounts=(*routes.mounts, *urls.mounts),
        )
