"""What another module asks of a project module is answered from its statements when they tell
(project.ModuleOutline), and from its semantic model otherwise. The two must never differ: every
answer the outline gives is checked here against the model's, for every binding form, and the
outline must really spare the model where it answers."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

from flake8_tfv.model import project as project_module
from project_files import models_built, write_project

PROJECTS = Path(__file__).resolve().parent.parent / "fixtures" / "projects"

# Every way a module can bind a name, or leave it unbound.
BINDINGS = '''\
import tensorflow as tf
import os.path
from pkg import base as base_module
from .base import Base, helper as renamed
from .missing import *

step = tf.Variable(0)
CONSTANT = 3
twice = 1
twice = 2
shadowed_class = 1


class Layer(Base):
    def build(self, shape):
        self.kernel = self.add_weight("kernel", shape)


class Plain:
    pass


class shadowed_class:
    pass


def make_variable(value):
    return tf.Variable(value)


def sometimes(value):
    if value:
        return tf.Variable(value)
    return


def no_return(value):
    print(value)


def ends_in_raise(value):
    if value:
        return tf.Variable(value)
    raise ValueError(value)


@tf.function
def traced(x):
    return x + 1


def in_tf_function():
    return not tf.executing_eagerly()


def declares_global():
    global later
    later = tf.Variable(1)


def imports_inside():
    from .base import inner
    return inner


if CONSTANT:
    class Nested:
        pass

    def nested_def():
        return tf.Variable(2)
else:
    def nested_def():
        return 0

try:
    import numpy as np
except ImportError as error:
    np = None

for looped in range(2):
    pass

with open(os.path.devnull) as handle:
    pass

total = (walrus := 4) + 1


@(decorated := tf.function)
def by_walrus(x):
    return x
'''

BASE = '''\
import tensorflow as tf


class Base(tf.keras.layers.Layer):
    def build(self, shape):
        self.bias = self.add_weight("bias", shape)


def helper():
    return tf.Variable(1)


def inner():
    return 1
'''


def _project(tmp_path: Path, files: dict[str, str]) -> project_module.Project:
    return write_project(tmp_path, files, "pkg/__init__.py")


def _portable(answer):
    """An answer without the tree nodes it points at (each project parses its own tree)."""
    if isinstance(answer, frozenset):
        return sorted(
            (v.kind.name, v.api or "", str(v.trainable), type(v.origin).__name__, getattr(v.origin, "lineno", 0))
            for v in answer
        )
    if isinstance(answer, project_module.ClassFacts):
        return (answer.name, answer.bases, {k: _portable(v) for k, v in answer.attributes.items()}, answer.traced_conditions)
    return answer


QUESTIONS = ("value_of", "class_facts", "traced_condition", "module_alias", "may_hold_variables")


def _answer(project: project_module.Project, question: str, qualname: str):
    project.begin_file()
    return _portable(getattr(project, question)(qualname))


def _names(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = {node.id for node in ast.walk(tree) if isinstance(node, ast.Name)}
    found |= {node.name for node in ast.walk(tree) if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))}
    found |= {(a.asname or a.name).split(".")[0] for node in ast.walk(tree) if isinstance(node, (ast.Import, ast.ImportFrom)) for a in node.names}
    return sorted(found | {"never_bound", "base"})


def _compare(make_project, module: str, names: list[str]) -> None:
    # Asked first of the model: facts() builds it, so every answer comes from it.
    with_model = make_project()
    with_model.begin_file()
    assert with_model.facts(module) is not None
    for name in names:
        for question in QUESTIONS:
            expected = _answer(with_model, question, f"{module}.{name}")
            # Each question of a fresh project, whose outline answers what it can.
            assert _answer(make_project(), question, f"{module}.{name}") == expected, (question, name)


def test_the_outline_answers_as_the_model_does(tmp_path: Path):
    files = {"pkg/__init__.py": "", "pkg/mod.py": BINDINGS, "pkg/base.py": BASE}
    _project(tmp_path, files)
    _compare(lambda: _project(tmp_path, files), "pkg.mod", _names(tmp_path / "pkg" / "mod.py"))


@pytest.mark.parametrize("root", sorted(p for p in PROJECTS.iterdir() if (p / "pyproject.toml").is_file()), ids=lambda p: p.name)
def test_the_outline_answers_as_the_model_does_in_the_fixture_projects(root: Path):
    def make_project():
        project_module.forget_files()
        any_file = next(p for p in sorted(root.rglob("*.py")))
        return project_module.project_for(any_file)

    project = make_project()
    for path in sorted(root.rglob("*.py")):
        if path.name.endswith(".fixed.py"):
            continue
        module = project.module_name(path.resolve())
        if module is not None:
            _compare(make_project, module, _names(path))


# Names the statements answer for (`renamed` is a re-export, followed to pkg.base's `helper`,
# which may be a factory: only pkg.base's model may be built), and names only the model can tell.
FROM_STATEMENTS = ["Layer", "Plain", "no_return", "sometimes", "declares_global", "base_module", "renamed", "never_bound"]
FROM_THE_MODEL = ["step", "make_variable", "ends_in_raise", "imports_inside", "twice", "later", "nested_def", "shadowed_class"]


@pytest.mark.parametrize(("name", "needs_model"), [(n, False) for n in FROM_STATEMENTS] + [(n, True) for n in FROM_THE_MODEL])
def test_the_model_is_built_only_for_what_the_statements_cannot_tell(tmp_path: Path, monkeypatch, name: str, needs_model: bool):
    project = _project(tmp_path, {"pkg/__init__.py": "", "pkg/mod.py": BINDINGS, "pkg/base.py": BASE})
    built = models_built(monkeypatch)
    project.begin_file()
    project.value_of(f"pkg.mod.{name}")
    assert ("pkg.mod" in built) is needs_model


def test_a_module_with_a_match_statement_is_asked_of_the_model(tmp_path: Path, monkeypatch):
    text = "import tensorflow as tf\n\nmatch 1:\n    case Plain:\n        pass\n\n\nclass Plain:\n    pass\n"
    project = _project(tmp_path, {"pkg/__init__.py": "", "pkg/mod.py": text})
    built = models_built(monkeypatch)
    project.begin_file()
    project.value_of("pkg.mod.Plain")  # bound twice: by the class, and by the capture
    assert built == ["pkg.mod"]
