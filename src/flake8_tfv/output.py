"""Renderings of Diagnostics: text (flake8's format), json, sarif and github.

Every format renders the same Diagnostic; only the column convention differs per consumer:
text, json and github print 1-based columns, SARIF too (with the end column pointing at the
character after the region, as SARIF 2.1.0 §3.30.7 defines it). Columns count characters
(Unicode code points), which SARIF is told with `columnKind`.
"""
from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import Iterable, Sequence, TextIO
from urllib.parse import quote

from . import __version__
from .analyze import INTERNAL_ERROR
from .diagnostic import Diagnostic, Edit, Fix, Position
from .rules import Rule, rule_by_code

FORMATS = ("text", "json", "sarif", "github")
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://github.com/flake8-tfv/flake8-tfv"
INTERNAL_ERROR_NAME = "internal-error"

Result = tuple[str, Diagnostic]


@dataclass(frozen=True)
class ToolError:
    """A file tfv could not check (unreadable, does not parse): reported beside the findings."""

    where: str
    message: str
    path: str | None = None


def text_line(path: str, diag: Diagnostic) -> str:
    return f"{path}:{diag.line}:{diag.col + 1}: {diag.code} {diag.message}"


def write_text(out: TextIO, results: Iterable[Result], show_fixes: bool = False) -> None:
    for path, diag in results:
        suffix = ""
        if show_fixes and diag.fix is not None:
            suffix = f" [*{'' if diag.fix.is_safe else ' unsafe'} fix]"
        out.write(text_line(path, diag) + suffix + "\n")


def write_statistics(out: TextIO, results: Iterable[Result]) -> None:
    diags = [diag for _, diag in results]
    counts = Counter(diag.code for diag in diags)
    fixable = Counter(diag.code for diag in diags if diag.fix is not None)
    for code, count in sorted(counts.items()):
        rule = rule_by_code(code)
        name = rule.name if rule is not None else INTERNAL_ERROR_NAME
        mark = "[*]" if fixable[code] else "   "
        out.write(f"{count:<6} {code} {mark} {name}\n")


def _url(code: str) -> str | None:
    rule = rule_by_code(code)
    return rule.url() if rule is not None else None


# ---- json --------------------------------------------------------------------------------------


def _location(pos: Position) -> dict:
    return {"row": pos.line, "column": pos.col + 1}


def _json_fix(fix: Fix | None) -> dict | None:
    if fix is None:
        return None
    return {
        "applicability": fix.applicability.value,
        "message": fix.message,
        "edits": [
            {"content": e.content, "location": _location(e.start), "end_location": _location(e.end)} for e in fix.edits
        ],
    }


def json_findings(results: Iterable[Result]) -> list[dict]:
    """Ruff's json layout: 1-based rows and columns, the end exclusive."""
    found = []
    for path, diag in results:
        rule = rule_by_code(diag.code)
        found.append(
            {
                "code": diag.code,
                "name": rule.name if rule is not None else INTERNAL_ERROR_NAME,
                "message": diag.message,
                "filename": path,
                "location": _location(diag.start),
                "end_location": _location(diag.end),
                "url": _url(diag.code),
                "fix": _json_fix(diag.fix),
            }
        )
    return found


def write_json(out: TextIO, results: Iterable[Result]) -> None:
    json.dump(json_findings(results), out, indent=2, ensure_ascii=False)
    out.write("\n")


# ---- sarif -------------------------------------------------------------------------------------


def _artifact(path: str) -> dict:
    """Relative paths stay relative to the checkout (%SRCROOT%), which is how code scanning
    places results; absolute ones become file: URIs."""
    pure = PurePath(path)
    if pure.is_absolute():
        return {"uri": Path(path).as_uri()}
    return {"uri": quote(pure.as_posix()), "uriBaseId": "%SRCROOT%"}


def _region(start: Position, end: Position) -> dict:
    return {"startLine": start.line, "startColumn": start.col + 1, "endLine": end.line, "endColumn": end.col + 1}


def _rule_descriptor(rule: type[Rule] | None, code: str) -> dict:
    if rule is None:
        return {
            "id": code,
            "name": INTERNAL_ERROR_NAME,
            "shortDescription": {"text": "tfv failed while analysing a file"},
            "defaultConfiguration": {"level": "error"},
        }
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary.strip()},
        "fullDescription": {"text": " ".join(rule.what.split())},
        "helpUri": rule.url(),
        "help": {"text": rule.docs(), "markdown": rule.docs()},
        "defaultConfiguration": {"level": "warning"},
        "properties": {"fixSafety": " ".join(rule.fix_safety.split())},
    }


def _sarif_fix(path: str, fix: Fix) -> dict:
    return {
        "description": {"text": f"{fix.message} ({fix.applicability.value} fix)"},
        "artifactChanges": [
            {
                "artifactLocation": _artifact(path),
                "replacements": [_replacement(e) for e in fix.edits],
            }
        ],
    }


def _replacement(edit: Edit) -> dict:
    replacement: dict = {"deletedRegion": _region(edit.start, edit.end)}
    if edit.content:
        replacement["insertedContent"] = {"text": edit.content}
    return replacement


def sarif_log(results: Sequence[Result], rules: Sequence[type[Rule]], errors: Sequence[ToolError] = ()) -> dict:
    codes = [r.code for r in rules]
    descriptors = [_rule_descriptor(r, r.code) for r in rules]
    if any(diag.code == INTERNAL_ERROR for _, diag in results) and INTERNAL_ERROR not in codes:
        codes.append(INTERNAL_ERROR)
        descriptors.append(_rule_descriptor(None, INTERNAL_ERROR))
    index = {code: i for i, code in enumerate(codes)}
    sarif_results = []
    for path, diag in results:
        result: dict = {
            "ruleId": diag.code,
            "level": "error" if diag.code == INTERNAL_ERROR else "warning",
            "message": {"text": diag.message},
            "locations": [
                {"physicalLocation": {"artifactLocation": _artifact(path), "region": _region(diag.start, diag.end)}}
            ],
        }
        if diag.code in index:
            result["ruleIndex"] = index[diag.code]
        if diag.fix is not None:
            result["fixes"] = [_sarif_fix(path, diag.fix)]
        sarif_results.append(result)
    notifications = []
    for error in errors:
        notification: dict = {"level": "error", "message": {"text": f"{error.where}: {error.message}"}}
        if error.path is not None:
            notification["locations"] = [{"physicalLocation": {"artifactLocation": _artifact(error.path)}}]
        notifications.append(notification)
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "tfv",
                        "fullName": "flake8-tfv",
                        "version": __version__,
                        "informationUri": INFORMATION_URI,
                        "rules": descriptors,
                    }
                },
                "invocations": [
                    {"executionSuccessful": not errors, "toolExecutionNotifications": notifications}
                ],
                "columnKind": "unicodeCodePoints",
                "results": sarif_results,
            }
        ],
    }


def write_sarif(out: TextIO, results: Sequence[Result], rules: Sequence[type[Rule]], errors: Sequence[ToolError] = ()) -> None:
    json.dump(sarif_log(results, rules, errors), out, indent=2, ensure_ascii=False)
    out.write("\n")


# ---- github ------------------------------------------------------------------------------------


def _escape_data(text: str) -> str:
    # As @actions/core escapes a workflow command's message.
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def github_line(path: str, diag: Diagnostic) -> str:
    properties = ",".join(
        f"{key}={_escape_property(str(value))}"
        for key, value in (
            ("file", path),
            ("line", diag.line),
            ("col", diag.col + 1),
            ("endLine", diag.end.line),
            ("endColumn", diag.end.col + 1),
            ("title", diag.code),
        )
    )
    url = _url(diag.code)
    message = diag.message + (f"\nSee {url}" if url else "")
    level = "error" if diag.code == INTERNAL_ERROR else "warning"
    return f"::{level} {properties}::{_escape_data(message)}"


def write_github(out: TextIO, results: Iterable[Result]) -> None:
    for path, diag in results:
        out.write(github_line(path, diag) + "\n")
