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


def test_cycles_frozen_alive_are_freed_by_the_next_sweep(monkeypatch):
    monkeypatch.setattr(collector, "_files_since_sweep", 0)
    monkeypatch.setattr(collector, "_files_per_sweep", 3)
    alive = _cycle()
    cycle = weakref.ref(alive)
    # Frozen while still referenced here, then dropped: full collections no longer see it ...
    collector.settle_after_file()
    del alive
    gc.collect()
    assert cycle() is not None
    collector.settle_after_file()
    assert cycle() is not None
    # ... until the sweep lets the frozen objects out for one complete collection.
    collector.settle_after_file()
    assert cycle() is None


def test_sweeps_come_less_often_the_more_is_alive_per_new_object(monkeypatch):
    kept = [_Node() for _ in range(200_000)]
    gc.freeze()
    monkeypatch.setattr(collector, "_files_since_sweep", 0)
    monkeypatch.setattr(collector, "_files_per_sweep", 1)
    monkeypatch.setattr(collector, "_after_sweep", gc.get_freeze_count())
    collector.settle_after_file()  # a sweep after a file that made almost nothing
    assert collector._files_per_sweep == collector._MAX_FILES_PER_SWEEP
    monkeypatch.setattr(collector, "_files_per_sweep", 1)
    more = [_Node() for _ in range(len(kept) * 4)]
    collector.settle_after_file()  # a file that made four times what was alive
    assert collector._files_per_sweep == collector._MIN_FILES_PER_SWEEP
    assert more


def test_a_host_that_disabled_the_collector_is_left_alone():
    gc.unfreeze()
    gc.disable()
    collector.settle_after_file()
    assert gc.get_freeze_count() == 0


def test_a_batch_runs_without_collections_and_sweeps_every_so_many_files(monkeypatch):
    monkeypatch.setattr(collector, "_FILES_PER_BATCH_SWEEP", 2)
    gc.unfreeze()
    with collector.BatchCollection() as collection:
        assert not gc.isenabled()
        cycle = weakref.ref(_cycle())  # garbage at once, which only a collection frees
        collection.after_file()
        assert cycle() is not None
        kept = _cycle()
        collection.after_file()  # the sweep: garbage freed, what is alive frozen
        assert cycle() is None and gc.get_freeze_count() > 0
    assert gc.isenabled() and gc.get_freeze_count() == 0
    assert kept.other.other is kept


def test_a_batch_in_a_host_that_disabled_the_collector_leaves_it_so(monkeypatch):
    monkeypatch.setattr(collector, "_FILES_PER_BATCH_SWEEP", 1)
    gc.unfreeze()
    gc.disable()
    with collector.BatchCollection() as collection:
        collection.after_file()
    assert not gc.isenabled() and gc.get_freeze_count() == 0
