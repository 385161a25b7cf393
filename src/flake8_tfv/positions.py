"""Diagnostic positions (1-based lines, columns in characters) <-> LSP positions (0-based lines,
columns in the code units the client and server agreed on: UTF-16 unless told otherwise).

A character outside the Basic Multilingual Plane (an emoji, many CJK extension characters) is one
character, two UTF-16 code units and four UTF-8 bytes; a column converted wrongly puts the
squiggle, and worse a fix, in the wrong place. Lines are split where LSP and the Python tokenizer
split them (\\r\\n, \\r, \\n), not where `str.splitlines` does (it also splits on form feeds).
"""
from __future__ import annotations

from .diagnostic import Position
from .text import SourceText

UTF8, UTF16, UTF32 = "utf-8", "utf-16", "utf-32"


def _units(char: str, encoding: str) -> int:
    point = ord(char)
    if encoding == UTF16:
        return 2 if point > 0xFFFF else 1
    if encoding == UTF8:
        return 1 if point < 0x80 else 2 if point < 0x800 else 3 if point < 0x10000 else 4
    return 1


def _content(line: str) -> str:
    return line.rstrip("\r\n")


class LineIndex:
    """One document's lines, for converting positions both ways."""

    def __init__(self, text: str, encoding: str = UTF16):
        self.text = text
        self.encoding = encoding
        source = SourceText(text)
        self.lines = source.lines
        self._starts = source.line_starts

    def _line(self, index: int) -> str:
        return _content(self.lines[index]) if 0 <= index < len(self.lines) else ""

    def units(self, line_index: int, char_col: int) -> int:
        """Code units before character column `char_col` of a 0-based line."""
        prefix = self._line(line_index)[:char_col]
        if self.encoding == UTF32 or prefix.isascii():
            return len(prefix)
        return sum(_units(c, self.encoding) for c in prefix)

    def chars(self, line_index: int, unit_col: int) -> int:
        """Character column at code-unit column `unit_col` (clamped to the line, and never inside a
        character: a position in the middle of a surrogate pair moves to the character's start)."""
        line = self._line(line_index)
        if self.encoding == UTF32 or line.isascii():
            return min(unit_col, len(line))
        seen = 0
        for index, char in enumerate(line):
            width = _units(char, self.encoding)
            if seen + width > unit_col:
                return index
            seen += width
        return len(line)

    def to_lsp(self, pos: Position) -> tuple[int, int]:
        line_index = pos.line - 1
        if line_index >= len(self.lines):
            return self.offset_to_lsp(len(self.text))
        return line_index, self.units(line_index, pos.col)

    def from_lsp(self, line: int, character: int) -> Position:
        if line >= len(self.lines):
            return self.offset_position(len(self.text))
        return Position(line + 1, self.chars(line, character))

    def line_offset(self, line_index: int) -> int:
        """Where a 0-based line starts in the text (the text's length past the last line)."""
        return self._starts[min(max(line_index, 0), len(self._starts) - 1)]

    def offset(self, pos: Position) -> int:
        index = min(max(pos.line - 1, 0), len(self._starts) - 1)
        return min(self._starts[index] + pos.col, len(self.text))

    def offset_position(self, offset: int) -> Position:
        """The Position of a character offset into the text (the end of the text included)."""
        lo, hi = 0, len(self.lines)
        while lo < hi:  # the last line starting at or before `offset`
            mid = (lo + hi + 1) // 2
            if self._starts[mid] <= offset:
                lo = mid
            else:
                hi = mid - 1
        if lo == len(self.lines) and self.lines and not self.lines[-1].endswith(("\n", "\r")):
            lo -= 1  # the end of a last line that has no line break
        if lo < len(self.lines) and offset - self._starts[lo] > len(_content(self.lines[lo])):
            # Inside a line break: the position after it, which starts the next line.
            return Position(lo + 2, 0)
        return Position(lo + 1, offset - self._starts[lo])

    def offset_to_lsp(self, offset: int) -> tuple[int, int]:
        pos = self.offset_position(offset)
        return pos.line - 1, self.units(pos.line - 1, pos.col)
