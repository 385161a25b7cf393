"""Renderings of Diagnostics for the terminal (flake8's format: 1-based columns)."""
from __future__ import annotations

from collections import Counter
from typing import Iterable, TextIO

from .diagnostic import Diagnostic


def text_line(path: str, diag: Diagnostic) -> str:
    return f"{path}:{diag.line}:{diag.col + 1}: {diag.code} {diag.message}"


def write_text(out: TextIO, results: Iterable[tuple[str, Diagnostic]], show_fixes: bool = False) -> None:
    for path, diag in results:
        suffix = ""
        if show_fixes and diag.fix is not None:
            suffix = f" [*{'' if diag.fix.is_safe else ' unsafe'} fix]"
        out.write(text_line(path, diag) + suffix + "\n")


def write_statistics(out: TextIO, results: Iterable[tuple[str, Diagnostic]]) -> None:
    counts = Counter(diag.code for _, diag in results)
    for code, count in sorted(counts.items()):
        out.write(f"{count:<6} {code}\n")
