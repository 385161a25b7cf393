"""What a file must contain for a rule to find anything in it.

Every rule reports on something a file makes or does: a variable, an `.assign` on a tensor, an
item assignment, traced code, an optimizer or a tape. Each rule names the features it needs
(`Rule.needs`); a file with none of them is not analysed for that rule, and a file with none for
any selected rule is not modelled at all. Most modules of a TensorFlow codebase hold none of them
(issue 6: on the benchmark corpus, two in five of the files that import TensorFlow).

The features are read off the syntax and over-approximate what the model derives, so dropping a
rule here never drops a finding: every way the model has of making a variable, a traced function,
an optimizer or a tape starts from a name in the source (the factory's or method's own name, also
when an import renames it), from a class that has a method Keras traces, or, with cross-module
facts, from a name another project module binds. The file is still parsed: a syntax error in it
is reported whatever the rules find.
"""
from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from . import api
from .traced import CALLBACK_METHODS, KERAS_TRACED_METHODS

if TYPE_CHECKING:
    from .imports import ImportMap
    from .index import SyntaxIndex
    from .project import Project

VARIABLES = "variables"  # a variable may be made, inherited or imported here
UPDATES = "updates"  # `.assign*()`, `.scatter_*()`, `tf.tensor_scatter_nd_*`, or their TF1 function forms
ITEM_ASSIGNMENTS = "item assignments"  # `x[i] = y`
TRACED = "traced code"  # a tf.function, a method Keras traces, a Dataset or `compile` callback
TRAINING = "training"  # an optimizer or a gradient tape

# The last part of each name that makes a variable: factories, layer methods, built-in layers' weights.
_VARIABLE_NAMES = (
    frozenset(name.rpartition(".")[2] for name in api.VARIABLE_FACTORIES)
    | api.VARIABLE_METHODS
    | api.LAYER_WEIGHT_ATTRIBUTES
)
# Every update method and function, and every tensor scatter op, has one of these in its name.
_UPDATE_PARTS = ("assign", "scatter")
# Every optimizer class is named `...Optimizer` or lives in an `optimizers` module.
_OPTIMIZER_PART = "ptimizer"
_TAPE = "GradientTape"
_TF_FUNCTION = "function"


def tree_features(
    index: "SyntaxIndex",
    wanted: frozenset[str],
    factory_names: frozenset[str] = frozenset(),
    project: "Project | None" = None,
    module_name: str | None = None,
    imports: "ImportMap | None" = None,
) -> frozenset[str]:
    """Which of `wanted` the file's syntax holds (with `project`: also through the facts other
    project modules may add, see `_from_project_variables` and `_traced_from_other_modules`)."""
    names = _names(index)
    found = set()
    if VARIABLES in wanted:
        variable_names = _VARIABLE_NAMES | factory_names
        if not names.isdisjoint(variable_names) or any(_is_update(n) for n in names):
            found.add(VARIABLES)
        elif project is not None and imports is not None and _from_project_variables(index, imports, project):
            found.add(VARIABLES)
    if UPDATES in wanted and any(_is_update(n) for n in names):
        found.add(UPDATES)
    if ITEM_ASSIGNMENTS in wanted and any(type(n.ctx) is ast.Store for n in index.nodes_of(ast.Subscript)):
        found.add(ITEM_ASSIGNMENTS)
    if TRACED in wanted:
        if _TF_FUNCTION in names or _has_traced_roots(index):
            found.add(TRACED)
        elif project is not None and module_name and _traced_from_other_modules(index, project, module_name):
            found.add(TRACED)
    if TRAINING in wanted and (_TAPE in names or any(_OPTIMIZER_PART in n for n in names)):
        found.add(TRAINING)
    return frozenset(found)


def _names(index: "SyntaxIndex") -> set[str]:
    """Every name the code spells: names, attributes, and each part of what imports name (read
    once per file: the admission and the model's search for traced code both ask)."""
    if index.names is not None:
        return index.names
    names = {n.id for n in index.nodes_of(ast.Name)}
    names.update(n.attr for n in index.nodes_of(ast.Attribute))
    for alias in index.nodes_of(ast.alias):
        names.update(alias.name.split("."))
    for node in index.nodes_of(ast.ImportFrom):
        if node.module:
            names.update(node.module.split("."))
    index.names = names
    return names


def _is_update(name: str) -> bool:
    return _UPDATE_PARTS[0] in name or _UPDATE_PARTS[1] in name


def has_traced_roots(index: "SyntaxIndex") -> bool:
    """Whether the file can hold a root of traced code (traced.find_traced): `tf.function` is
    spelt with the name `function` however it is imported (an attribute, or a part of an import,
    also one that renames it), so a file whose code never names it (the word in a docstring or
    a comment does not count) has no tf.function root; or one of the roots below."""
    return _TF_FUNCTION in _names(index) or _has_traced_roots(index)


def _has_traced_roots(index: "SyntaxIndex") -> bool:
    """A class with bases that defines a method Keras traces, or a call of a Dataset method or of
    `compile` (what traced.find_traced looks for besides tf.function)."""
    for node in index.nodes_of(ast.Call):
        func = node.func
        if type(func) is ast.Attribute and func.attr in CALLBACK_METHODS and (node.args or node.keywords):
            return True
    for node in index.nodes_of(ast.ClassDef):
        if node.bases and any(
            isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)) and item.name in KERAS_TRACED_METHODS for item in node.body
        ):
            return True
    return False


def _from_project_variables(index: "SyntaxIndex", imports: "ImportMap", project: "Project") -> bool:
    """Whether a name the model would resolve in another project module (names_worth_resolving:
    a rebound or updated name, a class base, the root of an attribute stored to) brings a
    variable here: a variable, a factory, or a class whose instances hold one (issue 10's facts).
    A name bound to a module is resolved through the attributes read of it (`state.step`,
    `base.Layer`), as the model resolves it; that is where its variables would come from."""
    from .project import names_worth_resolving

    worth = names_worth_resolving(index)
    asked = {imports.aliases[name] for name in worth if name in imports.aliases}
    for node in index.nodes_of(ast.Attribute):
        value = node.value
        if type(value) is ast.Name and value.id in worth and value.id in imports.aliases:
            asked.add(f"{imports.aliases[value.id]}.{node.attr}")
    for node in index.nodes_of(ast.ClassDef):
        asked.update(filter(None, map(imports.qualified_name, node.bases)))
    return any(project.may_hold_variables(qualname) for qualname in asked)


def _traced_from_other_modules(index: "SyntaxIndex", project: "Project", module_name: str) -> bool:
    """Whether traced code of another project module calls one of this module's functions
    (Project.traced_callers). While another module's facts are being read, callers are not
    followed (one module hop): then that the callers' texts name one of them must do."""
    tree_body = [n for n in index.nodes_of(ast.FunctionDef) if isinstance(index.parents.get(id(n)), ast.Module)]
    names = frozenset(n.name for n in tree_body)
    if not names:
        return False
    if project.reading_facts:
        return bool(project.possible_callers(module_name, names))
    return bool(project.traced_callers(module_name, names))  # asks possible_callers first
