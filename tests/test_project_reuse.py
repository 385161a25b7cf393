"""A module whose model was built for another file's facts is not analysed a second time when its
own turn comes (project.Analysed): its findings must be exactly those of analysing it alone, in any
order of the files, and the reuse must really happen."""
from __future__ import annotations

from pathlib import Path

import pytest

from flake8_tfv.analyze import Settings, analyze
from flake8_tfv.model import project as project_module
from project_files import models_built

PROJECTS = Path(__file__).resolve().parent.parent / "fixtures" / "projects"
SETTINGS = Settings()


def _modules(project: Path) -> list[Path]:
    return sorted(p for p in project.rglob("*.py") if not p.name.endswith(".fixed.py"))


def _report(path: Path) -> list[tuple]:
    found = analyze(path.read_text(encoding="utf-8"), settings=SETTINGS, filename=str(path))
    return [(d.code, d.line, d.col, d.message) for d in found]


def _alone(path: Path) -> list[tuple]:
    project_module.forget_files()
    return _report(path)


@pytest.mark.parametrize("project", sorted(p for p in PROJECTS.iterdir() if (p / "pyproject.toml").is_file()), ids=lambda p: p.name)
@pytest.mark.parametrize("order", ["forward", "backward"])
def test_one_process_finds_what_each_file_alone_finds(project: Path, order: str):
    modules = _modules(project)
    alone = {path: _alone(path) for path in modules}
    project_module.forget_files()
    for path in modules if order == "forward" else reversed(modules):
        assert _report(path) == alone[path], path.relative_to(PROJECTS)


def test_a_module_read_for_facts_is_not_analysed_again(monkeypatch):
    # pkg/child.py's base class lives in pkg/base.py: its model is built for the class facts.
    project = PROJECTS / "keras_base"
    base, child = project / "pkg" / "base.py", project / "pkg" / "child.py"
    built = models_built(monkeypatch)
    expected = _alone(base)
    project_module.forget_files()
    _report(child)
    assert "pkg.base" in built
    built.clear()
    assert _report(base) == expected
    assert built == []


def test_findings_kept_for_other_settings_are_not_reused():
    project = PROJECTS / "keras_base"
    base, child = project / "pkg" / "base.py", project / "pkg" / "child.py"
    project_module.forget_files()
    _report(child)
    only_one = Settings(select=("TFV101",))
    found = analyze(base.read_text(encoding="utf-8"), settings=only_one, filename=str(base))
    assert all(d.code == "TFV101" for d in found)


def test_a_module_changed_since_is_analysed_again(tmp_path: Path):
    (tmp_path / "pyproject.toml").write_text("")
    pkg = tmp_path / "pkg"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "state.py").write_text("import tensorflow as tf\n\nstep = tf.Variable(0)\n")
    (pkg / "train.py").write_text("import tensorflow as tf\n\nfrom pkg.state import step\n\n\ndef bump():\n    global step\n    step = step + 1\n")
    project_module.forget_files()
    _report(pkg / "train.py")  # builds pkg.state's model for the facts of `step`
    edited = "import tensorflow as tf\n\nstep = tf.Variable(0)\nstep = step + 1\n"
    found = analyze(edited, settings=SETTINGS, filename=str(pkg / "state.py"))
    project_module.forget_files()
    assert [(d.code, d.line) for d in found] == [(d.code, d.line) for d in analyze(edited, settings=SETTINGS, filename=str(pkg / "state.py"))]
    assert any(d.code == "TFV101" for d in found)
