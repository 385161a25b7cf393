"""Checking many files for `tfv check`: the result cache first, then a process pool for the rest.

The outcome does not depend on the number of jobs: files are analysed independently, results
come back in the order the files were found, and the caller sorts them by path and position.
"""
from __future__ import annotations

import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Sequence

from .analyze import INTERNAL_ERROR, Settings, SourceError, might_use_tensorflow
from .cache import ResultCache, digest
from .diagnostic import Diagnostic, Edit
from .fix import findings
from .sources import ReadError, decode_source
from .text import SourceText, in_newline_style


@dataclass
class Item:
    """One file to check: its name as shown, the path to cache it under (None: not cached)."""

    name: str
    data: bytes
    cache_path: str | None = None


@dataclass
class Outcome:
    diagnostics: list[Diagnostic] = field(default_factory=list)
    parse_error: tuple[str, int, int] | None = None  # message, line, 0-based column
    failure: str | None = None  # cannot be read or analysed; never cached
    cacheable: bool = True


def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def with_newline(diagnostics: list[Diagnostic], newline: str) -> list[Diagnostic]:
    """Fix edits are written with '\\n'; in a CRLF or CR file the exact replacement text uses its newline."""
    if newline == "\n":
        return diagnostics
    converted = []
    for diag in diagnostics:
        if diag.fix is not None and any("\n" in e.content for e in diag.fix.edits):
            edits = tuple(Edit(e.start, e.end, in_newline_style(e.content, newline)) for e in diag.fix.edits)
            diag = replace(diag, fix=replace(diag.fix, edits=edits))
        converted.append(diag)
    return converted


def check_text(name: str, text: str, settings: Settings) -> Outcome:
    try:
        found = findings(text, settings, name)
    except SourceError as err:
        return Outcome(parse_error=(err.message, err.line, err.col))
    except RecursionError:
        return Outcome(failure="code nested too deeply to analyse (file not checked)", cacheable=False)
    found = with_newline(found, SourceText(text).newline())
    return Outcome(found, cacheable=not any(d.code == INTERNAL_ERROR for d in found))


def _check_item(item: Item, settings: Settings) -> Outcome:
    try:
        source = decode_source(Path(item.name), item.data)
    except ReadError as err:
        return Outcome(failure=str(err), cacheable=False)
    return check_text(item.name, source.text, settings)


def _check_batch(batch: list[Item], settings: Settings) -> list[Outcome]:
    return [_check_item(item, settings) for item in batch]


def check_items(items: Sequence[Item], settings: Settings, jobs: int, cache: ResultCache | None) -> list[Outcome]:
    outcomes: list[Outcome | None] = [None] * len(items)
    digests: dict[int, str] = {}
    heavy: list[int] = []
    for index, item in enumerate(items):
        if cache is not None and item.cache_path is not None:
            digests[index] = digest(item.data)
            cached = cache.get(item.cache_path, digests[index])
            if cached is not None:
                outcomes[index] = Outcome(cached[0], cached[1])
                continue
        # A file that never names TensorFlow, Keras or a configured factory costs one scan here;
        # sending it to a worker would cost more than checking it.
        if might_use_tensorflow(item.data.decode("latin-1"), settings):
            heavy.append(index)
        else:
            outcomes[index] = _check_item(item, settings)
    if heavy:
        for index, outcome in zip(heavy, _run_heavy([items[i] for i in heavy], settings, jobs)):
            outcomes[index] = outcome
    if cache is not None:
        for index, outcome in enumerate(outcomes):
            item = items[index]
            if index in digests and outcome is not None and outcome.cacheable and outcome.failure is None:
                cache.put(item.cache_path, digests[index], outcome.diagnostics, outcome.parse_error)
        cache.save()
    return [o if o is not None else Outcome(failure="not checked", cacheable=False) for o in outcomes]


def _run_heavy(items: list[Item], settings: Settings, jobs: int) -> list[Outcome]:
    workers = min(jobs, len(items))
    if workers <= 1:
        return _check_batch(items, settings)
    # Batches in the order of the files, a few per worker so a slow file does not idle the rest.
    size = max(1, len(items) // (workers * 4))
    batches = [items[i : i + size] for i in range(0, len(items), size)]
    try:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            results = list(pool.map(_check_batch, batches, [settings] * len(batches)))
    except (OSError, RuntimeError):
        # No processes to be had (a sandbox, a frozen interpreter): the same work, serially.
        return _check_batch(items, settings)
    return [outcome for batch in results for outcome in batch]
