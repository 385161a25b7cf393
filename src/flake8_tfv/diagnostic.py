"""The one finding type every surface renders.

Positions: 1-based lines, 0-based columns counted in characters (not the UTF-8 bytes that
``ast`` reports), and an end position that is exclusive, as ``ast`` and LSP have it. Each
surface converts: flake8 adds 1 to the column itself, text output prints ``col + 1``.
"""
from __future__ import annotations

import enum
from dataclasses import dataclass, field


class Applicability(str, enum.Enum):
    SAFE = "safe"
    UNSAFE = "unsafe"


@dataclass(frozen=True, order=True)
class Position:
    line: int
    col: int


@dataclass(frozen=True)
class Edit:
    """Replace the text between ``start`` and ``end`` with ``content``."""

    start: Position
    end: Position
    content: str


@dataclass(frozen=True)
class Fix:
    applicability: Applicability
    message: str
    edits: tuple[Edit, ...]

    @property
    def is_safe(self) -> bool:
        return self.applicability is Applicability.SAFE


@dataclass(frozen=True)
class Diagnostic:
    code: str
    message: str
    start: Position
    end: Position
    fix: Fix | None = field(default=None, compare=False)

    @property
    def line(self) -> int:
        return self.start.line

    @property
    def col(self) -> int:
        return self.start.col

    def sort_key(self) -> tuple[int, int, str]:
        return (self.start.line, self.start.col, self.code)
