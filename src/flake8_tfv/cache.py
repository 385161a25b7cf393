"""The result cache of `tfv check`: `.tfv_cache/`, as Ruff keeps `.ruff_cache/`.

An entry is keyed by the file's path and a digest of its bytes; the cache file it lives in is
keyed by tfv's version, a fingerprint of tfv's own code (so an editable install that changes a
rule does not serve stale results) and the effective settings. With cross-module facts a file's
findings also depend on other modules of its project: the entry records those (their digests,
the module names that no project file answered, the project root), and the runner checks them
before it trusts the entry. A cache that cannot be read, parsed or written is ignored without a
word: the cache may make a run faster, never wrong.
"""
from __future__ import annotations

import dataclasses
import hashlib
import json
import os
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable

import flake8_tfv

from .analyze import Settings
from .diagnostic import Applicability, Diagnostic, Edit, Fix, Position
from .sources import write_atomic

CACHE_DIR_NAME = ".tfv_cache"
ENV_CACHE_DIR = "TFV_CACHE_DIR"
_GITIGNORE = "# Automatically created by tfv.\n*\n"
_CACHEDIR_TAG = (
    "Signature: 8a477f597d28d172789f06886806bc55\n"
    "# This file is a cache directory tag created by tfv.\n"
    "# For information about cache directory tags see https://bford.info/cachedir/\n"
)
_FORMAT = 2  # bumped when the layout of an entry changes


def digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


@lru_cache(maxsize=None)
def _code_fingerprint() -> str:
    package = Path(flake8_tfv.__file__).resolve().parent
    parts = []
    for path in sorted(package.rglob("*.py")):
        try:
            info = path.stat()
        except OSError:
            continue
        parts.append(f"{path.relative_to(package).as_posix()}:{info.st_size}:{info.st_mtime_ns}")
    return digest("\n".join(parts).encode())


def cache_key(settings: Settings) -> str:
    # Every setting that takes part in Settings' equality, so one added later is in the key too.
    effective = {f.name: getattr(settings, f.name) for f in dataclasses.fields(settings) if f.compare}
    material = json.dumps(
        {"format": _FORMAT, "version": flake8_tfv.__version__, "code": _code_fingerprint(), "settings": effective},
        sort_keys=True,
        default=repr,
    )
    return digest(material.encode())


# ---- (de)serialising findings --------------------------------------------------------------------


def _pos(p: Position) -> list[int]:
    return [p.line, p.col]


def _encode(diag: Diagnostic) -> list:
    fix = None
    if diag.fix is not None:
        fix = [diag.fix.applicability.value, diag.fix.message, [[_pos(e.start), _pos(e.end), e.content] for e in diag.fix.edits]]
    return [diag.code, diag.message, _pos(diag.start), _pos(diag.end), fix]


def _decode(item: Any) -> Diagnostic:
    code, message, start, end, fix = item
    decoded_fix = None
    if fix is not None:
        applicability, fix_message, edits = fix
        decoded_fix = Fix(
            Applicability(applicability),
            str(fix_message),
            tuple(Edit(Position(*s), Position(*e), str(content)) for s, e, content in edits),
        )
    return Diagnostic(str(code), str(message), Position(*start), Position(*end), decoded_fix)


def _dependencies(raw: Any) -> dict | None:
    """An entry's record of other files, checked for shape: {"root", "files", "missing"}."""
    if raw is None:
        return None
    root, files, missing = raw["root"], raw["files"], raw["missing"]
    if not (root is None or isinstance(root, str)) or not isinstance(files, dict) or not isinstance(missing, list):
        raise ValueError("malformed dependencies")
    if not all(isinstance(k, str) and isinstance(v, str) for k, v in files.items()):
        raise ValueError("malformed dependencies")
    if not all(isinstance(m, str) for m in missing):
        raise ValueError("malformed dependencies")
    return {"root": root, "files": files, "missing": missing}


class ResultCache:
    """Cached outcomes of one settings key: path -> (digest, findings or a parse error)."""

    def __init__(self, folder: Path, key: str):
        self.folder = folder
        self.file = folder / f"{key}.json"
        self._entries: dict[str, list] = {}
        self._dirty = False
        self.hits = self.misses = 0

    @classmethod
    def open(cls, folder: Path, settings: Settings) -> "ResultCache":
        cache = cls(folder, cache_key(settings))
        try:
            data = json.loads(cache.file.read_text(encoding="utf-8"))
            if isinstance(data, dict) and isinstance(data.get("entries"), dict):
                cache._entries = data["entries"]
        except (OSError, ValueError):
            pass  # absent, unreadable or corrupt: start empty
        return cache

    def get(
        self, path: str, file_digest: str, holds: Callable[[dict], bool] | None = None
    ) -> tuple[list[Diagnostic], tuple[str, int, int] | None] | None:
        """(findings, parse error or None) when the file is unchanged since it was cached and,
        for an entry that depended on other files, `holds` says those are unchanged too."""
        entry = self._entries.get(path)
        try:
            if entry is None or entry[0] != file_digest:
                self.misses += 1
                return None
            diagnostics = [_decode(item) for item in entry[1]]
            error = entry[2]
            outcome = diagnostics, (str(error[0]), int(error[1]), int(error[2])) if error is not None else None
            dependencies = _dependencies(entry[3])
        except (TypeError, ValueError, IndexError, KeyError, AttributeError):
            self.misses += 1
            return None  # an entry written by hand or by a broken run: recompute it
        if dependencies is not None and (holds is None or not holds(dependencies)):
            self.misses += 1
            return None
        self.hits += 1
        return outcome

    def put(
        self,
        path: str,
        file_digest: str,
        diagnostics: list[Diagnostic],
        error: tuple[str, int, int] | None,
        dependencies: dict | None = None,
    ) -> None:
        self._entries[path] = [file_digest, [_encode(d) for d in diagnostics], list(error) if error else None, dependencies]
        self._dirty = True

    def save(self) -> None:
        if not self._dirty:
            return
        # Entries of files that are gone would otherwise pile up for ever.
        entries = {path: entry for path, entry in self._entries.items() if os.path.exists(path)}
        try:
            self._prepare_folder()
            data = json.dumps({"entries": entries}, separators=(",", ":")).encode("utf-8")
            write_atomic(self.file, data)
        except (OSError, ValueError):
            pass  # a read-only tree, a full disk: the next run recomputes

    def _prepare_folder(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        for name, content in ((".gitignore", _GITIGNORE), ("CACHEDIR.TAG", _CACHEDIR_TAG)):
            marker = self.folder / name
            if not marker.exists():
                marker.write_text(content, encoding="utf-8")


def default_folder(explicit: Path | None, config_path: Path | None) -> Path:
    """--cache-dir, else $TFV_CACHE_DIR, else beside the pyproject.toml in force, else here."""
    if explicit is not None:
        return explicit
    env = os.environ.get(ENV_CACHE_DIR)
    if env:
        return Path(env)
    base = config_path.parent if config_path is not None else Path.cwd()
    return base / CACHE_DIR_NAME
