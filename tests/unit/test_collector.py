from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from decompose import collector


@pytest.fixture
def nothing_frozen() -> Iterator[None]:
    gc.unfreeze()
    yield
    gc.unfreeze()


def test_what_exists_is_left_out_of_collections_in_the_block(nothing_frozen: None) -> None:
    alive = [object() for _ in range(10)]
    with collector.sparing_what_exists():
        assert gc.get_freeze_count() >= len(alive)
        assert gc.collect() >= 0
    assert gc.get_freeze_count() == 0  # thawed after


def test_the_callers_own_frozen_objects_stay_as_they_were(nothing_frozen: None) -> None:
    gc.freeze()
    frozen = gc.get_freeze_count()
    with collector.sparing_what_exists():
        _ = [[] for _ in range(100)]
    assert gc.get_freeze_count() == frozen


def test_the_pause_restores_the_callers_setting(nothing_frozen: None) -> None:
    gc.disable()
    try:
        with collector.paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    finally:
        gc.enable()
    with collector.paused():
        assert not gc.isenabled()
    assert gc.isenabled() and gc.get_freeze_count() == 0
