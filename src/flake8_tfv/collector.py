"""How the linter keeps Python's cyclic garbage collector from scanning what it holds for nothing.

Two costs, both measured on the issue 6 corpus:
- While one file is analysed, its tree and model are alive and each collection scans them in
  vain: collections wait until the file is done (`no_collection_while_analysing`).
- Cross-module facts live for the whole run. Every full collection the host makes (flake8's
  pyflakes leaves reference cycles behind on every file, so it makes hundreds) scans them again:
  on tensorflow-cpu and tensorflow-probability, 206 full collections took 16 s with the plugin,
  against 5 s for flake8 alone. The plugin's `settle_after_file` moves what is alive into the
  collector's permanent generation after each file, where full collections skip it, and lets it
  out again for one complete collection whenever it has doubled, so the cycles that became
  garbage meanwhile (the host's included) are freed: the objects held stay within twice what is
  alive, not the whole run's garbage.
- `tfv check` owns its process, and its analysis frees each file's model by reference counting
  (SemanticModel.release): a run over the whole corpus leaves 709 objects of cyclic garbage, where
  the collector made 541 collections (0.5 s of 19.5) that found next to nothing. A batch of files
  runs with the collector off (`BatchCollection`), with a sweep every so many files of what was
  allocated since the last, whose survivors are then frozen: each object is looked at about once.
"""
from __future__ import annotations

import gc
from contextlib import contextmanager

# A sweep once the frozen objects have grown by about what was alive after the last one: garbage
# frozen with the live objects stays within as much again, and each sweep's cost (scanning
# everything) is paid for by as many new objects, however large the kept facts grow. Growth by
# half instead made the corpus's flake8 run sweep more (settle 7.2 s against 5.8 s in-process) for
# a peak 5% lower (417 MB against 437 MB).
# Counting the frozen objects walks them all, so it is done only at a sweep, and the number of
# files until the next is worked out from the growth per file seen since the last.
_GROWTH_BEFORE_SWEEP = 1.0
_MIN_FILES_PER_SWEEP = 50
_MAX_FILES_PER_SWEEP = 1000
_files_per_sweep = _MIN_FILES_PER_SWEEP
_files_since_sweep = 0
_after_sweep = 0


@contextmanager
def no_collection_while_analysing():
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def settle_after_file() -> None:
    global _files_per_sweep, _files_since_sweep, _after_sweep
    if not gc.isenabled():  # the host manages the collector itself
        return
    gc.freeze()
    _files_since_sweep += 1
    if _files_since_sweep < _files_per_sweep:
        return
    growth_per_file = max(gc.get_freeze_count() - _after_sweep, 1) / _files_since_sweep
    gc.unfreeze()
    gc.collect()
    gc.freeze()
    _after_sweep = gc.get_freeze_count()
    _files_since_sweep = 0
    wanted = int(_GROWTH_BEFORE_SWEEP * _after_sweep / growth_per_file)
    _files_per_sweep = min(max(wanted, _MIN_FILES_PER_SWEEP), _MAX_FILES_PER_SWEEP)


# Files between two sweeps of a batch: what garbage they may leave stays bounded, and the sweeps'
# cost hardly depends on it (each survivor is scanned at the first sweep after it was made).
_FILES_PER_BATCH_SWEEP = 1000


class BatchCollection:
    """The collector policy of a batch of files in a process the linter owns (`tfv check`):
    `with BatchCollection() as collection:` then `collection.after_file()` after each file."""

    def __enter__(self) -> "BatchCollection":
        self._enabled = gc.isenabled()
        self._files = 0
        self._froze = False
        gc.disable()
        return self

    def after_file(self) -> None:
        if not self._enabled:  # the host manages the collector itself
            return
        self._files += 1
        if self._files % _FILES_PER_BATCH_SWEEP == 0:
            gc.collect()
            gc.freeze()
            self._froze = True

    def __exit__(self, *exc) -> None:
        if self._froze:
            gc.unfreeze()
        if self._enabled:
            gc.enable()
