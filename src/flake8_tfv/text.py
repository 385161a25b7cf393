"""Source text as the Python parser sees it: lines, offsets and node spans.

``ast`` counts columns in UTF-8 bytes and splits lines only on ``\\r\\n``, ``\\r`` and ``\\n``
(``str.splitlines`` also splits on form feeds and other separators, which would shift every
line after them), so positions are converted here and nowhere else.
"""
from __future__ import annotations

import ast
import re

from .diagnostic import Position

_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")
_BARE_LF = re.compile(r"(?<!\r)\n")
_LINE_END = re.compile(r"\r\n|\r|\n")


def in_newline_style(content: str, newline: str) -> str:
    """Replacement text in the file's newline style: the '\n's that generated code writes become
    `newline`; a segment copied from a CRLF file already has its '\r\n' and keeps it."""
    if newline == "\n" or "\n" not in content:
        return content
    return _BARE_LF.sub(lambda _: newline, content)


def split_lines(text: str) -> list[str]:
    """Lines with their endings kept, split exactly where the tokenizer splits them."""
    return _LINE.findall(text)


class SourceText:
    def __init__(self, text: str, lines: list[str] | None = None):
        self.text = text
        self._lines = lines
        self._starts: list[int] | None = None

    @property
    def lines(self) -> list[str]:
        # Split on first use: most files have no finding, so their lines are never needed.
        if self._lines is None:
            self._lines = split_lines(self.text)
        return self._lines

    def line(self, lineno: int) -> str:
        if 1 <= lineno <= len(self.lines):
            return self.lines[lineno - 1]
        return ""

    def char_col(self, lineno: int, byte_col: int) -> int:
        line = self.line(lineno)
        if line.isascii():
            return byte_col
        return len(line.encode("utf-8")[:byte_col].decode("utf-8", errors="replace"))

    def start(self, node: ast.AST) -> Position:
        return Position(node.lineno, self.char_col(node.lineno, node.col_offset))

    def end(self, node: ast.AST) -> Position:
        return Position(node.end_lineno, self.char_col(node.end_lineno, node.end_col_offset))

    @property
    def line_starts(self) -> list[int]:
        """Where each line starts in the text, then the text's length."""
        if self._starts is None:
            starts, total = [], 0
            for line in self.lines:
                starts.append(total)
                total += len(line)
            starts.append(total)
            self._starts = starts
        return self._starts

    def offset(self, pos: Position) -> int:
        starts = self.line_starts
        index = min(max(pos.line - 1, 0), len(starts) - 1)
        return starts[index] + pos.col

    def segment(self, node: ast.AST) -> str:
        return self.text[self.offset(self.start(node)) : self.offset(self.end(node))]

    def indent_of(self, lineno: int) -> str:
        line = self.line(lineno)
        return line[: len(line) - len(line.lstrip(" \t\f"))]

    def newline(self) -> str:
        """The first line's ending ('\n' for a text of one line): the file's newline style. Found
        without splitting the text, which every checked file would otherwise pay for."""
        found = _LINE_END.search(self.text)
        return found.group(0) if found is not None else "\n"
