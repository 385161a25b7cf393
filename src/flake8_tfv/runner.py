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

from .analyze import INTERNAL_ERROR, Settings, SourceError, TooComplex, may_subclass_project_layer, might_use_tensorflow
from .cache import ResultCache, digest
from .collector import BatchCollection
from .diagnostic import Diagnostic, Edit
from .fix import findings
from .model.project import ROOT_MARKERS, Project, facts_project, find_root, project_for
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
    dependencies: dict | None = None  # what the findings read from other files (see cache.py)
    from_cache: bool = False


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


def check_text(name: str, text: str, settings: Settings, record: bool = False) -> Outcome:
    """The findings of one text; with `record`, also what they depended on outside it."""
    project = None
    if record and settings.cross_module:
        project = project_for(name, settings.src)
        if project is not None:
            project.begin_file()  # analyze() does too; here so nothing of the last file is left
    try:
        found = findings(text, settings, name)
    except TooComplex as err:
        # How deep the analysis can go depends on the interpreter's stack, not only on the text.
        return Outcome(parse_error=(err.message, err.line, err.col), cacheable=False)
    except SourceError as err:
        return Outcome(parse_error=(err.message, err.line, err.col))
    except RecursionError:
        return Outcome(failure="code nested too deeply to analyse (file not checked)", cacheable=False)
    found = with_newline(found, SourceText(text).newline())
    outcome = Outcome(found, cacheable=not any(d.code == INTERNAL_ERROR for d in found))
    if record and settings.cross_module:
        outcome.dependencies = _recorded(name, project)
        outcome.cacheable = outcome.cacheable and outcome.dependencies is not None
    return outcome


def _recorded(name: str, project: Project | None) -> dict | None:
    """The record the cache keeps of other files; None when the answer depended on timing."""
    if project is None:
        root = find_root(Path(name))
        return {"root": str(root) if root is not None else None, "files": {}, "missing": []}
    found = project.dependencies
    if not found.complete:
        return None
    files = {}
    for path in sorted(found.files):
        file_digest = _digest_of(path)
        if file_digest is None:
            return None
        files[str(path)] = file_digest
    return {"root": str(project.root), "files": files, "missing": sorted(found.missing)}


_DIGESTS: dict[Path, tuple[tuple[int, int], str]] = {}


def _digest_of(path: Path) -> str | None:
    """A dependency's digest, hashed once per process while its size and modification time stay
    (a popular module is a dependency of hundreds of files of a run)."""
    try:
        stat = path.stat()
        stamp = (stat.st_mtime_ns, stat.st_size)
        known = _DIGESTS.get(path)
        if known is not None and known[0] == stamp:
            return known[1]
        found = digest(path.read_bytes())
    except OSError:
        return None
    _DIGESTS[path] = (stamp, found)
    return found


class DependencyCheck:
    """Whether what a cached answer read outside its own file is still as it was: the same
    project root, the same bytes in each module it used, and still no project module for each
    name that had none. Each file is hashed and each name looked up at most once per run."""

    def __init__(self, settings: Settings, digests: dict[str, str]):
        self.settings = settings
        self.digests: dict[str, str | None] = dict(digests)
        self.roots: dict[str, str | None] = {}  # resolved folder -> its project root
        self.folders: dict[str, str | None] = {}  # folder as found -> its project root
        self.absent: dict[tuple[str, str], bool] = {}

    def _digest(self, path: str) -> str | None:
        if path not in self.digests:
            self.digests[path] = _digest_of(Path(path))
        return self.digests[path]

    def _root(self, folder: Path) -> str | None:
        """project.find_root, remembered per folder: a tree's files share their ancestors."""
        key = str(folder)
        if key not in self.roots:
            if any((folder / marker).exists() for marker in ROOT_MARKERS):
                self.roots[key] = key
            else:
                self.roots[key] = None if folder.parent == folder else self._root(folder.parent)
        return self.roots[key]

    def holds(self, file: str, recorded: dict) -> bool:
        folder = os.path.dirname(file)
        if folder not in self.folders:
            self.folders[folder] = self._root(Path(os.path.realpath(folder)))
        if self.folders[folder] != recorded["root"]:
            return False
        if any(self._digest(path) != want for path, want in recorded["files"].items()):
            return False
        if recorded["missing"]:
            project = project_for(file, self.settings.src)
            if project is None:
                return False
            for name in recorded["missing"]:
                key = (str(project.root), name)
                if key not in self.absent:
                    self.absent[key] = project.module_file(name) is None
                if not self.absent[key]:
                    return False
        return True


def _check_item(item: Item, settings: Settings, record: bool) -> Outcome:
    try:
        source = decode_source(Path(item.name), item.data)
    except ReadError as err:
        return Outcome(failure=str(err), cacheable=False)
    return check_text(item.name, source.text, settings, record=record and item.cache_path is not None)


def _check_unadmitted(item: Item, scanned: str, settings: Settings, record: bool) -> Outcome:
    """A file the scan above found nothing to analyse in. Its text is still decoded, since a file
    that cannot be read is reported; when the decoded text is the one scanned (any ASCII-compatible
    encoding of an ASCII file), analyze would only repeat the scan, so it is not asked, unless the
    cache is to record what the answer read of other files (which the scan notes as it goes)."""
    if record and item.cache_path is not None:
        return _check_item(item, settings, record)
    try:
        source = decode_source(Path(item.name), item.data)
    except ReadError as err:
        return Outcome(failure=str(err), cacheable=False)
    if source.text == scanned:
        return Outcome()
    return check_text(item.name, source.text, settings)


def _check_batch(batch: list[Item], settings: Settings, record: bool) -> list[Outcome]:
    outcomes = []
    with BatchCollection() as collection:
        for item in batch:
            outcomes.append(_check_item(item, settings, record))
            collection.after_file()
    return outcomes


def check_items(items: Sequence[Item], settings: Settings, jobs: int, cache: ResultCache | None) -> list[Outcome]:
    outcomes: list[Outcome | None] = [None] * len(items)
    digests: dict[int, str] = {}
    if cache is not None:
        digests = {i: digest(item.data) for i, item in enumerate(items) if item.cache_path is not None}
        # Keyed by the paths as found; a dependency recorded under another spelling is read again.
        check = DependencyCheck(settings, {items[i].cache_path: d for i, d in digests.items()})
    heavy: list[int] = []
    for index, item in enumerate(items):
        if index in digests:
            cached = cache.get(item.cache_path, digests[index], lambda recorded: check.holds(item.cache_path, recorded))
            if cached is not None:
                outcomes[index] = Outcome(cached[0], cached[1], from_cache=True)
                continue
        # A file that never names TensorFlow, Keras or a configured factory costs one scan here
        # (two if its classes have bases); sending it to a worker would cost more than checking it.
        text = item.data.decode("latin-1")
        if might_use_tensorflow(text, settings) or may_subclass_project_layer(text, settings, item.name):
            heavy.append(index)
        else:
            outcomes[index] = _check_unadmitted(item, text, settings, cache is not None)
    if heavy:
        for index, outcome in zip(heavy, _run_heavy([items[i] for i in heavy], settings, jobs, cache is not None)):
            outcomes[index] = outcome
    if cache is not None:
        for index, outcome in enumerate(outcomes):
            item = items[index]
            if index in digests and outcome is not None and outcome.cacheable and not outcome.from_cache:
                cache.put(item.cache_path, digests[index], outcome.diagnostics, outcome.parse_error, outcome.dependencies)
        cache.save()
    return [o if o is not None else Outcome(failure="not checked", cacheable=False) for o in outcomes]


def _run_heavy(items: list[Item], settings: Settings, jobs: int, record: bool) -> list[Outcome]:
    workers = min(jobs, len(items))
    if workers <= 1:
        return _check_batch(items, settings, record)
    if settings.cross_module:
        batches = worker_batches([(_project_key(item.name, settings.src), len(item.data)) for item in items], workers)
    else:
        # Files are independent: batches in their order, a few per worker so a slow file does not idle the rest.
        size = max(1, len(items) // (workers * 4))
        batches = [list(range(i, min(i + size, len(items)))) for i in range(0, len(items), size)]
    try:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            results = list(pool.map(
                _check_batch, [[items[i] for i in batch] for batch in batches], [settings] * len(batches), [record] * len(batches)
            ))
    except (OSError, RuntimeError):
        # No processes to be had (a sandbox, a frozen interpreter): the same work, serially.
        return _check_batch(items, settings, record)
    placed: dict[int, Outcome] = {}
    for batch, found in zip(batches, results):
        placed.update(zip(batch, found))
    return [placed[index] for index in range(len(items))]


def _project_key(name: str, src: tuple[str, ...]) -> str | None:
    """The root of the project whose facts a file reads. None: it reads none, having no project,
    being one of TensorFlow's own modules (analyze), or with a project that cannot be looked for,
    which the file's own analysis reports."""
    try:
        project, _ = facts_project(name, src)
    except OSError:
        return None
    return str(project.root) if project is not None else None


# Files that read no project's facts go to the pool in runs of about this fraction of a process's
# share: small enough to fill in around the projects' batches at the end of a run, large enough
# that sending them costs little.
_LOOSE_RUNS_PER_WORKER = 8


def worker_batches(files: Sequence[tuple[str | None, int]], workers: int) -> list[list[int]]:
    """Batches of file indices for the pool, from (project key, size) per file, largest first: a
    process takes the next batch when it is done with one, so the loads even out whatever a file
    costs (a byte of a project read with cross-module facts costs about twice one read without).

    Each process keeps the facts of the projects it reads, and a project split between processes
    has its modules' facts worked out once in each (issue 6: on the corpus, batches taken in turn
    from the file list made two processes do 1.5x the work of one). So a project's files make one
    batch, in their order, unless the project is larger than a process's share; then it is cut in
    consecutive runs of files, which share more of what they import than files taken apart. Files
    that read no project's facts (key None) share nothing and go in small runs."""
    groups: dict[str | None, list[int]] = {}
    for index, (key, _) in enumerate(files):
        groups.setdefault(key, []).append(index)
    sizes = [max(size, 1) for _, size in files]
    share = sum(sizes) / workers
    parts = _runs(groups.pop(None, []), sizes, share / _LOOSE_RUNS_PER_WORKER)
    for members in groups.values():
        parts.extend(_runs(members, sizes, share))
    return [part for _, part in sorted(parts, key=lambda found: -found[0])]


def _runs(members: list[int], sizes: list[int], limit: float) -> list[tuple[int, list[int]]]:
    """Consecutive runs of `members` within `limit` each (a larger file makes a run alone), with their weights."""
    runs: list[tuple[int, list[int]]] = []
    run: list[int] = []
    weight = 0
    for index in members:
        if run and weight + sizes[index] > limit:
            runs.append((weight, run))
            run, weight = [], 0
        run.append(index)
        weight += sizes[index]
    if run:
        runs.append((weight, run))
    return runs
