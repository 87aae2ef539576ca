"""What one file may cost: cheap checks that turn away sources the parser cannot afford.

libcst's native parser recurses once per level of nesting: 1,500 nested brackets
overflow its stack (a segfault, not an exception), and long chains (`1 + 1 + ...`,
`a.b.c...`, `x if c else ...`) cost it time and memory that grow with the square of
their length. CPython's own parser refuses such code cheaply and safely (too many nested
parentheses, recursion limits), so a file that looks suspicious is first shown to it.
Looking costs a scan at C speed (under 1% of a parse); ordinary files rarely look
suspicious (9 of the 18,048 files of the benchmark corpora, for lines of 2,000 characters
or more), and those pay a tenth of a parse more. Files that slip through
are stopped by their budget (`Budget`), which the worker processes enforce
(`extraction/workers.py`).
"""

from __future__ import annotations

import ast
import warnings
from dataclasses import dataclass
from itertools import accumulate

# Python refuses more than 200 nested brackets (its tokenizer's MAXLEVEL).
PYTHON_MAX_BRACKETS = 200

# The deepest expression decompose parses. libcst needs up to ~1.5 s and ~500 MB for a
# chain 1,000 deep (subscripts and calls are the slowest), 36 s for 2,900; code written
# by people nests a few dozen deep.
MAX_EXPRESSION_DEPTH = 1_000

# A file is suspicious, and shown to CPython's parser first, if counting every bracket
# (strings included) reaches this depth: half of what Python allows, so brackets in
# strings rarely hide a file's true depth.
SUSPICIOUS_BRACKETS = 100

# ...or if a line is this long: a chain deeper than the limit written on one line
# (`a.b` repeated 1,000 times is 2,000 characters).
SUSPICIOUS_LINE = 2_000

# ...or if it has this many `elif`: each is an `if` nested in the one before (libcst's
# stack overflows at about 10,000).
SUSPICIOUS_ELIFS = 1_000


@dataclass(frozen=True)
class Allowance:
    """What parsing one file may cost: CPU seconds, bytes of address space, wall seconds.

    None is no limit.
    """

    cpu_seconds: float | None
    memory_bytes: int | None
    wall_seconds: float | None


@dataclass(frozen=True)
class Budget:
    """What parsing a file may cost a worker process: a base, plus so much per byte.

    One file may cost no more than its size warrants. The largest file of the benchmark
    corpora (0.48 MB) takes 1.8 s of CPU and 175 MB, and ordinary code up to 6 µs and
    650 bytes of memory per byte; the 2 MB size limit's largest files get about 45 s
    and 3.5 GB. A 60 kB file of chained conditionals that would hold 1.6 GB gets 600 MB.

    Attributes:
        cpu_seconds: CPU time any file may take (None: no limit), plus
            `cpu_seconds_per_mb` per MB: three times the slowest ordinary code.
        memory_bytes: address space (Linux only) any file may add to what its worker
            held before it (None: no limit), plus `memory_per_byte` for each of its bytes.
        wall_factor: a file still running after this many times its CPU time in
            wall-clock time is stopped, whatever it waits for (a hung network disk).
    """

    cpu_seconds: float | None = 5.0
    cpu_seconds_per_mb: float = 20.0
    memory_bytes: int | None = 512 << 20
    memory_per_byte: int = 1_500
    wall_factor: float = 3.0

    def allowance(self, size: int) -> Allowance:
        """What a file of `size` bytes may cost."""
        cpu = (
            None
            if self.cpu_seconds is None
            else self.cpu_seconds + self.cpu_seconds_per_mb * size / 1e6
        )
        memory = (
            None if self.memory_bytes is None else self.memory_bytes + self.memory_per_byte * size
        )
        wall = None if cpu is None else cpu * self.wall_factor
        return Allowance(cpu, memory, wall)


_BRACKETS = b"([{)]}"
_NOT_BRACKETS = bytes(set(range(256)) - set(_BRACKETS))
_STEPS = bytes.maketrans(_BRACKETS, b"\x01\x01\x01\xff\xff\xff")  # +1 and -1, signed


def refusal(data: bytes, source: str) -> str | None:
    """Why parsing `source` (decoded from `data`) would cost too much, or None.

    Only a suspicious file is parsed by CPython (about a tenth of libcst's cost), and
    only its verdicts on nesting count: any other syntax error is left to libcst, which
    knows newer syntax than the running interpreter may.
    """
    if not _suspicious(data):
        return None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # invalid escapes and the like are not our business
            tree = compile(source, "<analyzed>", "exec", ast.PyCF_ONLY_AST, dont_inherit=True)
    except SyntaxError as exc:
        if "too many nested parentheses" in str(exc.msg):
            return f"too deeply nested: brackets more than {PYTHON_MAX_BRACKETS} deep"
        if "nested too deeply" in str(exc.msg):
            return f"too deeply nested: {exc.msg}"
        return None
    except (RecursionError, MemoryError) as exc:
        return f"too deeply nested for Python itself to compile ({type(exc).__name__})"
    except Exception:  # NUL bytes and the like: libcst says it better
        return None
    depth = expression_depth(tree)
    if depth > MAX_EXPRESSION_DEPTH:
        return (
            f"too deeply nested: an expression {depth:,} levels deep "
            f"(decompose parses up to {MAX_EXPRESSION_DEPTH:,})"
        )
    return None


def _suspicious(data: bytes) -> bool:
    """About 10 ms per MB (libcst parses a MB in about 1.4 s): C loops, no regex.

    A regex for a long line retries from every character of every shorter line.
    """
    if data.count(b"elif") >= SUSPICIOUS_ELIFS:
        return True
    steps = memoryview(data.translate(_STEPS, _NOT_BRACKETS)).cast("b")
    if max(accumulate(steps), default=0) >= SUSPICIOUS_BRACKETS:
        return True
    return len(data) >= SUSPICIOUS_LINE and max(map(len, data.split(b"\n"))) >= SUSPICIOUS_LINE


def expression_depth(tree: ast.AST) -> int:
    """How deep expressions nest in `tree` (statements do not count): iterative, any depth."""
    deepest = 0
    stack: list[tuple[ast.AST, int]] = [(tree, 0)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, ast.expr):
            depth += 1
            deepest = max(deepest, depth)
        stack.extend((child, depth) for child in ast.iter_child_nodes(node))
    return deepest
