"""A name imported from a project module where it stands for TensorFlow (`import tensorflow as tf`
there, or `tf = try_import_tensorflow()`) resolves to TensorFlow through cross-module facts, and
only through them (fixtures/projects/reexported_tf)."""
from __future__ import annotations

import ast
import textwrap
from pathlib import Path

from flake8_tfv.analyze import Settings, analyze
from flake8_tfv.model import project as project_module
from flake8_tfv.model.imports import ImportMap, optional_imports
from flake8_tfv.model.semantic import SemanticModel
from flake8_tfv.text import SourceText

APP = Path(__file__).resolve().parent.parent / "fixtures" / "projects" / "reexported_tf" / "app"


def _model(name: str) -> SemanticModel:
    project_module.forget_files()
    path = APP / f"{name}.py"
    project = project_module.project_for(path)
    text = path.read_text(encoding="utf-8")
    tree = ast.parse(text)
    module = project.module_name(path)
    imports = ImportMap.from_tree(tree, project.package_of(path))
    return SemanticModel(tree, SourceText(text), imports, project=project, module_name=module)


def _qualified_names(model: SemanticModel) -> dict[str, str | None]:
    return {ast.unparse(c.func): model.qualified_name(c.func) for c in model.calls() if isinstance(c.func, ast.Attribute)}


def test_guarded_import_and_plain_reexport_resolve_to_tensorflow():
    names = _qualified_names(_model("tokenize"))
    assert names["tf.py_function"] == "tensorflow.py_function"
    assert names["tf.executing_eagerly"] == "tensorflow.executing_eagerly"
    names = _qualified_names(_model("plain"))
    assert names["tf.py_function"] == "tensorflow.py_function"
    assert names["tensorflow.Variable"] == "tensorflow.Variable"  # two hops: app.reexport -> app.backend


def test_only_a_function_returning_one_module_or_none_makes_an_alias():
    model = _model("guarded")
    assert optional_imports(model.tree) == {"tf": "tensorflow"}  # not `backend`, not `reassigned`
    # The module itself reads `tf.x` as TensorFlow's too.
    assert model.imports.aliases["tf"] == "tensorflow"
    assert "backend" not in model.imports.aliases and "reassigned" not in model.imports.aliases
    tokenize = _model("tokenize")
    decorators = {
        node.name: tokenize.qualified_name(node.decorator_list[0])
        for node in tokenize.tree.body
        if isinstance(node, ast.FunctionDef)
    }
    assert decorators == {
        "lengths": "tensorflow.function",
        "not_known_to_be_traced": "app.guarded.backend.function",
        "neither": "app.guarded.reassigned.function",
    }


def test_without_cross_module_facts_each_file_is_read_alone():
    one_file = Settings(cross_module=False)
    for path in sorted(APP.glob("*.py")):
        text = path.read_text(encoding="utf-8")
        project_module.forget_files()
        alone = analyze(text, settings=one_file, filename=str(path))
        nameless = analyze(text, settings=Settings(), filename="<unknown>")
        assert [(d.code, d.line, d.col) for d in alone] == [(d.code, d.line, d.col) for d in nameless], path.name
    tokenize = (APP / "tokenize.py").read_text(encoding="utf-8")
    found = {(d.code, d.line) for d in analyze(tokenize, settings=one_file, filename=str(APP / "tokenize.py"))}
    assert ("TFV306", 22) not in found  # `@tf.function` is not known to be TensorFlow's here


def test_optional_imports_only_for_names_nothing_else_binds():
    tree = ast.parse(textwrap.dedent('''
        import numpy as np

        def try_tf():
            try:
                import tensorflow as _tf
            except ImportError:
                return None
            return _tf

        def try_keras():
            import keras
            return keras

        def shadowed():
            import tensorflow as _tf
            _tf = np
            return _tf

        tf = try_tf()
        if tf is None:
            tf = None
        keras_module = try_keras()
        twice = try_tf()
        twice = try_keras()
        looped = try_tf()
        for looped in range(2):
            pass
        declared = try_tf()
        renamed = shadowed()

        def rebind():
            global declared
            declared = np
    '''))
    assert optional_imports(tree) == {"tf": "tensorflow", "keras_module": "keras"}
