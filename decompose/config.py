"""Settings: defaults < [tool.decompose] in the analyzed project's pyproject.toml < CLI flags."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from decompose.errors import ConfigError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib

DEFAULT_EXCLUDES: tuple[str, ...] = (
    "**/tests/**",
    "**/test/**",
    "**/testing/**",
    "**/testutils/**",
    "**/test_utils/**",
    "**/test_*.py",
    "**/tests.py",  # a Django app's test module
    "**/*_test.py",
    "**/*_tests.py",
    "**/conftest.py",
    "**/testproject/**",  # the Django project a reusable app's tests run in
    "**/test_project/**",
    "**/migrations/**",
    "**/migration/**",
    "**/alembic/versions/**",
    "**/.venv/**",
    "**/venv/**",
    "**/.tox/**",
    "**/.nox/**",
    "**/build/**",
    "**/dist/**",
    "**/.git/**",
    "**/.hg/**",
    "**/.svn/**",
    "**/__pycache__/**",
    "**/.mypy_cache/**",
    "**/.pytest_cache/**",
    "**/.ruff_cache/**",
    "**/node_modules/**",
    "**/site-packages/**",
    "**/*.egg-info/**",
    "**/docs/**",
    "**/examples/**",
    "**/example_*/**/*.py",  # example plugins and DAGs in packages (ckanext/example_*/)
    "**/project_template/**",  # what `startproject --template` copies (wagtail, mezzanine)
    "**/app_template/**",
    "/setup.py",
    "/noxfile.py",
    "/fabfile.py",
)


class _Section(BaseModel):
    # No infinite or NaN numbers: TOML and the command line both accept `inf`, and no
    # weight, threshold or resolution means anything infinite.
    model_config = ConfigDict(
        extra="forbid", frozen=True, populate_by_name=True, allow_inf_nan=False
    )


class Weights(_Section):
    """How much each signal counts in the clustering graph (per occurrence or per edge)."""

    import_: float = Field(1.0, alias="import", ge=0)  # one import statement
    usage: float = Field(0.25, ge=0)  # each further use of an imported name, capped per edge
    type_only: float = Field(0.3, ge=0)  # an import only under TYPE_CHECKING
    dynamic: float = Field(1.0, ge=0)  # importlib.import_module("x")
    string_ref: float = Field(0.5, ge=0)  # "app.module" in a string
    orm: float = Field(4.0, ge=0)  # a foreign key / relationship between models
    shared_table: float = Field(2.0, ge=0)  # two modules using the same model
    cochange: float = Field(2.0, ge=0)  # files changed together (with --git)


class SharedKernelSettings(_Section):
    """When a module counts as shared kernel rather than part of one service."""

    enabled: bool = True
    min_packages: int = Field(3, ge=2)  # used from at least this many other top-level units
    min_unit_share: float = Field(0.3, ge=0, le=1)  # ... and this share of the other units
    max_fan_out_ratio: float = Field(0.5, ge=0)  # depends on little: efferent / afferent


class FindingThresholds(_Section):
    """When a pair of services is chatty and a service too big or too small."""

    # two services are chatty when, counting both directions, they use at least this many
    # distinct symbols of each other, or are joined by at least this many module edges
    chatty_symbols: int = Field(12, ge=1)
    chatty_edges: int = Field(10, ge=1)
    # a service is oversized above this share of the modules or lines in services, and
    # above twice its fair share (2 / services), so two or three services are not flagged
    oversized_share: float = Field(0.4, gt=0, le=1)
    # a service is tiny with at most this many modules and fewer than this many lines
    tiny_modules: int = Field(1, ge=1)
    tiny_loc: int = Field(100, ge=1)


class Settings(_Section):
    """Everything a run can be told, validated once up front."""

    exclude: tuple[str, ...] = ()
    default_excludes: bool = True
    algorithm: str = "decompose"
    seed: int = 0
    resolution: float | None = Field(None, gt=0)
    services: int | None = Field(None, ge=1)
    level: Literal["module", "package"] = "module"
    pins: dict[str, str] = Field(default_factory=dict)
    keep_together: tuple[tuple[str, ...], ...] = ()
    shared: tuple[str, ...] = ()  # modules the user names as shared kernel
    shared_kernel: SharedKernelSettings = SharedKernelSettings()
    weights: Weights = Weights()
    thresholds: FindingThresholds = FindingThresholds()
    git: bool = False
    git_commits: int = Field(1000, ge=1)
    cache: bool = True
    cache_dir: Path | None = None
    jobs: int | None = Field(None, ge=1)
    max_file_bytes: int = Field(2_000_000, ge=1)  # larger files are skipped as generated
    formats: tuple[Literal["json", "md", "html"], ...] = Field(("json", "md", "html"), min_length=1)
    fail_on: tuple[str, ...] = ()  # finding kinds or severities that make the run exit 1

    @field_validator("pins")
    @classmethod
    def _pins_are_named(cls, value: dict[str, str]) -> dict[str, str]:
        for module, service in value.items():
            if not module or not service:
                raise ValueError(f"pin {module!r}={service!r} needs a module and a service")
        return value

    @model_validator(mode="after")
    def _constraints_agree(self) -> Settings:
        # Each of these would otherwise be settled by one setting silently winning.
        if self.services is not None and self.resolution is not None:
            raise ValueError("services and resolution exclude each other; set one of them")
        for name in self.shared:
            pin = _pin_over(name, self.pins)
            if pin is not None:
                raise ValueError(
                    f"shared {name!r} is inside pin {pin!r} = {self.pins[pin]!r}, which "
                    "would win; drop one of them"
                )
        for group in self.keep_together:
            services = sorted(_pinned_in(group, self.pins))
            if len(services) > 1:
                raise ValueError(
                    f"keep_together {list(group)} holds modules pinned to different "
                    f"services ({', '.join(repr(s) for s in services)}); it cannot keep them"
                )
        return self

    @property
    def excludes(self) -> tuple[str, ...]:
        """The glob patterns that leave files out, defaults first."""
        return (DEFAULT_EXCLUDES if self.default_excludes else ()) + self.exclude


def _covers(name: str, module: str) -> bool:
    """Whether a setting naming `name` applies to `module` (itself or under it)."""
    return module == name or module.startswith(name + ".")


def _pin_over(name: str, pins: dict[str, str]) -> str | None:
    """The most specific pin covering `name` (pins apply to their whole package)."""
    return max((pin for pin in pins if _covers(pin, name)), key=len, default=None)


def _pinned_in(group: Iterable[str], pins: dict[str, str]) -> set[str]:
    """The services the modules of a keep-together group are pinned to."""
    services: set[str] = set()
    for name in group:
        pin = _pin_over(name, pins)
        if pin is not None:
            services.add(pins[pin])
        services.update(service for inner, service in pins.items() if _covers(name, inner))
    return services


def available_cpus() -> int:
    """The CPUs this process may run on: its affinity mask where the platform has one."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0)) or 1
    return os.cpu_count() or 1


def worker_count(requested: int | None, available: int) -> int:
    """How many worker processes to start: as requested, but never more than `available`.

    More workers than CPUs only add memory and start-up time; `jobs` may come from the
    analyzed project's pyproject.toml, which whoever wrote that project controls.
    """
    return available if requested is None else min(requested, available)


def unmatched_names(settings: Settings, modules: Iterable[str]) -> list[str]:
    """The pins, shared names and keep-together names that match none of `modules`.

    Each as the setting and name, e.g. `pin 'shop.gone'`; a name matches a module of
    that name and every module under it.
    """
    covered: set[str] = set()
    for module in modules:
        parts = module.split(".")
        covered.update(".".join(parts[:end]) for end in range(1, len(parts) + 1))
    names = [("pin", name) for name in settings.pins]
    names += [("shared", name) for name in settings.shared]
    names += [("keep_together", name) for group in settings.keep_together for name in group]
    return [f"{kind} {name!r}" for kind, name in names if name not in covered]


def read_project_settings(root: Path) -> dict[str, Any]:
    """Return the `[tool.decompose]` table of `root`'s pyproject.toml, or {} if there is none.

    Raises:
        ConfigError: the file exists but is not valid TOML.
    """
    directory = root if root.is_dir() else root.parent
    pyproject = directory / "pyproject.toml"
    own = _boundary_file_pins(directory / BOUNDARY_FILE)
    if not pyproject.is_file():
        return {"pins": own} if own else {}
    try:
        data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"cannot read {pyproject}: {exc}") from None
    tool = data.get("tool", {})
    if not isinstance(tool, dict):
        raise ConfigError(f"{pyproject}: [tool] must be a table")
    table = tool.get("decompose", {})
    if not isinstance(table, dict):
        raise ConfigError(f"{pyproject}: [tool.decompose] must be a table")
    settings = {key.replace("-", "_"): value for key, value in table.items()}
    if isinstance(settings.get("services"), dict):
        # [tool.decompose.services.<name>] are the accepted boundaries (`decompose check`):
        # analyze takes their module names as pins, so accepted decisions survive re-runs;
        # of their shared kernel the names that cover what is under them are shared too
        own = {**own, **boundary_pins(settings.pop("services"))}
        settings.pop("wiring", None)
        if isinstance(settings.get("shared"), list):
            settings["shared"] = [p for p in settings["shared"] if _covering(p)]
    if own:
        pins = settings.get("pins", {})
        settings["pins"] = {**own, **(pins if isinstance(pins, dict) else {})}
    return settings


# The boundary file `decompose boundaries` writes and `decompose check` reads, beside the
# project's pyproject.toml; its services' modules pin the next analysis as well.
BOUNDARY_FILE = "decompose-boundaries.toml"


def _boundary_file_pins(path: Path) -> dict[str, str]:
    """Pins from a boundary file, if there is one.

    Raises:
        ConfigError: the file is not valid TOML.
    """
    if not path.is_file():
        return {}
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"cannot read {path}: {exc}") from None
    services = data.get("services", {})
    return boundary_pins(services) if isinstance(services, dict) else {}


def boundary_pins(services: dict[str, Any]) -> dict[str, str]:
    """Pins from boundary tables: each module name of a service that covers what is under it.

    Globs and a package's own module (`pkg.__init__`) cannot be pins, which cover a module
    and everything under it.
    """
    pins: dict[str, str] = {}
    for name, table in services.items():
        modules = table.get("modules", ()) if isinstance(table, dict) else ()
        for pattern in modules if isinstance(modules, list) else ():
            if _covering(pattern):  # pins cover what is under them
                pins[pattern] = str(name)
    return pins


def _covering(pattern: object) -> bool:
    """A boundary name that covers a module and what is under it: no glob, no `.__init__`."""
    return (
        isinstance(pattern, str)
        and not any(c in pattern for c in "*?[")
        and not pattern.endswith(".__init__")
    )


def build_settings(project: dict[str, Any], overrides: dict[str, Any]) -> Settings:
    """Merge project settings and overrides (None values are ignored) and validate them.

    Raises:
        ConfigError: listing every invalid key at once.
    """
    merged = dict(project)
    for key, value in overrides.items():
        if value is None or value == () or value == {}:
            continue
        if key in ("exclude", "shared") and key in merged:
            # A project value of the wrong type stays as it is, for validation to report.
            if isinstance(merged[key], list | tuple):
                merged[key] = tuple(merged[key]) + tuple(value)
        elif key == "pins" and key in merged:
            if isinstance(merged[key], dict):
                merged[key] = {**merged[key], **value}
        else:
            merged[key] = value
    for chosen, other in (("services", "resolution"), ("resolution", "services")):
        if overrides.get(chosen) is not None and overrides.get(other) is None:
            merged.pop(other, None)  # the command line's choice replaces the project's
    try:
        return Settings.model_validate(merged)
    except ValidationError as exc:
        problems = "; ".join(_problem(err["loc"], err["msg"]) for err in exc.errors())
        raise ConfigError(f"invalid settings: {problems}") from None


def _problem(location: tuple[int | str, ...], message: str) -> str:
    message = message.removeprefix("Value error, ")  # pydantic's prefix for our own checks
    where = ".".join(str(part) for part in location)
    return f"{where}: {message}" if where else message


def load_settings(root: Path, **overrides: Any) -> Settings:
    """Settings for analyzing `root`: its pyproject's [tool.decompose], then `overrides`."""
    return build_settings(read_project_settings(root), overrides)
