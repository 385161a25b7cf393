"""A module's class statements and the imports that bind their bases, read from its text alone.

A file that never names TensorFlow or Keras is not parsed (analyze.might_use_tensorflow), yet it
can define a Keras layer by subclassing one of its project's own layers (issue 10, fact 1). These
scans let the project tell such a file from the thousands of others that subclass plain classes
without parsing any of them: only a file whose bases may lead to a TensorFlow class is parsed and
asked the facts. They over-approximate (a comment or docstring that reads like a class or import
statement only adds candidates); `None` means the text could not be read and the caller assumes
the worst. Statements are found from the occurrences of their keyword (`str.find`), not by a
pattern tried at every line: on the corpus that was most of the scans' cost.
"""
from __future__ import annotations

import ast
import builtins
import re

from .imports import TF_PACKAGES, import_bindings, resolve_relative

# `class Mine(Base, other.Base):`, the bases also spread over lines (up to the first `)`), or
# `class Mine:`; matched at the start of a line that holds the keyword.
_CLASS = re.compile(r"[ \t]*class[ \t]+(\w+)[ \t]*(?:\(([^)]*)\)|:)")
# A dotted name in a base list that is not a keyword argument's name (`metaclass=`).
_DOTTED = re.compile(r"(?<![\w.])[A-Za-z_]\w*(?:[ \t]*\.[ \t]*[A-Za-z_]\w*)*(?![ \t]*\w)(?![ \t]*=)")
_SUBSCRIPT = re.compile(r"\[[^\[\]]*\]")
_COMMENT = re.compile(r"#[^\n]*")
# An import statement (`from x import (a,\n b)` and backslash continuations go on over lines).
_IMPORT = re.compile(
    r"[ \t]*(?:from[ \t]+[\w.]+[ \t]+import[ \t]*\([^)]*\)|(?:from[ \t]+[\w.]+[ \t]+)?import[ \t][^\n\\]*(?:\\[\s\S][^\n\\]*)*)"
)
_WORD = re.compile(r"\w+")
BUILTIN_NAMES = frozenset(dir(builtins))


def _statements(text: str, keyword: str, pattern: re.Pattern):
    """Matches of `pattern` at the starts of the lines where `keyword` occurs, or after the last
    `;` or `:` before it on its line (`x = 1; import a`, `if TYPE_CHECKING: import a`)."""
    pos = text.find(keyword)
    while pos != -1:
        start = text.rfind("\n", 0, pos) + 1
        match = pattern.match(text, start)
        if match is None or match.end() <= pos:
            after = max(text.rfind(";", start, pos), text.rfind(":", start, pos))
            match = pattern.match(text, after + 1) if after != -1 else None
        if match is not None and match.end() > pos:
            yield match
            pos = text.find(keyword, match.end())
        else:
            pos = text.find(keyword, pos + len(keyword))


def has_class_with_bases(text: str) -> bool:
    """Whether the text can hold a class statement with a base (the scan every skipped file pays)."""
    return any(m.group(2) and _DOTTED.search(m.group(2)) for m in _statements(text, "class", _CLASS))


def class_bases(text: str) -> dict[str, list[str]]:
    """Class name -> the dotted names its statements' base lists contain (`Generic[T]` -> Generic)."""
    found: dict[str, list[str]] = {}
    for match in _statements(text, "class", _CLASS):
        bases = _COMMENT.sub("", match.group(2) or "")
        while "[" in bases:
            stripped = _SUBSCRIPT.sub("", bases)
            if stripped == bases:
                break
            bases = stripped
        names = found.setdefault(match.group(1), [])
        names.extend(re.sub(r"\s", "", name) for name in _DOTTED.findall(bases))
    return found


def mentions(text: str, name: str) -> bool:
    """Whether `name` occurs in the text as a name of its own (not as `x.name`, nor inside a word)."""
    pos = text.find(name)
    while pos != -1:
        before = text[pos - 1] if pos else " "
        end = pos + len(name)
        after = text[end] if end < len(text) else " "
        if not (before.isalnum() or before in "_.") and not (after.isalnum() or after == "_"):
            return True
        pos = text.find(name, end)
    return False


def import_statements(text: str) -> list[str]:
    """The text of each import statement (over-approximate, as above)."""
    return [m.group(0) for m in _statements(text, "import", _IMPORT)]


class ImportStatements:
    """A text's import statements, found in one scan and parsed only when asked about a word
    they contain. `package` resolves relative imports."""

    def __init__(self, text: str, package: str | None):
        self.package = package
        self._statements = import_statements(text)
        self._words = [frozenset(_WORD.findall(s)) for s in self._statements]
        self._parsed: dict[int, list[ast.stmt] | None] = {}

    def _statement(self, index: int) -> list[ast.stmt] | None:
        """The import statement at `index`, parsed once; None when it does not parse."""
        if index not in self._parsed:
            try:
                self._parsed[index] = ast.parse(self._statements[index].strip()).body
            except (SyntaxError, ValueError):
                self._parsed[index] = None
        return self._parsed[index]

    def _nodes(self, word: str):
        """The parsed statements that contain `word`; None when one of them does not parse."""
        found = []
        for index, words in enumerate(self._words):
            if word not in words:
                continue
            nodes = self._statement(index)
            if nodes is None:
                return None
            found.extend(nodes)
        return found

    def targets(self, name: str) -> list[str] | None:
        """The qualified names the import statements bind `name` to (`from .base import Layer as
        name` -> "pkg.base.Layer"; `import a.b` binds `a` to "a"); None when a statement that
        mentions the name does not parse."""
        nodes = self._nodes(name)
        if nodes is None:
            return None
        found: list[str] = []
        for node in nodes:
            if isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.asname == name:
                        found.append(alias.name)
                    elif alias.asname is None and alias.name.split(".", 1)[0] == name:
                        found.append(name)
            elif isinstance(node, ast.ImportFrom):
                module = resolve_relative(node.module, node.level, self.package)
                if module is not None:
                    found.extend(f"{module}.{a.name}" for a in node.names if (a.asname or a.name) == name)
        return found

    def bindings(self) -> list[tuple[str, str]] | None:
        """(local name, qualified name) for every name the import statements bind, as
        imports.ImportMap reads them; None when a statement does not parse."""
        found: list[tuple[str, str]] = []
        for index in range(len(self._statements)):
            nodes = self._statement(index)
            if nodes is None:
                return None
            for node in nodes:
                if isinstance(node, (ast.Import, ast.ImportFrom)):  # `import a; x = 1` is one match
                    found.extend(import_bindings(node, self.package))
        return found

    def stars(self) -> list[str] | None:
        """The modules `from x import *` statements read; None when one does not parse."""
        found: list[str] = []
        for index, statement in enumerate(self._statements):
            if "*" not in statement:
                continue
            nodes = self._statement(index)
            if nodes is None:
                return None
            for node in nodes:
                if isinstance(node, ast.ImportFrom) and any(a.name == "*" for a in node.names):
                    module = resolve_relative(node.module, node.level, self.package)
                    if module is not None:
                        found.append(module)
        return found

    def import_tf(self) -> bool:
        """Whether a statement imports from TensorFlow or Keras: how a module's class gets a TF
        base (not `from x import numpy_keras as keras`, nor the word in a comment such as
        `# disable=g-direct-tensorflow-import`)."""
        for package in TF_PACKAGES:
            nodes = self._nodes(package)
            if nodes is None:
                return True
            for node in nodes:
                if isinstance(node, ast.Import):
                    modules = [alias.name for alias in node.names]
                else:
                    modules = [node.module] if isinstance(node, ast.ImportFrom) and node.module and not node.level else []
                if any(module.split(".", 1)[0] in TF_PACKAGES for module in modules):
                    return True
        return False
