"""Which files are modules, and their dotted names."""

from __future__ import annotations

import os
import string
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from decompose.config import DEFAULT_EXCLUDES
from decompose.discovery import discover, is_excluded
from decompose.errors import SourceTreeError


def names(root: Path, excludes: tuple[str, ...] = DEFAULT_EXCLUDES) -> dict[str, str]:
    return {f.module: f.relpath for f in discover(root, excludes).files}


def test_package_src_layout_namespace_and_scripts(build_file_tree) -> None:  # type: ignore[no-untyped-def]
    root = build_file_tree(
        {
            "manage.py": "",
            "src/shop/__init__.py": "",
            "src/shop/orders/__init__.py": "",
            "src/shop/orders/models.py": "",
            "plugins/payments/card.py": "",  # namespace package, no __init__
            "backend/api/__init__.py": "",  # a package below an import root
            "backend/api/views.py": "",
        }
    )
    assert names(root) == {
        "manage": "manage.py",
        "shop": "src/shop/__init__.py",
        "shop.orders": "src/shop/orders/__init__.py",
        "shop.orders.models": "src/shop/orders/models.py",
        "plugins.payments.card": "plugins/payments/card.py",
        "api": "backend/api/__init__.py",
        "api.views": "backend/api/views.py",
    }
    assert discover(root).aliases == {"backend.api": "api"}


def test_default_excludes(build_file_tree) -> None:  # type: ignore[no-untyped-def]
    root = build_file_tree(
        {
            "app/__init__.py": "",
            "app/tests/test_x.py": "",
            "tests/conftest.py": "",
            "app/migrations/0001_initial.py": "",
            ".venv/lib/site.py": "",
            "venv2/pyvenv.cfg": "",
            "venv2/lib/x.py": "",
            "node_modules/x/y.py": "",
            "build/lib/app/__init__.py": "",
            "app/test_helpers.py": "",
            "app/tests.py": "",
            "app/core/testproject/settings.py": "",
            "app/test_project/urls.py": "",
            "ckanext/example_iauthenticator/plugin.py": "",
            "app/project_template/project_name/settings.py": "",
        }
    )
    assert names(root) == {"app": "app/__init__.py"}
    kept = build_file_tree({"app/__init__.py": "", "app/addons/example_pre.py": ""})
    assert "app.addons.example_pre" in names(kept)  # a module so named is the product's


def test_user_excludes_and_no_default_excludes(build_file_tree) -> None:  # type: ignore[no-untyped-def]
    root = build_file_tree({"app/__init__.py": "", "app/legacy/old.py": "", "tests/t.py": ""})
    assert "app.legacy.old" not in names(root, (*DEFAULT_EXCLUDES, "app/legacy"))
    assert "tests.t" in names(root, ())


def test_analyzing_a_package_directory_keeps_its_full_name(build_file_tree) -> None:  # type: ignore[no-untyped-def]
    root = build_file_tree(
        {"shop/__init__.py": "", "shop/orders/__init__.py": "", "shop/orders/api.py": ""}
    )
    assert set(names(root / "shop" / "orders")) == {"shop.orders", "shop.orders.api"}


def test_single_file(build_file_tree) -> None:  # type: ignore[no-untyped-def]
    root = build_file_tree({"tool.py": "import os"})
    assert names(root / "tool.py") == {"tool": "tool.py"}


def test_module_beside_a_same_named_package_is_skipped(build_file_tree) -> None:  # type: ignore[no-untyped-def]
    root = build_file_tree({"app/__init__.py": "", "app/utils.py": "", "app/utils/__init__.py": ""})
    tree = discover(root)
    assert [f.relpath for f in tree.files if f.module == "app.utils"] == ["app/utils/__init__.py"]
    assert [s.path for s in tree.skipped] == ["app/utils.py"]


def test_names_that_are_not_identifiers_are_skipped(build_file_tree) -> None:  # type: ignore[no-untyped-def]
    root = build_file_tree({"ok.py": "", "my-script.py": "", "1st/__init__.py": "", "1st/x.py": ""})
    tree = discover(root)
    assert [f.module for f in tree.files] == ["ok"]
    assert {s.path for s in tree.skipped} == {"my-script.py", "1st/__init__.py", "1st/x.py"}
    assert all("identifier" in s.reason for s in tree.skipped)


def test_symlink_loop_and_broken_link(build_file_tree) -> None:  # type: ignore[no-untyped-def]
    root = build_file_tree({"app/__init__.py": ""})
    os.symlink(root / "app", root / "app" / "loop")
    os.symlink(root / "missing.py", root / "app" / "broken.py")
    tree = discover(root)
    assert [f.module for f in tree.files] == ["app"]
    assert {s.path for s in tree.skipped} == {"app/loop", "app/broken.py"}


def test_large_files_are_skipped(build_file_tree) -> None:  # type: ignore[no-untyped-def]
    root = build_file_tree({"app.py": "x = 1\n", "generated.py": "x = 1\n" * 1000})
    tree = discover(root, max_file_bytes=1000)
    assert [f.module for f in tree.files] == ["app"]
    assert "too large" in tree.skipped[0].reason


@pytest.mark.parametrize(
    ("files", "message"),
    [({}, "no Python modules"), ({"README.md": "x"}, "no Python modules")],
)
def test_empty_tree_is_an_error(build_file_tree, files, message) -> None:  # type: ignore[no-untyped-def]
    root = build_file_tree(files)
    root.mkdir(exist_ok=True)
    with pytest.raises(SourceTreeError, match=message):
        discover(root)


def test_missing_path_and_wrong_file_type(tmp_path: Path) -> None:
    with pytest.raises(SourceTreeError, match="no such file"):
        discover(tmp_path / "missing")
    (tmp_path / "notes.txt").write_text("x")
    with pytest.raises(SourceTreeError, match=r"not a directory or a \.py file"):
        discover(tmp_path / "notes.txt")


IDENT = st.text(alphabet=string.ascii_lowercase + "_", min_size=1, max_size=8).filter(
    lambda s: s.isidentifier()
)


@settings(max_examples=40, deadline=None)
@given(parts=st.lists(IDENT, min_size=1, max_size=4), leaf=IDENT, tmp=st.integers(0, 10**9))
def test_module_names_mirror_package_paths(tmp_path_factory, parts, leaf, tmp) -> None:  # type: ignore[no-untyped-def]
    root = tmp_path_factory.mktemp("tree")
    directory = root
    for part in parts:
        directory = directory / part
        directory.mkdir(exist_ok=True)
        (directory / "__init__.py").touch()
    (directory / f"{leaf}.py").touch()
    found = {f.module for f in discover(root, ()).files}
    expected = {".".join(parts[: i + 1]) for i in range(len(parts))}
    if leaf != "__init__":
        expected.add(".".join([*parts, leaf]))
    assert found == expected


@given(st.text(alphabet=string.ascii_lowercase + "/._-", max_size=30))
def test_exclusion_never_crashes(relpath: str) -> None:
    is_excluded(relpath, DEFAULT_EXCLUDES)


def test_a_leading_slash_anchors_a_pattern_at_the_root(build_file_tree) -> None:  # type: ignore[no-untyped-def]
    root = build_file_tree({"setup.py": "", "app/__init__.py": "", "app/setup.py": ""})
    assert set(names(root)) == {"app", "app.setup"}


def test_excluded_modules_are_remembered(build_file_tree) -> None:  # type: ignore[no-untyped-def]
    root = build_file_tree(
        {
            "app/__init__.py": "",
            "app/tests/__init__.py": "",
            "app/test_util.py": "",
            "tests/t.py": "",
        }
    )
    assert discover(root, DEFAULT_EXCLUDES).excluded == {"app.tests", "app.test_util"}


def test_names_that_are_not_utf8_are_skipped_with_a_printable_path(tmp_path: Path) -> None:
    root = tmp_path / "project"
    try:
        os.makedirs(os.fsencode(root) + b"/app/d\xe9j\xe0")
        open(os.fsencode(root) + b"/app/caf\xe9.py", "w").close()
    except (OSError, UnicodeError):
        pytest.skip("this file system refuses names that are not UTF-8")
    (root / "app" / "__init__.py").write_text("")
    (root / "app" / "tab\there.py").write_text("")
    tree = discover(root)
    assert [f.module for f in tree.files] == ["app"]
    assert {s.path: s.reason.split(":")[0] for s in tree.skipped} == {
        "app/caf\\xe9.py": "not analyzed",
        "app/d\\xe9j\\xe0": "not analyzed",
        "app/tab\\there.py": "not importable",
    }
    assert all(s.path.isprintable() for s in tree.skipped)


def test_a_link_to_a_file_outside_the_tree_is_not_read(build_file_tree, tmp_path) -> None:  # type: ignore[no-untyped-def]
    root = build_file_tree({"app/__init__.py": "", "app/real.py": ""})
    (tmp_path / "elsewhere.py").write_text("SECRET = 1\n")
    os.symlink(tmp_path / "elsewhere.py", root / "app" / "outside.py")
    os.symlink(root / "app" / "real.py", root / "app" / "inside.py")
    tree = discover(root)
    assert [f.module for f in tree.files] == ["app", "app.inside", "app.real"]
    assert [(s.path, "outside the analyzed tree" in s.reason) for s in tree.skipped] == [
        ("app/outside.py", True)
    ]
    assert [f.module for f in discover(root / "app" / "outside.py").files] == ["elsewhere"]


SCAFFOLD_FIXTURE = Path(__file__).parents[2] / "fixtures" / "scaffold" / "decomposition.json"


def test_a_scaffold_decompose_wrote_is_left_out(tmp_path: Path) -> None:
    # Whatever the scaffold's READMEs say at their top is how discovery knows them.
    from decompose.api import read_decomposition
    from decompose.scaffold import scaffold

    root = tmp_path / "project"
    (root / "shop").mkdir(parents=True)
    (root / "shop" / "__init__.py").write_text("")
    scaffold(read_decomposition(SCAFFOLD_FIXTURE), root / "out" / "services")
    moved = root / "orders_copy"  # one service, moved out of the scaffold
    (root / "out" / "services" / "orders").rename(moved)
    tree = discover(root, DEFAULT_EXCLUDES)
    assert [f.module for f in tree.files] == ["shop"]
    skipped = {s.path: s.reason for s in tree.skipped}
    assert "written by decompose" in skipped["out/services"]
    assert "written by decompose" in skipped["orders_copy"]
    assert [f.module for f in discover(root / "out" / "services").files]  # asked for


def test_a_readme_of_the_project_is_no_marker(build_file_tree) -> None:  # type: ignore[no-untyped-def]
    root = build_file_tree(
        {
            "guide/README.md": "# Services scaffolded from the monolith\n\nBy hand.\n",
            "guide/conf.py": "",
            "app/README.md": "# app\n\nThe `app` service, scaffolded by hand.\n",
            "app/__init__.py": "",
        }
    )
    assert set(names(root)) == {"guide.conf", "app"}
