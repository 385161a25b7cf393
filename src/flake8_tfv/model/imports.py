"""Imports resolved to qualified names, so rules match `tf.Variable` by what it is, not how it is spelt."""
from __future__ import annotations

import ast
import re

from .walk import BLOCK_FIELDS, own_returns, own_statements, statements_breadth_first

# Top-level packages whose import makes a file worth analysing.
TF_PACKAGES = frozenset({"tensorflow", "keras", "tf_keras"})
# Every import of one of them names it as a whole word (not `tensorflow_probability`, `keras_hub`, `x.keras`).
# The character before is checked by hand: a pattern that starts with a lookbehind is tried at
# every position of the text, one that starts with a word is found with a fast scan (3x faster).
_PACKAGE_WORD = re.compile(r"(?:tensorflow|tf_keras|keras)(?!\w)")


def names_tf_package(text: str) -> bool:
    """Whether a text can import TensorFlow or Keras at all (a scan, no parse)."""
    if "tensorflow" not in text and "keras" not in text:
        return False
    for match in _PACKAGE_WORD.finditer(text):
        at = match.start()
        if at == 0 or not (text[at - 1].isalnum() or text[at - 1] in "_."):
            return True
    return False


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


def import_bindings(node: ast.AST, package: str | None) -> list[tuple[str, str]]:
    """(local name, qualified name) for each name an import statement binds: `import a.b` binds
    `a` to "a", `import a.b as c` binds `c` to "a.b", `from .m import x` binds `x` to
    "<package>.m.x" (nothing when the relative import cannot be resolved, nor for `*`)."""
    if isinstance(node, ast.Import):
        found = []
        for alias in node.names:
            top = alias.name.split(".", 1)[0]
            found.append((alias.asname, alias.name) if alias.asname else (top, top))
        return found
    module = resolve_relative(node.module, node.level, package)
    if module is None:
        return []
    return [(alias.asname or alias.name, f"{module}.{alias.name}") for alias in node.names if alias.name != "*"]


class ImportMap:
    """Local name -> qualified name for every import in a file.

    Imports are collected file-wide (also those inside functions): a name that is imported
    anywhere and rebound to something else elsewhere is rare in TensorFlow code, and a
    per-scope map would cost a scope walk for files that turn out not to use TensorFlow.
    """

    def __init__(self) -> None:
        self.aliases: dict[str, str] = {}
        self._nodes: list[ast.AST] = []  # the import statements, in the order they were read
        self._returned: dict[str, str] = {}  # module globals bound to an imported module (optional_imports)

    @classmethod
    def from_tree(cls, tree: ast.AST, package: str | None = None) -> "ImportMap":
        """`package` is the dotted package of the file (for `from . import x`); without it,
        relative imports stay unresolved."""
        imports = cls()
        imports._nodes = [n for n in statements_breadth_first(tree) if isinstance(n, (ast.Import, ast.ImportFrom))]
        if isinstance(tree, ast.Module) and any(n.col_offset for n in imports._nodes):
            imports._returned = optional_imports(tree)
        imports._read(package)
        return imports

    def _read(self, package: str | None) -> None:
        for node in self._nodes:
            self.aliases.update(import_bindings(node, package))
        for name, module in self._returned.items():
            self.aliases.setdefault(name, module)

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


def optional_imports(tree: ast.Module) -> dict[str, str]:
    """Module globals that stand for a TensorFlow/Keras module although no import binds them:
    `tf = try_import_tensorflow()`, where that function of this file imports the module and every
    `return` of it gives that module or None (when it is None, `tf.x` fails at run time anyway).
    Read from the statements alone, before the flow analysis, which needs the names resolved; a
    name bound any other way at module level, or declared `global` in a function, is left out.
    (Other modules read such names through their project facts.)"""
    functions = {n.name: n for n in tree.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))}
    if not functions:
        return {}
    statements = own_statements(tree)
    found: dict[str, str | None] = {}  # None: bound to different modules
    for stmt in statements:
        if not (isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name)):
            continue
        value = stmt.value
        if isinstance(value, ast.Call) and isinstance(value.func, ast.Name) and value.func.id in functions:
            module = None if value.args or value.keywords else _returned_module(functions[value.func.id])
            name = stmt.targets[0].id
            found[name] = module if found.get(name, module) == module else None
    found = {name: module for name, module in found.items() if module is not None}
    if not found:
        return {}
    for stmt in statements:
        if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name):
            value = stmt.value
            if isinstance(value, ast.Constant) and value.value is None:
                continue
            if isinstance(value, ast.Call) and isinstance(value.func, ast.Name) and value.func.id in functions:
                continue
        for name in bound_names(stmt):
            found.pop(name, None)
    for node in ast.walk(tree):
        if isinstance(node, (ast.Global, ast.Nonlocal)):
            for name in node.names:
                found.pop(name, None)
    return found


def bound_names(stmt: ast.AST) -> set[str]:
    """Names a module-level statement binds itself (not through the statements it holds)."""
    if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return {stmt.name}
    if isinstance(stmt, (ast.Import, ast.ImportFrom)):
        return {(a.asname or a.name).split(".", 1)[0] for a in stmt.names}
    names = {stmt.name} if isinstance(stmt, ast.ExceptHandler) and stmt.name else set()
    for field in stmt._fields:
        value = getattr(stmt, field, None)
        if field in BLOCK_FIELDS or value is None:
            continue
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, ast.AST):
                names.update(n.id for n in ast.walk(item) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store))
    return names


def _returned_module(func: ast.AST) -> str | None:
    """The TensorFlow/Keras module that `func` imports and returns on every path that returns
    something other than None."""
    imported: dict[str, str] = {}
    for stmt in statements_breadth_first(func):
        if isinstance(stmt, ast.Import):
            for alias in stmt.names:
                top = alias.name.split(".", 1)[0]
                imported[alias.asname or top] = alias.name if alias.asname else top
    # A name the function also assigns may hold something else when returned.
    assigned = {n.id for n in ast.walk(func) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)}
    module = None
    for node in own_returns(func):
        value = node.value
        if value is None or (isinstance(value, ast.Constant) and value.value is None):
            continue
        if not isinstance(value, ast.Name) or value.id not in imported or value.id in assigned:
            return None
        qualname = canonical(imported[value.id])
        if qualname.split(".", 1)[0] not in TF_PACKAGES or module not in (None, qualname):
            return None
        module = qualname
    return module
