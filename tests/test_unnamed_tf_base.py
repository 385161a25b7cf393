"""Issue 10, fact 1 for modules that never name TensorFlow or Keras: a class whose base is a
project layer is analysed as a layer (fixtures/projects/unnamed_tf_base), with cross-module facts
only, and the modules that only subclass plain classes are still never parsed."""
from __future__ import annotations

import ast
import io
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from flake8_tfv import analyze as analyze_module
from flake8_tfv.analyze import Settings, analyze
from flake8_tfv.cli import main
from flake8_tfv.model import project as project_module
from flake8_tfv.model.bases_text import ImportStatements, class_bases, has_class_with_bases, mentions
from flake8_tfv.model.imports import ImportMap

PROJECT = Path(__file__).resolve().parent.parent / "fixtures" / "projects" / "unnamed_tf_base"
APP = PROJECT / "app"


def _findings(name: str, **settings) -> set[tuple[int, str]]:
    path = APP / f"{name}.py"
    return {(d.line, d.code) for d in analyze(path.read_text(encoding="utf-8"), settings=Settings(**settings), filename=str(path))}


def test_without_cross_module_facts_the_modules_are_not_analysed():
    assert _findings("blocks") and _findings("deep")
    assert _findings("blocks", cross_module=False) == set()
    assert _findings("deep", cross_module=False) == set()


@pytest.mark.parametrize(
    "command",
    [
        ["tfv", "check", "--isolated", "--no-cache", "--no-cross-module"],
        ["flake8", "--isolated", "--select", "TFV", "--tfv-no-cross-module"],
    ],
    ids=["tfv", "flake8"],
)
def test_without_cross_module_facts_no_surface_reports_them(command):
    tool = str(Path(sys.executable).parent / command[0])
    proc = subprocess.run([tool, *command[1:], "--exclude", "*.fixed.py", str(APP)], capture_output=True, text=True)
    assert (proc.returncode, proc.stdout, proc.stderr) == (0, "", "")


def test_text_scan_reads_bases_and_the_imports_that_bind_them():
    text = textwrap.dedent(
        """\
        from .layers import ProjectLayer as Base, Other
        import app.blocks
        import abc

        class A(Base, Generic[T], metaclass=abc.ABCMeta):
            pass

        class B(  # a comment: not bases
            app.blocks.Block,
        ):
            pass

        class C:
            pass

        class D():
            pass
        """
    )
    assert class_bases(text) == {"A": ["Base", "Generic", "abc.ABCMeta"], "B": ["app.blocks.Block"], "C": [], "D": []}
    imports = ImportStatements(text, "app")
    assert imports.targets("Base") == ["app.layers.ProjectLayer"]
    assert imports.targets("app") == ["app"]
    assert imports.targets("Generic") == []
    assert not imports.import_tf()
    assert ImportStatements("from x import a, \\\n    Base\n", None).targets("Base") == ["x.Base"]
    # An import-like line that does not parse: the worst is assumed.
    assert ImportStatements('"""\nimport Base into it\n"""\n', None).targets("Base") is None
    assert ImportStatements("from .a import *\nfrom b import c\n", "p").stars() == ["p.a"]
    assert ImportStatements("from x import numpy_keras as keras  # tensorflow\n", None).import_tf() is False
    assert ImportStatements("if True:\n    import tensorflow.compat.v2 as tf\n", None).import_tf()
    assert mentions("x = Base\n", "Base") and not mentions("x.Base\nBases = 1\n", "Base")
    assert has_class_with_bases(text)
    assert not has_class_with_bases("class C:\n    pass\nclass D():\n    pass\n")
    assert not has_class_with_bases("x = 1\n")



def test_statements_that_share_a_line_with_others_are_found():
    # After a `;` or a compound statement's `:` on the same line, as the parser reads them.
    text = "x = 1; from .layers import ProjectLayer\nif TYPE_CHECKING: import tensorflow as tf\ny = 2; class Mine(ProjectLayer): pass\n"
    imports = ImportStatements(text, "app")
    assert imports.targets("ProjectLayer") == ["app.layers.ProjectLayer"]
    assert imports.import_tf()
    assert class_bases(text) == {"Mine": ["ProjectLayer"]}
    assert has_class_with_bases("y = 2; class Mine(Base): pass\n")
    # A word that only starts with the keyword is no statement.
    assert ImportStatements('d = {"k": import_module("x")}\n', None).targets("import_module") == []


def test_only_a_base_that_can_lead_to_tensorflow_is_asked_the_facts():
    project_module.forget_files()
    project = project_module.project_for(APP / "not_layers.py")
    project.begin_file()
    for name in ["blocks", "deep"]:
        assert project.may_subclass_tf_class((APP / f"{name}.py").read_text(encoding="utf-8"), "app")
    # A base from a module that names TensorFlow may be a layer: only its facts say it is not.
    helper = "from .layers import Helper\n\nclass Mine(Helper):\n    pass\n"
    assert project.may_subclass_tf_class(helper, "app")
    tree = ast.parse(helper)
    assert not project.subclasses_tf_class(tree, ImportMap.from_tree(tree, "app"))
    # Plain project classes, missing modules and the standard library end the scan.
    plain = "import abc\nfrom .plain import Config\nfrom .missing import Ghost\n\nclass A(Config, Ghost, abc.ABC, object):\n    pass\n"
    assert not project.may_subclass_tf_class(plain, "app")


def test_a_module_that_subclasses_plain_classes_is_not_parsed(monkeypatch):
    def no_parse(*args, **kwargs):
        raise AssertionError("parsed")

    monkeypatch.setattr(analyze_module, "parse", no_parse)
    path = APP / "not_layers.py"
    for text in [
        "from .plain import Config\n\nclass A(Config):\n    def call(self, x):\n        return x\n",
        "import json\n\nclass A(json.JSONEncoder):\n    pass\n",
        "def f(x):\n    return x\n",
    ]:
        assert analyze(text, filename=str(path)) == []


def test_the_cached_answer_of_a_subclass_follows_its_base_module(tmp_path, monkeypatch):
    monkeypatch.delenv("TFV_CACHE_DIR", raising=False)
    (tmp_path / "pyproject.toml").write_text("")
    (tmp_path / "layers.py").write_text(
        "import tensorflow as tf\n\n\nclass ProjectLayer(tf.keras.layers.Layer):\n    pass\n"
    )
    (tmp_path / "config.py").write_text("class Config:\n    pass\n")
    (tmp_path / "mine.py").write_text(
        "import random\n\nfrom config import Config\n\n\nclass Mine(Config):\n"
        "    def call(self, x):\n        return x * random.random()\n"
    )

    def check() -> str:
        out, err = io.StringIO(), io.StringIO()
        old = os.getcwd()
        os.chdir(tmp_path)
        try:
            main(["check", "-j", "1", "."], out=out, err=err)
        finally:
            os.chdir(old)
        return out.getvalue()

    assert check() == ""
    (tmp_path / "config.py").write_text("from layers import ProjectLayer\n\n\nclass Config(ProjectLayer):\n    pass\n")
    assert "mine.py:8:20: TFV305" in check()
    (tmp_path / "config.py").write_text("class Config:\n    pass\n")
    assert check() == ""
