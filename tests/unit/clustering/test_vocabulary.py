"""The words of code layout: roles, comparable names, compounds."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from decompose.clustering.vocabulary import Role, is_plumbing, role, term, tokens


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("api", Role.TECHNICAL),
        ("v2", Role.TECHNICAL),
        ("graphql", Role.TECHNICAL),
        ("_private", Role.TECHNICAL),
        ("models", Role.DATA),
        ("abstract_models", Role.DATA),
        ("plugins", Role.CONTAINER),
        ("contrib", Role.CONTAINER),
        ("orders", Role.DOMAIN),
        ("dashboard", Role.DOMAIN),  # a layer in one project, a domain in another
        ("search", Role.DOMAIN),
        ("core_api", Role.TECHNICAL),  # an interface named for whom it serves
        ("http_api", Role.TECHNICAL),
        ("api_tokens", Role.DOMAIN),  # tokens: what the package is about
        ("versions", Role.TECHNICAL),
        ("api_views", Role.TECHNICAL),  # roles all through
        ("api_v1", Role.TECHNICAL),
        ("order_views", Role.DOMAIN),  # the views of a domain: the name says whose
        ("subcommands", Role.TECHNICAL),
        ("webapi", Role.TECHNICAL),
        ("cmdline", Role.TECHNICAL),  # a command line's parts, below management/commands
    ],
)
def test_role_of_a_name(word: str, expected: Role) -> None:
    assert role(word) is expected


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("orders", "Order"),
        ("categories", "category"),
        ("user_stories", "UserStory"),
        ("addresses", "address"),
        ("catalogue", "catalog"),
        ("boxes", "box"),
    ],
)
def test_names_of_one_thing_compare_equal(a: str, b: str) -> None:
    assert term(a) == term(b)


@pytest.mark.parametrize(
    ("a", "b"), [("order", "ordering"), ("status", "state"), ("user", "users_group")]
)
def test_different_things_stay_apart(a: str, b: str) -> None:
    assert term(a) != term(b)


def test_words_ending_in_s_that_are_no_plurals() -> None:
    assert term("status") == "status" and term("address") == "address"


def test_compounds_split_into_comparable_words() -> None:
    assert tokens("dynamic_challenges") == ("dynamic", "challenge")
    assert tokens("ProductVariant") == ("product", "variant")
    assert tokens("id") == ()  # too short to name anything


def test_plumbing_words() -> None:
    assert is_plumbing("utils") and is_plumbing("Common")
    assert not is_plumbing("core")  # core is decided by what its code serves
    assert not is_plumbing("orders")


@given(st.from_regex(r"[a-z]{4,12}", fullmatch=True))
def test_term_is_lowercase_alphanumeric(word: str) -> None:
    assert term(word).isalnum() and term(word) == term(word).lower()
    assert term(word.upper()) == term(word)
