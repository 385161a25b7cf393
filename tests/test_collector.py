"""The collector policy: facts kept across files leave full collections' view, and garbage that
was frozen with them is still freed within a bounded number of files."""
import gc
import weakref

import pytest

from flake8_tfv import collector


class _Node:
    pass


@pytest.fixture(autouse=True)
def _restore_collector():
    enabled = gc.isenabled()
    gc.enable()
    yield
    gc.unfreeze()
    if not enabled:
        gc.disable()


def _cycle() -> _Node:
    a, b = _Node(), _Node()
    a.other, b.other = b, a
    return a


def test_what_is_alive_after_a_file_is_frozen():
    gc.unfreeze()
    kept = [_Node() for _ in range(100)]
    collector.settle_after_file()
    assert gc.get_freeze_count() >= len(kept)


def test_cycles_frozen_alive_are_freed_by_the_next_sweep():
    collector._files_since_sweep = 0
    alive = _cycle()
    cycle = weakref.ref(alive)
    # Frozen while still referenced here, then dropped: full collections no longer see it ...
    collector.settle_after_file()
    del alive
    gc.collect()
    assert cycle() is not None
    # ... until the sweep lets the frozen objects out for one complete collection.
    for _ in range(collector._FILES_PER_SWEEP - 1):
        collector.settle_after_file()
    assert cycle() is None


def test_a_host_that_disabled_the_collector_is_left_alone():
    gc.unfreeze()
    gc.disable()
    collector.settle_after_file()
    assert gc.get_freeze_count() == 0
