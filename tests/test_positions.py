"""Diagnostic positions (characters) <-> LSP positions (code units of the agreed encoding)."""
from __future__ import annotations

import pytest

from flake8_tfv.diagnostic import Position
from flake8_tfv.positions import LineIndex

TEXT = "a = '😀é'; b = 1\n\x0cc = 2\r\nd = 3\re = 4"


@pytest.mark.parametrize(
    "encoding, units",
    [("utf-16", len("a = '😀é'; ".encode("utf-16-le")) // 2), ("utf-8", len("a = '😀é'; ".encode())), ("utf-32", len("a = '😀é'; "))],
)
def test_columns_after_non_ascii_characters(encoding, units):
    index = LineIndex(TEXT, encoding)
    col = len("a = '😀é'; ")
    assert index.to_lsp(Position(1, col)) == (0, units)
    assert index.from_lsp(0, units) == Position(1, col)


def test_lines_break_where_lsp_and_python_break_them():
    # A form feed is not a line break (str.splitlines would say it is); \r\n and a lone \r are.
    index = LineIndex(TEXT)
    assert index.to_lsp(Position(2, 1)) == (1, 1)
    assert index.to_lsp(Position(3, 0)) == (2, 0)
    assert index.to_lsp(Position(4, 5)) == (3, 5)


def test_positions_past_the_end_and_inside_a_surrogate_pair():
    index = LineIndex(TEXT)
    assert index.from_lsp(0, 6) == Position(1, 5)  # the middle of 😀 (units 5-6) is its start
    assert index.from_lsp(0, 999) == Position(1, len("a = '😀é'; b = 1"))
    assert index.from_lsp(99, 0) == Position(4, 5)  # the end of a text without a final newline
    assert LineIndex("x\n").offset_to_lsp(2) == (1, 0)
    assert LineIndex("").to_lsp(Position(1, 0)) == (0, 0)
