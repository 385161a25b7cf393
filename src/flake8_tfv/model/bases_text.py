"""A module's class statements and the imports that bind their bases, read from its text alone.

A file that never names TensorFlow or Keras is not parsed (analyze.might_use_tensorflow), yet it
can define a Keras layer by subclassing one of its project's own layers (issue 10, fact 1). These
scans let the project tell such a file from the thousands of others that subclass plain classes
without parsing any of them: only a file whose bases may lead to a TensorFlow class is parsed and
asked the facts. They over-approximate (a comment or docstring that reads like a class or import
statement only adds candidates); `None` means the text could not be read and the caller assumes
the worst.
"""
from __future__ import annotations

import ast
import builtins
import re

from .imports import resolve_relative

# `class Mine(Base, other.Base):`, the bases also spread over lines (up to the first `)`), or
# `class Mine:`.
_CLASS = re.compile(r"^[ \t]*class[ \t]+(\w+)[ \t]*(?:\(([^)]*)\)|:)", re.M)
# A dotted name in a base list that is not a keyword argument's name (`metaclass=`).
_DOTTED = re.compile(r"(?<![\w.])[A-Za-z_]\w*(?:[ \t]*\.[ \t]*[A-Za-z_]\w*)*(?![ \t]*\w)(?![ \t]*=)")
_SUBSCRIPT = re.compile(r"\[[^\[\]]*\]")
_COMMENT = re.compile(r"#[^\n]*")
# An import statement (`from x import (a,\n b)` and backslash continuations go on over lines).
_IMPORT = re.compile(
    r"^[ \t]*(?:from[ \t]+[\w.]+[ \t]+import[ \t]*\([^)]*\)|(?:from[ \t]+[\w.]+[ \t]+)?import[ \t][^\n\\]*(?:\\[\s\S][^\n\\]*)*)", re.M
)
_WORD = re.compile(r"\w+")
BUILTIN_NAMES = frozenset(dir(builtins))


def has_class_with_bases(text: str) -> bool:
    """Whether the text can hold a class statement with a base (the scan every skipped file pays)."""
    if "class" not in text:
        return False
    return any(m.group(2) and _DOTTED.search(m.group(2)) for m in _CLASS.finditer(text))


def class_bases(text: str) -> dict[str, list[str]]:
    """Class name -> the dotted names its statements' base lists contain (`Generic[T]` -> Generic)."""
    found: dict[str, list[str]] = {}
    for match in _CLASS.finditer(text):
        bases = _COMMENT.sub("", match.group(2) or "")
        while "[" in bases:
            stripped = _SUBSCRIPT.sub("", bases)
            if stripped == bases:
                break
            bases = stripped
        names = found.setdefault(match.group(1), [])
        names.extend(re.sub(r"\s", "", name) for name in _DOTTED.findall(bases))
    return found


def star_imports(text: str) -> bool:
    """Whether the text may hold `from x import *` (which binds names no scan can list)."""
    return any("*" in m.group(0) for m in _IMPORT.finditer(text))


def mentions(text: str, name: str) -> bool:
    return re.search(rf"(?<![\w.]){re.escape(name)}(?!\w)", text) is not None


def import_targets(text: str, name: str, package: str | None) -> list[str] | None:
    """The qualified names the text's import statements bind `name` to (`from .base import Layer
    as name` -> "pkg.base.Layer"; `import a.b` binds `a` to "a"); None when a statement that
    mentions the name does not parse (a backslash continuation, say)."""
    found: list[str] = []
    for match in _IMPORT.finditer(text):
        statement = match.group(0)
        if name not in _WORD.findall(statement):
            continue
        try:
            nodes = ast.parse(statement.strip()).body
        except (SyntaxError, ValueError):
            return None
        for node in nodes:
            if isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.asname == name:
                        found.append(alias.name)
                    elif alias.asname is None and alias.name.split(".", 1)[0] == name:
                        found.append(name)
            elif isinstance(node, ast.ImportFrom):
                module = resolve_relative(node.module, node.level, package)
                if module is None:
                    continue
                for alias in node.names:
                    if (alias.asname or alias.name) == name:
                        found.append(f"{module}.{alias.name}")
    return found
