"""Source tree to files and dotted module names: packages, src layouts, namespaces, scripts."""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from decompose.errors import SourceTreeError
from decompose.model import SkippedFile

_SOURCE_DIRS = ("src", "lib", "python")


@dataclass(frozen=True)
class SourceFile:
    """A Python file of the project and the module name it is imported by."""

    path: Path
    relpath: str  # relative to the analyzed root, '/'-separated
    module: str
    is_package: bool


@dataclass
class SourceTree:
    """The modules of a project, the files left out and why, and import aliases.

    `aliases` maps a prefix the code may import by (a namespace path such as
    `backend.app`) to the module name discovery chose (`app`). `excluded` holds the
    module names (or package prefixes) of files left out by an exclude pattern, so
    that an import of one is not taken for an import of its parent package.
    """

    root: Path
    files: list[SourceFile] = field(default_factory=list)
    skipped: list[SkippedFile] = field(default_factory=list)
    aliases: dict[str, str] = field(default_factory=dict)
    excluded: set[str] = field(default_factory=set)


@lru_cache(maxsize=256)
def glob_regex(pattern: str) -> re.Pattern[str]:
    """Compile a gitignore-like glob: `**` spans directories, `*` does not.

    A pattern without a slash matches a file or directory name anywhere; a leading `/`
    anchors it at the analyzed root (`/setup.py`).
    """
    pattern = pattern.strip().removeprefix("./")
    if pattern.startswith("/"):
        pattern = pattern.lstrip("/")
    elif "/" not in pattern.rstrip("/"):
        pattern = "**/" + pattern
    # `dir/**` also matches `dir` itself, so whole directories are pruned, not walked.
    pattern = pattern.removesuffix("/**")
    out, i = [], 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif pattern.startswith("**", i):
            out.append(".*")
            i += 2
        elif pattern[i] == "*":
            out.append("[^/]*")
            i += 1
        elif pattern[i] == "?":
            out.append("[^/]")
            i += 1
        else:
            out.append(re.escape(pattern[i]))
            i += 1
    return re.compile("".join(out).rstrip("/") + "(?:/.*)?\\Z")


def is_excluded(relpath: str, patterns: tuple[str, ...]) -> bool:
    """Whether a '/'-separated relative path (file or directory) matches any pattern."""
    return bool(patterns) and _any_of(patterns).match(relpath) is not None


@lru_cache(maxsize=32)
def _any_of(patterns: tuple[str, ...]) -> re.Pattern[str]:
    """One regex for all patterns: a walk asks once per file, not once per pattern."""
    return re.compile("|".join(f"(?:{glob_regex(p).pattern})" for p in patterns))


def discover(
    root: Path, excludes: tuple[str, ...] = (), max_file_bytes: int = 2_000_000
) -> SourceTree:
    """Find the project's Python modules under `root` (a directory or one .py file).

    Raises:
        SourceTreeError: `root` does not exist, is not a directory or .py file, or holds
            no Python module once excludes are applied.
    """
    root = Path(root)
    if not root.exists():
        raise SourceTreeError(f"{root}: no such file or directory")
    root = root.resolve()
    if root.is_file():
        if root.suffix != ".py":
            raise SourceTreeError(f"{root}: not a directory or a .py file")
        tree = SourceTree(root=root.parent)
        _add_file(tree, _Namer(tree.root), root, root.name, max_file_bytes)
    elif root.is_dir():
        tree = SourceTree(root=root)
        namer = _Namer(root)
        for path, rel in _walk(root, excludes, tree, namer):
            _add_file(tree, namer, path, rel, max_file_bytes)
    else:
        raise SourceTreeError(f"{root}: not a regular file or directory")
    _resolve_collisions(tree)
    if not tree.files:
        reason = f" ({len(tree.skipped)} skipped)" if tree.skipped else ""
        raise SourceTreeError(f"{root}: no Python modules found{reason}")
    tree.files.sort(key=lambda f: f.module)
    tree.skipped.sort(key=lambda s: s.path)
    return tree


def _walk(
    root: Path, excludes: tuple[str, ...], tree: SourceTree, namer: _Namer
) -> list[tuple[Path, str]]:
    """The .py files under `root` that no pattern excludes, with their relative paths.

    Left out, each with one entry in `tree.skipped`: directory links, and names that are
    not UTF-8 (the reports could not hold them; a directory's stands for everything in it).
    """
    found: list[tuple[Path, str]] = []
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False, onerror=None):
        here = Path(dirpath)
        rel_dir = here.relative_to(root).as_posix()
        kept = []
        for name in sorted(dirnames):
            rel = f"{rel_dir}/{name}" if rel_dir != "." else name
            sub = here / name
            if name.startswith(".") or (sub / "pyvenv.cfg").exists():
                continue
            if is_excluded(rel, excludes):
                _remember_excluded(tree, namer, sub / "__init__.py")
                continue
            if not _is_utf8(name):
                tree.skipped.append(SkippedFile(path=printable(rel), reason=_NOT_UTF8))
                continue
            if sub.is_symlink():
                reason = "symbolic link to a directory"
                tree.skipped.append(SkippedFile(path=printable(rel), reason=reason))
                continue
            kept.append(name)
        dirnames[:] = kept
        for name in sorted(filenames):
            if not name.endswith(".py"):
                continue
            rel = f"{rel_dir}/{name}" if rel_dir != "." else name
            if not _is_utf8(name):
                tree.skipped.append(SkippedFile(path=printable(rel), reason=_NOT_UTF8))
            elif is_excluded(rel, excludes):
                _remember_excluded(tree, namer, here / name)
            else:
                found.append((here / name, rel))
    return found


_NOT_UTF8 = "not analyzed: its name is not valid UTF-8 (rename it to include it)"


def _is_utf8(name: str) -> bool:
    """Whether a name from the file system decoded as UTF-8.

    Python keeps the bytes it could not decode as lone surrogates, which no report holds.
    """
    if name.isascii():
        return True
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def printable(name: str) -> str:
    r"""A name fit for a report or a terminal, the same name if it already is.

    Bytes that were not UTF-8 become `\xNN`; control characters are escaped as in a
    Python string (`\n`, `\x1b`), so a name can neither break a line nor drive a terminal.
    """
    if name.isprintable():
        return name
    out = []
    for char in name:
        if char.isprintable():
            out.append(char)
        elif "\udc80" <= char <= "\udcff":  # a byte that was not UTF-8
            out.append(f"\\x{ord(char) - 0xDC00:02x}")
        else:
            out.append(repr(char)[1:-1])
    return "".join(out)


def _inside(link: Path, root: Path) -> bool:
    """Whether a symbolic link ends at a file under `root` (itself resolved)."""
    return Path(os.path.realpath(link)).is_relative_to(root)


def _remember_excluded(tree: SourceTree, namer: _Namer, path: Path) -> None:
    """Note the module name of an excluded file (or package, by its __init__.py)."""
    if path.name == "__init__.py" and not path.exists():
        return
    parts, _, _ = namer.parts(path)
    if parts and all(p.isidentifier() for p in parts):
        tree.excluded.add(".".join(parts))


def _add_file(tree: SourceTree, namer: _Namer, path: Path, rel: str, max_file_bytes: int) -> None:
    rel = printable(rel)
    try:
        status = os.lstat(path)
        if stat.S_ISLNK(status.st_mode):
            if not _inside(path, tree.root):
                reason = "symbolic link to a file outside the analyzed tree (not read)"
                tree.skipped.append(SkippedFile(path=rel, reason=reason))
                return
            status = os.stat(path)
        if not stat.S_ISREG(status.st_mode):
            raise OSError("not a regular file (broken or looping symbolic link?)")
    except OSError as exc:
        tree.skipped.append(SkippedFile(path=rel, reason=f"unreadable: {_os_reason(exc)}"))
        return
    if status.st_size > max_file_bytes:
        reason = f"too large ({status.st_size // 1_000_000} MB > limit; generated?)"
        tree.skipped.append(SkippedFile(path=rel, reason=reason))
        return
    if not os.access(path, os.R_OK):
        tree.skipped.append(SkippedFile(path=rel, reason="unreadable: permission denied"))
        return
    parts, is_package, aliases = namer.parts(path)
    bad = [p for p in parts if not p.isidentifier()]
    if bad or not parts:
        tree.skipped.append(
            SkippedFile(path=rel, reason=f"not importable: {bad[0]!r} is not a Python identifier")
        )
        return
    module = ".".join(parts)
    tree.files.append(SourceFile(path=path, relpath=rel, module=module, is_package=is_package))
    for alias in aliases:
        tree.aliases.setdefault(alias, parts[0])


class _Namer:
    """Module names of the files under one root; each directory is worked out once.

    A file inside regular packages is named from its topmost package (`src/`,
    `backend/` or any other directory above it is an import root). A file outside
    any package is named from the analyzed root, its folders as namespace packages.
    """

    def __init__(self, root: Path) -> None:
        self.root = root
        self._directories: dict[Path, tuple[tuple[str, ...], tuple[str, ...]]] = {}
        self._packages: dict[Path, bool] = {}

    def parts(self, path: Path) -> tuple[list[str], bool, tuple[str, ...]]:
        """The dotted parts of `path`'s module name, whether it is a package, its aliases."""
        is_package = path.name == "__init__.py"
        directory = path.parent
        known = self._directories.get(directory)
        if known is None:
            known = self._directories[directory] = self._directory(directory)
        prefix, aliases = known
        return [*prefix] if is_package else [*prefix, path.stem], is_package, aliases

    def _is_package(self, directory: Path) -> bool:
        known = self._packages.get(directory)
        if known is None:
            known = self._packages[directory] = (directory / "__init__.py").exists()
        return known

    def _directory(self, directory: Path) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """The name parts a directory gives its modules, and the aliases of its package."""
        root = self.root
        if not self._is_package(directory):
            # Loose module or namespace package: named from the root (or its src/ folder).
            inside_root = root == directory or root in directory.parents
            rel = directory.relative_to(root).parts if inside_root else ()
            if rel and rel[0] in _SOURCE_DIRS:
                rel = rel[1:]
            return tuple(rel), ()
        parts: list[str] = []
        while self._is_package(directory):
            parts.append(directory.name)
            if directory == directory.parent:
                break
            directory = directory.parent
        parts.reverse()
        # Also reachable through the namespace folders between the root and the package.
        if directory != root and root in directory.parents:
            prefix = directory.relative_to(root).parts
            if prefix[0] in _SOURCE_DIRS:
                prefix = prefix[1:]
            if prefix and all(p.isidentifier() for p in prefix):
                return tuple(parts), (".".join((*prefix, parts[0])),)
        return tuple(parts), ()


def _resolve_collisions(tree: SourceTree) -> None:
    """Two files claiming one module name: a package beats a same-named module file."""
    by_name: dict[str, list[SourceFile]] = {}
    for source in tree.files:
        by_name.setdefault(source.module, []).append(source)
    kept: list[SourceFile] = []
    for name, sources in by_name.items():
        sources.sort(key=lambda s: (not s.is_package, s.relpath.count("/"), s.relpath))
        kept.append(sources[0])
        for loser in sources[1:]:
            reason = f"duplicate module name {name!r} (also {sources[0].relpath})"
            tree.skipped.append(SkippedFile(path=loser.relpath, reason=reason))
    tree.files = kept


def _os_reason(exc: OSError) -> str:
    return exc.strerror or str(exc)
