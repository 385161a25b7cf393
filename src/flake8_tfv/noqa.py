"""`# noqa` comments, read the way flake8 reads them, for the surfaces flake8 does not run.

A bare `# noqa` silences every code on its line; `# noqa: TFV101,TFV102` only those codes (and
prefixes of them). As in flake8, a comment anywhere on a multi-line statement covers all of it.
"""
from __future__ import annotations

import io
import re
import tokenize
from typing import Iterable

from .diagnostic import Diagnostic, Edit, Position
from .text import split_lines

# flake8's own pattern (flake8/defaults.py), so both surfaces agree on every spelling.
NOQA = re.compile(
    r"# noqa"
    r"(?::[\s]?(?P<codes>([A-Z]+[0-9]+(?:[,\s]+)?)+))?",
    re.IGNORECASE,
)
_CODE = re.compile(r"[A-Z]+[0-9]+", re.IGNORECASE)


def _logical_ranges(text: str) -> dict[int, range]:
    """Physical line -> the lines of the logical line (statement) it belongs to."""
    mapping: dict[int, range] = {}
    start = None
    try:
        for tok in tokenize.generate_tokens(io.StringIO(text).readline):
            if start is None and tok.type not in (tokenize.NL, tokenize.COMMENT, tokenize.INDENT, tokenize.DEDENT):
                start = tok.start[0]
            if tok.type in (tokenize.NEWLINE, tokenize.ENDMARKER) and start is not None:
                lines = range(start, tok.end[0] + 1)
                for line in lines:
                    mapping[line] = lines
                start = None
    except (tokenize.TokenError, SyntaxError):
        pass
    return mapping


class NoqaMap:
    def __init__(self, text: str, lines: list[str]):
        self.lines = lines
        self._text = text
        self._ranges: dict[int, range] | None = None

    def _codes_on(self, line: int) -> list[str] | None:
        """None: no noqa; []: a bare noqa; else the codes listed."""
        if not 1 <= line <= len(self.lines):
            return None
        match = NOQA.search(self.lines[line - 1])
        if match is None:
            return None
        codes = match.group("codes")
        return [c.upper() for c in _CODE.findall(codes)] if codes else []

    def suppresses(self, line: int, code: str) -> bool:
        if self._ranges is None:
            self._ranges = _logical_ranges(self._text)
        for physical in self._ranges.get(line, range(line, line + 1)):
            codes = self._codes_on(physical)
            if codes is not None and (not codes or any(code.startswith(c) for c in codes)):
                return True
        return False


def without_suppressed(diagnostics: Iterable[Diagnostic], text: str) -> list[Diagnostic]:
    """The findings no `# noqa` comment silences. The text is split into lines only when there is a
    finding and a noqa comment to read them for (issue 6: splitting every checked file cost `tfv
    check` half a second on the corpus)."""
    diagnostics = list(diagnostics)
    if not diagnostics or "noqa" not in text.lower():
        return diagnostics
    noqa = NoqaMap(text, split_lines(text))
    return [d for d in diagnostics if not noqa.suppresses(d.line, d.code)]


def noqa_edit(text: str, lines: list[str], line: int, code: str) -> Edit:
    """The edit that silences `code` on the statement holding `line`: the code joins a `# noqa:`
    comment already on the statement, or a new `# noqa: CODE` ends the statement's last line
    (the one place a comment can go that is never inside a string or a continued line)."""
    statement = _logical_ranges(text).get(line, range(line, line + 1))
    for physical in statement:
        if not 1 <= physical <= len(lines):
            continue
        match = NOQA.search(lines[physical - 1])
        if match and match.group("codes"):
            last = list(_CODE.finditer(match.group("codes")))[-1]
            col = match.start("codes") + last.end()
            return Edit(Position(physical, col), Position(physical, col), f", {code}")
    last_line = min(statement[-1], len(lines))
    content = lines[last_line - 1].rstrip("\r\n") if lines else ""
    kept = content.rstrip(" \t\f")
    return Edit(Position(last_line, len(kept)), Position(last_line, len(content)), f"  # noqa: {code}")
