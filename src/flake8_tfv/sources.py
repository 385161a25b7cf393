"""Finding Python files, decoding them as Python does, and writing them back atomically."""
from __future__ import annotations

import io
import os
import stat
import tempfile
import tokenize
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator

import pathspec

# Folders no one wants linted (the list Ruff and Black skip by default).
DEFAULT_EXCLUDE = (
    ".bzr", ".direnv", ".eggs", ".git", ".git-rewrite", ".hg", ".mypy_cache", ".nox", ".pants.d",
    ".pytype", ".ruff_cache", ".svn", ".tox", ".venv", ".tfv_cache", "__pypackages__", "_build",
    "buck-out", "build", "dist", "node_modules", "site-packages", "venv",
)


class ReadError(Exception):
    pass


@dataclass
class SourceFile:
    path: Path
    text: str
    encoding: str  # as tokenize names it; "utf-8-sig" when the file starts with a BOM

    def encode(self, text: str) -> bytes:
        return text.encode(self.encoding)


def read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise ReadError("no such file") from None
    except IsADirectoryError:
        raise ReadError("is a directory") from None
    except PermissionError:
        raise ReadError("permission denied") from None
    except OSError as err:
        raise ReadError(err.strerror or str(err)) from None


def read_source(path: Path) -> SourceFile:
    return decode_source(path, read_bytes(path))


def decode_source(path: Path, data: bytes) -> SourceFile:
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
        # Newlines stay as they are: fixes must keep CRLF and CR files byte for byte.
        text = data.decode(encoding)
    except (SyntaxError, LookupError) as err:
        raise ReadError(f"cannot decode: {err}") from None
    except UnicodeDecodeError as err:
        raise ReadError(f"cannot decode as {err.encoding}: {err.reason} at byte {err.start}") from None
    if encoding == "utf-8-sig" and text.startswith("\ufeff"):
        text = text[1:]
    return SourceFile(path, text, encoding)


def write_atomic(path: Path, data: bytes) -> None:
    """Replace the file in one step: a reader (or a crash) sees the old file or the new one."""
    # A new file keeps the private mode mkstemp gives it; an existing one keeps its own.
    mode = stat.S_IMODE(path.stat().st_mode) if path.exists() else None
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tfv-tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if mode is not None:
            os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def _gitignore(folder: Path) -> pathspec.PathSpec | None:
    ignore = folder / ".gitignore"
    if not ignore.is_file():
        return None
    try:
        return pathspec.GitIgnoreSpec.from_lines(ignore.read_text(encoding="utf-8", errors="replace").splitlines())
    except (OSError, ValueError):
        return None


def iter_python_files(paths: Iterable[str], exclude: Iterable[str] = (), respect_gitignore: bool = True) -> Iterator[Path]:
    """Files named on the command line always; below folders, `*.py` files that are not excluded
    by `exclude` (gitignore-style patterns) or by a `.gitignore` on the way down."""
    user = pathspec.GitIgnoreSpec.from_lines(list(exclude))
    seen: set[Path] = set()
    for raw in paths:
        root = Path(raw)
        if not root.is_dir():
            if root not in seen:
                seen.add(root)
                yield root
            continue
        for path in _walk(root, user, [], respect_gitignore):
            if path not in seen:
                seen.add(path)
                yield path


def _walk(folder: Path, user: pathspec.PathSpec, ignores: list, respect_gitignore: bool) -> Iterator[Path]:
    if respect_gitignore:
        spec = _gitignore(folder)
        if spec is not None:
            ignores = ignores + [(folder, spec)]
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError:
        return
    for entry in entries:
        path = Path(entry.path)
        is_dir = entry.is_dir(follow_symlinks=False)
        if is_dir and entry.name in DEFAULT_EXCLUDE:
            continue
        rel = path.as_posix() + ("/" if is_dir else "")
        if user.match_file(rel) or user.match_file(entry.name + ("/" if is_dir else "")):
            continue
        if any(spec.match_file(os.path.relpath(path, base).replace(os.sep, "/") + ("/" if is_dir else "")) for base, spec in ignores):
            continue
        if is_dir:
            yield from _walk(path, user, ignores, respect_gitignore)
        elif entry.name.endswith(".py") and entry.is_file():
            yield path
