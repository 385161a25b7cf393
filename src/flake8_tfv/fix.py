"""Applying fixes: edits on the text, checked to parse and to keep every comment, repeated to a fixpoint.

Each edit replaces a span with text built from the user's own source segments (see codegen), so
everything outside the span is untouched byte for byte: comments, blank lines, parentheses,
line endings. A fix whose result does not parse, or that would drop a comment, is not applied.
"""
from __future__ import annotations

import io
import tokenize
from dataclasses import dataclass, field

from .analyze import Settings, SourceError, analyze, parse, selected
from .diagnostic import Diagnostic, Edit, Fix
from .noqa import without_suppressed
from .text import SourceText, in_newline_style

MAX_ITERATIONS = 100  # as Ruff: fixes that keep producing new fixes are stopped and reported


@dataclass
class FixResult:
    text: str
    applied: int = 0
    remaining: list[Diagnostic] = field(default_factory=list)  # findings left after fixing
    rejected: list[Diagnostic] = field(default_factory=list)  # fixes that would break the file
    converged: bool = True


def _comments(text: str) -> list[str]:
    if "#" not in text:
        return []
    try:
        return [t.string for t in tokenize.generate_tokens(io.StringIO(text).readline) if t.type == tokenize.COMMENT]
    except (tokenize.TokenError, SyntaxError, IndentationError):
        # A span that does not tokenize on its own: count every '#' as a possible comment.
        return ["#"] if "#" in text else []


def _keeps_comments(source: SourceText, fix: Fix) -> bool:
    for edit in fix.edits:
        original = source.text[source.offset(edit.start) : source.offset(edit.end)]
        if any(comment not in edit.content for comment in _comments(original)):
            return False
    return True


def apply_edits(source: SourceText, edits: list[Edit]) -> str:
    newline = source.newline()
    text = source.text
    for edit in sorted(edits, key=lambda e: (e.start, e.end), reverse=True):
        content = in_newline_style(edit.content, newline)
        text = text[: source.offset(edit.start)] + content + text[source.offset(edit.end) :]
    return text


def _overlaps(a: Edit, b: Edit) -> bool:
    return (a.start < b.end and b.start < a.end) or a.start == b.start


def _parses(text: str) -> bool:
    try:
        parse(text)
    except SourceError:
        return False
    return True


def applies_cleanly(source: SourceText, fix: Fix) -> bool:
    """Whether one fix on its own passes the checks `fix_text` makes: comments kept, output parses
    (what an editor's quick fix must promise before it is offered)."""
    return _keeps_comments(source, fix) and _parses(apply_edits(source, list(fix.edits)))


def fixable(diagnostics: list[Diagnostic], unsafe: bool) -> list[Diagnostic]:
    return [d for d in diagnostics if d.fix is not None and (d.fix.is_safe or unsafe)]


def findings(text: str, settings: Settings, filename: str = "<unknown>") -> list[Diagnostic]:
    """What `tfv check` reports for a text: selected, and not silenced by `# noqa`."""
    return without_suppressed(selected(analyze(text, settings=settings, filename=filename), settings), text)


def fix_text(text: str, settings: Settings, unsafe: bool = False, filename: str = "<unknown>") -> FixResult:
    result = FixResult(text)
    refused: set[tuple[str, str, str]] = set()  # (code, message, span text) of fixes that failed
    for _ in range(MAX_ITERATIONS):
        source = SourceText(result.text)
        current = findings(result.text, settings, filename)
        candidates = []
        for diag in fixable(current, unsafe):
            key = (diag.code, diag.message, result.text[source.offset(diag.start) : source.offset(diag.end)])
            if key in refused:
                continue
            if not _keeps_comments(source, diag.fix):
                refused.add(key)
                result.rejected.append(diag)
                continue
            candidates.append((diag, key))
        if not candidates:
            result.remaining = current
            return result
        chosen: list[tuple[Diagnostic, tuple]] = []
        taken: list[Edit] = []
        for diag, key in candidates:
            if any(_overlaps(e, t) for e in diag.fix.edits for t in taken):
                continue  # applied on a later pass, against the re-analysed text
            chosen.append((diag, key))
            taken.extend(diag.fix.edits)
        new_text = apply_edits(source, taken)
        if not _parses(new_text):
            # Find the culprits one by one; keep the fixes that parse on their own.
            good = []
            for diag, key in chosen:
                if _parses(apply_edits(source, list(diag.fix.edits))):
                    good.append(diag)
                else:
                    refused.add(key)
                    result.rejected.append(diag)
            edits = [e for d in good for e in d.fix.edits]
            new_text = apply_edits(source, edits) if good else result.text
            if good and not _parses(new_text):
                # Fine alone, broken together: apply the first now, the rest on later passes.
                good = good[:1]
                new_text = apply_edits(source, list(good[0].fix.edits))
            chosen = [(d, None) for d in good]
        if new_text == result.text:
            result.remaining = current
            return result
        result.text = new_text
        result.applied += len(chosen)
    result.converged = False
    result.remaining = findings(result.text, settings, filename)
    return result
