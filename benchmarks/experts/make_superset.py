"""Expert mapping of Superset: a service per domain package; commands/daos/views/... sliced."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent)]

from rules import project_modules, write  # noqa: E402

# A domain and the names it goes by: its own package (superset.<name>) and the slice of
# each horizontal layer (superset.{commands,daos,views,models,mcp_service,cli,utils,tasks}.<name>).
DOMAINS: dict[str, tuple[str, ...]] = {
    "charts": ("charts", "chart", "slice", "explore", "viz", "dynamic_plugins",
               "pandas_postprocessing", "viz_migrations"),
    "dashboards": ("dashboards", "dashboard", "embedded", "embedded_dashboard",
                   "dashboard_filter_scopes_converter", "dashboard_import_export"),
    "databases": ("databases", "database", "db_engine_specs", "custom_database_errors",
                  "ssh_tunnel", "ssh", "oauth2"),
    "datasets": ("datasets", "dataset", "datasource", "connectors", "columns", "sqla",
                 "advanced_data_type", "explorables"),
    "sqllab": ("sqllab", "sql_lab", "queries", "query", "sql_validators", "execution"),
    "reports": ("reports", "report", "alerts", "slack"),
    "annotations": ("annotation_layers", "annotation_layer", "annotations"),
    "tags": ("tags", "tag", "custom_tags_api_mixin", "all_entities"),
    "security": ("security", "row_level_security", "rls", "auth", "user", "users", "roles",
                 "groups", "user_info", "user_registrations", "users_list", "user_attributes"),
    "themes": ("themes", "theme", "css_templates", "css"),
    "tasks": ("tasks", "task_subscribers", "async_events"),  # background task framework
    "thumbnails": ("thumbnails", "screenshot", "screenshots", "screenshot_utils", "webdriver"),
}  # fmt: skip
KEYWORDS = {word: service for service, words in DOMAINS.items() for word in words}

# Packages whose names say "shared": the project's own common code and infrastructure.
SHARED_PACKAGES = (
    "superset.common",  # chart-data query pipeline used by charts, datasets and SQL
    "superset.core",  # the API offered to extensions
    "superset.extensions",
    "superset.key_value",  # key-value store behind permalinks and caches
    "superset.temporary_cache",
    "superset.cachekeys",
    "superset.distributed_lock",
    "superset.importexport",  # exports and imports every kind of asset
    "superset.available_domains",
    "superset.translations",
    "superset.sql.parse",
    "superset.sql.dialects",
)

# Layers whose children are sliced by KEYWORDS; other children are shared infrastructure.
LAYERS = ("commands", "daos", "views", "models", "mcp_service", "cli", "utils", "tasks")

OVERRIDES: dict[str, str | None] = {
    "superset.models.core": "databases",  # Database (also KeyValue, Log, FavStar, CSS)
    "superset.sql_lab": "sqllab",
    "superset.tasks.thumbnails": "thumbnails",
    "superset.tasks.slack": "reports",
    "superset.tasks.async_queries": "tasks",
    "superset.mcp_service.auth": None,  # authenticates MCP clients, not Superset users
    "superset.views.auth": "security",
}


def service_of(module: str) -> str | None:
    """The expert's service for one Superset module (None: shared kernel)."""
    if module in OVERRIDES:
        return OVERRIDES[module]
    parts = module.split(".")
    if len(parts) == 1:
        return None
    if any(module == p or module.startswith(p + ".") for p in SHARED_PACKAGES):
        return None
    top = parts[1]
    if top in LAYERS and top not in KEYWORDS:
        return KEYWORDS.get(parts[2]) if len(parts) > 2 else None
    if top == "tasks":  # tasks is a domain package and a layer: slice it too
        return KEYWORDS.get(parts[2], "tasks") if len(parts) > 2 else "tasks"
    if top == "sql":  # superset.sql.execution runs SQL Lab queries
        return KEYWORDS.get(parts[2]) if len(parts) > 2 else None
    return KEYWORDS.get(top)  # a domain package, or a top-level module (None: shared)


RULE = """
Flask project with domain packages (charts, dashboards, databases, datasets, sqllab, reports,
tags, themes ...) and horizontal layers commands, daos, views, models, mcp_service, cli, utils,
tasks, sliced by the name of the child package or file. 12 domains: charts (+ explore, viz),
dashboards (+ embedded), databases (+ db_engine_specs, SSH tunnels, database OAuth2), datasets
(+ connectors, datasource, columns, advanced data types), sqllab (+ queries, SQL validators, SQL
execution), reports (alerts and reports, Slack), annotations, tags, security (security manager,
row-level security, users, roles), themes (+ CSS templates), tasks (the task framework, async
events), thumbnails (screenshots, webdriver). Shared: superset.common, core, extensions, key-
value store, temporary cache, distributed lock, import/export of all assets, SQL parsing,
config, utils and the infrastructure of the MCP server.
"""


def main() -> None:
    """Write experts/superset.json from the pinned Superset sdist."""
    from sdists import PROJECTS, fetch

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("data", type=Path, help="folder the sdists are unpacked in (sdists.py)")
    parser.add_argument("--output", type=Path, default=HERE / "superset.json")
    args = parser.parse_args()
    modules = project_modules(fetch("superset", args.data), ["superset"])
    write(
        {m: service_of(m) for m in modules},
        args.output,
        corpus="superset",
        source=PROJECTS["superset"].requirement,
        rule=RULE,
    )


if __name__ == "__main__":
    main()
