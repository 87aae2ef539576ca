"""Expert mapping of pretix: a service per business domain; layers sliced by what each file is."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent)]

from rules import project_modules, write  # noqa: E402

# Each plugin is a Django app with one job; it joins the domain it extends.
PLUGINS: dict[str, str | None] = {
    "autocheckin": "checkin",
    "badges": "tickets",
    "banktransfer": "payments",
    "checkinlists": "checkin",
    "manualpayment": "payments",
    "paypal": "payments",
    "paypal2": "payments",
    "pretixdroid": "checkin",
    "reports": "reporting",
    "returnurl": "orders",
    "sendmail": "notifications",
    "statistics": "reporting",
    "stripe": "payments",
    "ticketoutputpdf": "tickets",
    "webcheckin": "checkin",
}

# Sub-packages of pretix.base that are one domain as a whole.
PACKAGES: dict[str, str | None] = {
    "pretix.base.customersso": "customers",
    "pretix.base.datasync": "datasync",
    "pretix.base.exporters": "reporting",
    "pretix.base.invoicing": "invoicing",
    "pretix.base.secretgenerators": "tickets",
    "pretix.api.auth": "identity",
    "pretix.helpers": None,  # generic helpers (money, i18n, db, http ...)
    "pretix.multidomain": None,  # URL routing across custom domains
    "pretix.testutils": None,
    "pretix.base.templatetags": None,  # presentation helpers used by every template
}

# The horizontal layers (base.models, base.services, control.views/forms, presale.views/forms,
# api.views/serializers, and pretix.base itself) are sliced by the name of each file.
DOMAINS: dict[str, tuple[str, ...]] = {
    # organizers, events and their dates, venues (seating), calendars, the shop widget
    "events": ("event", "events", "organizer", "subevents", "seating", "timeline", "rrule",
               "ical", "main", "widget"),
    # products, quotas, discounts, prices and taxes
    "catalog": ("item", "items", "quotas", "discount", "discounts", "pricing",
                "cross_selling", "tax", "productlist"),
    # cart, checkout, orders and their changes, the questions asked at checkout
    "orders": ("order", "orders", "orderchange", "cart", "checkout", "checkoutflow",
               "cancelevent", "_transactions", "modelimport_orders", "questions", "search",
               "order_overview", "check_order_transactions", "create_order_transactions"),
    "payments": ("payment", "giftcards", "applepay"),
    "invoicing": ("invoice", "invoices"),
    "checkin": ("checkin", "media"),  # media: reusable wristbands and cards
    "vouchers": ("voucher", "vouchers", "modelimport_vouchers"),
    "waitinglist": ("waitinglist", "waiting"),
    "customers": ("customer", "customers", "memberships", "oidc_op"),
    # staff users, teams, permissions, API tokens, OAuth, devices
    "identity": ("auth", "user", "users", "oauth", "devices", "device", "permissions"),
    "notifications": ("mail", "mailsetup", "email", "notifications", "placeholders",
                      "webhooks", "mail_settings_preview"),
    "reporting": ("exporter", "exporters", "exports", "export", "stats", "dashboards"),
    "tickets": ("pdf", "ticketoutput", "tickets", "secrets"),
    "datasync": ("datasync", "mapping"),  # mapping: the field mapping of data sync
    "shredder": ("shredder", "shredders"),  # deleting personal data
}  # fmt: skip
KEYWORDS = {word: service for service, words in DOMAINS.items() for word in words}

# Cross-cutting framework code that every domain uses: the shared kernel.
SHARED = frozenset(
    {
        "pretix", "__main__", "_base_settings", "_build", "_build_settings", "celery_app",
        "sentry", "settings", "urls", "wsgi", "apps", "context", "middleware", "signals",
        "base", "api", "control", "presale", "models", "services", "views", "forms",
        "serializers", "management", "commands", "templatetags", "plugins",
        "addressvalidation", "banlist", "cache", "channels", "decimal", "fields", "i18n",
        "log", "logentrytype_registry", "logentrytypes", "metrics", "modelimport", "reldate",
        "timeframes", "timemachine", "validators", "widgets", "renderers", "filter", "filters",
        "exception", "pagination", "idempotency", "upload", "version", "cleanup", "locking",
        "tasks", "update_check", "currencies", "navigation", "sysreport", "logdisplay",
        "getitem", "hierarkey_form", "geo", "global_settings", "typeahead", "cookies", "style",
        "utils", "locale", "robots", "theme", "updateassets", "updatestyles", "cachedfiles",
        "csp", "errors", "health", "js_catalog", "js_helpers", "mixins", "redirect", "source",
        "webmanifest", "_migrations", "makemessages", "makemigrations", "migrate", "noop",
        "rebuild", "runperiodic", "runserver", "shell_scoped",
    }
)  # fmt: skip

# Files whose name says one thing and whose content another (read, not guessed).
OVERRIDES: dict[str, str | None] = {
    "pretix.api.models": "identity",  # OAuth applications and tokens (+ webhook models)
    "pretix.presale.forms.user": "orders",  # ResendLinkForm: re-send order links
    "pretix.presale.views.user": "orders",  # ResendLinkView, UnlockHashView
    "pretix.base.forms.questions": "orders",  # questions answered per order position
    "pretix.base.forms.user": "identity",
    "pretix.control.views.search": "orders",  # order and payment search
    "pretix.presale.forms.organizer": "events",  # event filter on the organizer page
    "pretix.base.services.export": "reporting",
    "pretix.base.management.commands.export": "reporting",
    "pretix.base.services.modelimport": None,  # imports both orders and vouchers
}


def service_of(module: str) -> str | None:
    """The expert's service for one pretix module (None: shared kernel)."""
    if module in OVERRIDES:
        return OVERRIDES[module]
    parts = module.split(".")
    if parts[:2] == ["pretix", "plugins"]:
        return PLUGINS[parts[2]] if len(parts) > 2 else None
    for package, service in PACKAGES.items():
        if module == package or module.startswith(package + "."):
            return service
    leaf = parts[-1]
    if leaf in KEYWORDS:
        return KEYWORDS[leaf]
    if leaf in SHARED:
        return None
    raise SystemExit(f"no rule for {module}")


RULE = """
Django project; apps pretix.base (models and services of every domain), pretix.control (back
office), pretix.presale (shop front), pretix.api (REST), pretix.plugins.*. base, control,
presale and api are layers, sliced by file name into 15 domains: events, catalog, orders,
payments, invoicing, checkin, vouchers, waitinglist, customers, identity, notifications,
reporting, tickets, datasync, shredder. Each plugin joins the domain it extends. pretix.helpers,
pretix.multidomain, pretix.testutils, pretix.base.templatetags, settings/urls/celery and the
generic files of each layer (middleware, signals, context, widgets, validators, logging,
locking, tasks, currencies, model import framework) are shared.
"""


def main() -> None:
    """Write experts/pretix.json from the pinned pretix sdist."""
    from sdists import PROJECTS, fetch

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("data", type=Path, help="folder the sdists are unpacked in (sdists.py)")
    parser.add_argument("--output", type=Path, default=HERE / "pretix.json")
    args = parser.parse_args()
    modules = project_modules(fetch("pretix", args.data), ["pretix"])
    write(
        {m: service_of(m) for m in modules},
        args.output,
        corpus="pretix",
        source=PROJECTS["pretix"].requirement,
        rule=RULE,
    )


if __name__ == "__main__":
    main()
