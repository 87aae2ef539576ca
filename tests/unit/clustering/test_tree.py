"""The package tree: where the code splits, namespaces, the apps' template, project wiring."""

from __future__ import annotations

from decompose.clustering.tree import Tree, domain_prefix


def tree(*modules: str, namespaces: tuple[str, ...] = ()) -> Tree:
    names = set(modules)
    packages = {m for m in names if any(n.startswith(m + ".") for n in names)}
    return Tree.of(dict.fromkeys(names, 10), packages, namespaces)


def test_prefix_descends_through_wrappers_only() -> None:
    assert domain_prefix({"src.app.a.x": 10, "src.app.b.y": 10, "src.app": 1}) == "src.app"
    assert domain_prefix({"a.x": 10, "b.y": 10}) == ""


def test_path_below_the_prefix() -> None:
    t = tree("shop", "shop.api.v1.orders", "shop.orders.models")
    assert t.prefix == "shop"
    assert t.below("shop.api.v1.orders") == ["api", "v1", "orders"]
    assert t.below("shop") == []


def test_a_namespace_of_packages_is_a_container() -> None:
    t = tree("ckan", "ckanext", *(f"ckanext.{p}.plugin" for p in ("a", "b", "c")),
             namespaces=("ckanext",))  # fmt: skip
    assert t.is_container("ckanext")
    plain = tree("app", "app.x", *(f"app.x.{p}.m" for p in ("a", "b", "c")))
    assert not plain.is_container("app.x")  # an ordinary package with subpackages


def test_names_every_app_repeats_are_their_template() -> None:
    apps = [
        f"proj.{a}.{m}"
        for a in ("dcim", "ipam", "tenancy", "wireless")
        for m in ("choices", "views")
    ]
    t = tree("proj", *apps, "proj.dcim.cables")
    assert {"choice"} <= t.template_words
    assert "cable" not in t.template_words


def test_settings_beside_urls_make_a_project_package() -> None:
    t = tree("netbox.settings", "netbox.urls", "netbox.models", "dcim.models", "dcim.views")
    assert t.project_packages == {"netbox"}
