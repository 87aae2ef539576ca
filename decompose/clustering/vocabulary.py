"""The words of code layout: which package names say where code sits, and how names compare.

An architect reading a tree knows that `api/`, `forms/`, `utils/` and `v1/` say what role
code plays, not what business it is about, and that `orders`, `order` and `Order` name
the same thing. This module is that knowledge, as closed sets of words and one
normalisation; the steps of the clustering use it as evidence, never alone.
"""

from __future__ import annotations

import re
from enum import Enum
from functools import lru_cache


class Role(str, Enum):
    """What a path component says about the code under it."""

    DOMAIN = "domain"  # no role word: may name a business capability
    TECHNICAL = "technical"  # a layer or kind of code (api, forms, utils, services ...)
    CONTAINER = "container"  # holds independent apps or plugins (apps, contrib, plugins ...)
    DATA = "data"  # the models of an app (models, abstract_models, entities ...)


# Folders of other projects' code, copied in: libraries, not the project's capabilities.
_VENDORED = frozenset({"vendor", "vendored", "third_party", "thirdparty", "externals", "extern"})
# Data formats: `export/csv/assets.py` exports assets. A project may have an app of that
# name too (saleor's `csv/`, its export files): see `names.named_context`.
_FORMATS = frozenset({"csv", "json", "xml", "yaml", "xlsx"})
# Layers and kinds of code shared by every web framework's conventions. Words that are
# often a business domain too (events, tags, search, pages, dashboard, hooks, auth,
# queries ...) are left out on purpose: structure decides for them.
_TECHNICAL = frozenset(
    {
        # interfaces
        "api", "apis", "rest", "restapi", "rest_api", "webapi", "jsonapi", "openapi",
        "graphql", "gql", "grpc", "rpc", "xmlrpc", "jsonrpc",
        "views", "view", "viewsets", "controllers", "controller", "handlers", "handler",
        "routes", "routing", "router", "routers", "endpoints", "resources", "blueprints",
        "admin", "cli", "cmdline", "commands", "command", "subcommands", "management", "urls",
        "templatetags", "template_tags", "templates", "jinja2", "static", "assets",
        "forms", "widgets", "fields", "serializers", "serializers_", "schemas", "schema",
        "types", "inputs", "enums", "mutations", "resolvers", "dataloaders", "filters",
        "filtersets", "tables", "renderers", "parsers", "pagination", "responses",
        *_FORMATS,
        # logic and data access
        "services", "service", "usecases", "use_cases", "logic", "managers", "actions",
        "action", "operations", "domain", "adapters", "ports", "persistence", "presentation",
        "querysets", "repositories", "repository", "dao", "daos", "tasks", "jobs", "workers",
        "signals", "receivers", "listeners", "subscribers", "migrations", "fixtures",
        # plumbing
        "utils", "util", "utilities", "helpers", "helper", "lib", "libs", "common", "core",
        "base", "shared", "misc", "tools", "support", "internal", "generic", "abstract",
        "mixins", "decorators", "middleware", "middlewares", "context_processors",
        "exceptions", "errors", "constants", "consts", "validators", "checks", "settings",
        "config", "configs", "conf", "wsgi", "asgi", "main", "app", "application", "server",
        "web", "http", "backends", "interfaces", "protocols", "typing", "compat", "version",
        "__main__", "init", "impl", "src", "pkg", "kernel", "infrastructure", "infra",
        "platform", "framework", "foundation", "plumbing", "bin", "scripts", "registry",
        "db", "metrics", "monitoring", "logging", "log_utils", "versions", "versioning",
        *_VENDORED,
    }
)  # fmt: skip
# Of those, the words for code that serves every part alike: a package so named is shared
# kernel material even when it holds tables (`common/models.py`: an audit log).
_PLUMBING = frozenset(
    {
        "utils", "util", "utilities", "helpers", "helper", "lib", "libs", "common", "shared",
        "misc", "tools", "support", "kernel", "infrastructure", "infra", "plumbing",
        "foundation", "framework",
    }
)  # fmt: skip
# The data access layer of a whole project: its tables are every domain's, not its own.
_DATA_LAYER = frozenset({"db", "database", "databases", "persistence", "dal", "datastore"})
# The interface technologies: a compound name ending in one is a layer (`http_api`).
_INTERFACES = frozenset({"api", "apis", "rest", "graphql", "gql", "grpc", "rpc"})
_CONTAINER = frozenset(
    {
        "apps", "contrib", "plugins", "extensions", "ext", "addons", "modules", "components",
        "integrations", "features", "domains", "packages", "bundles",
    }
)  # fmt: skip
_VERSION = re.compile(r"^v\d+$")
_CAMEL = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|\d+")


def role(word: str) -> Role:
    """The role a package or module name plays (`views` TECHNICAL, `orders` DOMAIN)."""
    lowered = word.lower()
    if lowered.endswith(("models", "model")) or lowered in ("entities", "entity", "orm"):
        return Role.DATA
    if lowered in _CONTAINER:
        return Role.CONTAINER
    if lowered in _TECHNICAL or _VERSION.match(lowered) or lowered.startswith("_"):
        return Role.TECHNICAL
    if "_" in lowered and lowered.rpartition("_")[2] in _INTERFACES:
        return Role.TECHNICAL  # `core_api`, `execution_api`: an interface, named for its users
    if "_" in lowered and all(_is_technical_part(p) for p in lowered.split("_")):
        return Role.TECHNICAL  # `api_views`, `api_v1`, `view_mixins`: roles all through
    return Role.DOMAIN


def _is_technical_part(part: str) -> bool:
    return part in _TECHNICAL or _VERSION.match(part) is not None


def is_format(word: str) -> bool:
    """Whether a name is a data format's (`csv`, `json`): how data is written, not whose."""
    return word.lower() in _FORMATS


def is_plumbing(word: str) -> bool:
    """Whether a name says its code serves every part alike (`utils`, `common`)."""
    return word.lower() in _PLUMBING


def is_data_layer(word: str) -> bool:
    """Whether a name says its package is the data access of the whole (`db`, `database`)."""
    return word.lower() in _DATA_LAYER


def is_vendored(word: str) -> bool:
    """Whether a name says its package holds copies of other projects' code (`vendor/`)."""
    return word.lower().lstrip("_") in _VENDORED


def is_domain_word(word: str) -> bool:
    """Whether a name may name a business capability (no role word)."""
    return role(word) is Role.DOMAIN


@lru_cache(maxsize=65536)
def term(word: str) -> str:
    """The comparable form of a name: lowercase, singular, no separators.

    `Orders`, `order`, `user_stories` and `UserStory` compare equal as `order` and
    `userstory`; `catalogue` and `catalog` too.
    """
    text = re.sub(r"[^0-9a-z]", "", word.lower())
    for plural, singular in (("ies", "y"), ("sses", "ss"), ("xes", "x"), ("ches", "ch")):
        if text.endswith(plural) and len(text) > len(plural) + 1:
            return text[: -len(plural)] + singular
    if text.endswith("shes") and len(text) > 6:
        text = text[:-2]
    elif text.endswith("s") and not text.endswith(("ss", "us", "is")) and len(text) > 3:
        text = text[:-1]
    if text.endswith("gue") and len(text) > 6:  # catalogue, dialogue
        text = text[:-2]
    return text


@lru_cache(maxsize=65536)
def tokens(word: str) -> tuple[str, ...]:
    """The comparable words inside a compound name (`order_lines`, `ProductVariant`)."""
    parts = [p for chunk in word.split("_") for p in _CAMEL.findall(chunk)]
    return tuple(dict.fromkeys(term(p) for p in parts if len(p) > 2))
