"""Imports resolved to qualified names, so rules match `tf.Variable` by what it is, not how it is spelt."""
from __future__ import annotations

import ast
import re

from .walk import statements_breadth_first

# Top-level packages whose import makes a file worth analysing.
TF_PACKAGES = frozenset({"tensorflow", "keras", "tf_keras"})
# Every import of one of them names it as a whole word (not `tensorflow_probability`, `keras_hub`, `x.keras`).
_PACKAGE_WORD = re.compile(r"(?<![\w.])(?:tensorflow|keras|tf_keras)(?!\w)")


def names_tf_package(text: str) -> bool:
    """Whether a text can import TensorFlow or Keras at all (a scan, no parse)."""
    return ("tensorflow" in text or "keras" in text) and _PACKAGE_WORD.search(text) is not None


# Spellings that name the same API; the left side is rewritten to the right before matching.
_CANONICAL_PREFIXES = (
    ("tensorflow.compat.v2.", "tensorflow."),
    ("tensorflow._api.v2.", "tensorflow."),
    ("tensorflow.python.keras.", "tf_keras."),
    ("keras._tf_keras.keras.", "tensorflow.keras."),
    ("keras.api.", "keras."),
    ("keras.src.", "keras."),
)


def canonical(qualname: str) -> str:
    for old, new in _CANONICAL_PREFIXES:
        if qualname.startswith(old):
            return new + qualname[len(old) :]
    return qualname


def resolve_relative(module: str | None, level: int, package: str | None) -> str | None:
    """`from ..a import b` in package `p.q` -> "p.a"; None when it cannot be resolved."""
    if not level:
        return module
    if package is None:
        return None
    parts = package.split(".")
    if level - 1 >= len(parts):
        return None  # beyond the top-level package: Python raises ImportError
    base = parts[: len(parts) - (level - 1)]
    if module:
        base.append(module)
    return ".".join(p for p in base if p) or None


class ImportMap:
    """Local name -> qualified name for every import in a file.

    Imports are collected file-wide (also those inside functions): a name that is imported
    anywhere and rebound to something else elsewhere is rare in TensorFlow code, and a
    per-scope map would cost a scope walk for files that turn out not to use TensorFlow.
    """

    def __init__(self) -> None:
        self.aliases: dict[str, str] = {}
        self._nodes: list[ast.AST] = []  # the import statements, in the order they were read

    @classmethod
    def from_tree(cls, tree: ast.AST, package: str | None = None) -> "ImportMap":
        """`package` is the dotted package of the file (for `from . import x`); without it,
        relative imports stay unresolved."""
        imports = cls()
        imports._nodes = [n for n in statements_breadth_first(tree) if isinstance(n, (ast.Import, ast.ImportFrom))]
        imports._read(package)
        return imports

    def with_package(self, package: str | None) -> "ImportMap":
        """The same imports with relative ones resolved in `package`, without walking the tree again."""
        imports = type(self)()
        imports._nodes = self._nodes
        imports._read(package)
        return imports

    def _read(self, package: str | None) -> None:
        for node in self._nodes:
            if isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.asname:
                        self.aliases[alias.asname] = alias.name
                    else:
                        top = alias.name.split(".", 1)[0]
                        self.aliases[top] = top
            else:
                module = resolve_relative(node.module, node.level, package)
                if module is None:
                    continue
                for alias in node.names:
                    if alias.name != "*":
                        self.aliases[alias.asname or alias.name] = f"{module}.{alias.name}"

    def uses_tensorflow(self, extra_roots: frozenset[str] = frozenset()) -> bool:
        roots = TF_PACKAGES | extra_roots
        return any(q.split(".", 1)[0] in roots for q in self.aliases.values())

    def qualified_name(self, node: ast.AST) -> str | None:
        """`tf.compat.v1.assign` -> `tensorflow.compat.v1.assign`, or None when not an import."""
        parts: list[str] = []
        while isinstance(node, ast.Attribute):
            parts.append(node.attr)
            node = node.value
        if not isinstance(node, ast.Name):
            return None
        base = self.aliases.get(node.id)
        if base is None:
            return None
        parts.append(base)
        return canonical(".".join(reversed(parts)))
