"""Expert mapping of CKAN: a service per domain (datasets, users ...); ckanext apps join one."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent)]

from rules import project_modules, write  # noqa: E402

# Each ckanext plugin is an app with one job; it joins the domain it extends.
EXTENSIONS: dict[str, str | None] = {
    "activity": "activity",
    "audioview": "resource_views",
    "chained_functions": None,  # a plugin that exists to test chained actions
    "datapusher": "datapusher",
    "datastore": "datastore",
    "datatablesview": "resource_views",
    "expire_api_token": "users",
    "imageview": "resource_views",
    "multilingual": "multilingual",
    "resourceproxy": "resource_views",
    "stats": "analytics",
    "tabledesigner": "datastore",  # designs datastore tables
    "textview": "resource_views",
    "tracking": "analytics",
    "videoview": "resource_views",
    "webpageview": "resource_views",
}

# Core packages that are one domain, or framework, as a whole.
PACKAGES: dict[str, str | None] = {
    "ckan.lib.search": "search",
    "ckan.lib.files": "files",
    "ckan.config": None,
    "ckan.plugins": None,  # the plugin interfaces every extension implements
    "ckan.types": None,
    "ckan.lib.navl": None,  # schema validation framework
    "ckan.lib.dictization": None,  # dict <-> model for every domain object
}

# Core layers (ckan.views, ckan.cli, ckan.model, ckan.lib, ckan.logic.*) sliced by file name.
DOMAINS: dict[str, tuple[str, ...]] = {
    "datasets": ("dataset", "package", "resource", "tag", "vocabulary", "license",
                 "package_relationship", "feed"),
    "groups": ("group",),  # organizations and groups
    "users": ("user", "sysadmin", "api_token", "authenticator", "captcha", "authz"),
    "activity": ("dashboard", "follower", "notify"),
    "search": ("search_index",),
    "files": ("file", "file_owner", "uploader"),
    "resource_views": ("resource_view", "datapreview"),
    "multilingual": ("term_translation",),
}  # fmt: skip
KEYWORDS = {word: service for service, words in DOMAINS.items() for word in words}

# Framework and cross-domain modules: the shared kernel. The verb-split logic modules
# (logic.action.get/create/update/delete/patch, logic.auth.*, logic.schema) serve every
# domain at once; a decomposition would have to split them, so no one service owns them.
SHARED = frozenset(
    {
        "ckan", "ckanext", "common", "exceptions", "i18n", "lib", "logic", "model", "views",
        "cli", "templates", "revision", "action", "auth", "create", "delete", "get", "patch",
        "update", "converters", "schema", "validators", "admin", "api", "home", "util",
        "asset", "clean", "config", "config_tool", "db", "generate", "jobs", "plugin_info",
        "profile", "sass", "server", "shell", "translation", "app_globals", "base",
        "create_test_data", "extract", "flask_multistatic", "formatters", "helpers", "io",
        "jinja_extensions", "lazyjson", "mailer", "maintain", "munge", "pagination",
        "plugins", "redis", "signals", "webassets_tools", "core", "domain_object", "meta",
        "misc", "modification", "system", "system_info", "task_status", "types",
    }
)  # fmt: skip


def service_of(module: str) -> str | None:
    """The expert's service for one CKAN module (None: shared kernel)."""
    parts = module.split(".")
    if parts[0] == "ckanext":
        return EXTENSIONS[parts[1]] if len(parts) > 1 else None
    for package, service in PACKAGES.items():
        if module == package or module.startswith(package + "."):
            return service
    if parts[1:2] == ["cli"] and parts[-1] == "views":
        return "resource_views"  # `ckan views create`: default resource views
    leaf = parts[-1]
    if leaf in KEYWORDS:
        return KEYWORDS[leaf]
    if leaf in SHARED:
        return None
    raise SystemExit(f"no rule for {module}")


RULE = """
Flask project: core ckan (model, logic, views, lib, cli) and extensions ckanext.*. 11 domains:
datasets (packages, resources, tags, vocabularies, licenses, feeds), groups (organizations and
groups), users (users, sysadmins, API tokens, authentication, authorization ckan.authz),
activity (the activity extension, followers, dashboard, email notifications), search
(ckan.lib.search), files (ckan.lib.files, uploads, file model/actions), resource_views (the view
plugins, resource proxy, data preview), datastore (datastore + tabledesigner), datapusher,
analytics (stats + tracking), multilingual. The core's action and auth layers are split by verb,
so each such file serves every domain and is shared, as are logic.schema, lib.dictization,
lib.navl, lib.helpers, ckan.plugins, config and the model's base. The ckanext.example_* plugins
are documentation samples and are left out.
"""


def main() -> None:
    """Write experts/ckan.json from the pinned CKAN sdist (example plugins left out)."""
    from sdists import PROJECTS, fetch

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("data", type=Path, help="folder the sdists are unpacked in (sdists.py)")
    parser.add_argument("--output", type=Path, default=HERE / "ckan.json")
    args = parser.parse_args()
    modules = [
        m
        for m in project_modules(fetch("ckan", args.data), ["ckan", "ckanext"])
        if not m.startswith("ckanext.example_")  # sample code for the docs, not the product
    ]
    write(
        {m: service_of(m) for m in modules},
        args.output,
        corpus="ckan",
        source=PROJECTS["ckan"].requirement,
        rule=RULE,
    )


if __name__ == "__main__":
    main()
