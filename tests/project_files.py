"""Small multi-module projects written for a test, and a count of the semantic models built."""
from __future__ import annotations

from pathlib import Path

from flake8_tfv.model import project as project_module
from flake8_tfv.model import semantic


def write_project(root: Path, files: dict[str, str], member: str) -> project_module.Project:
    """Write `files` (relative path -> text) under `root`, marked as a project root, and return
    the fresh project of its file `member` (nothing learnt of earlier projects is kept)."""
    (root / "pyproject.toml").write_text("")
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    project_module.forget_files()
    return project_module.project_for(root / member)


def models_built(monkeypatch) -> list[str | None]:
    """The module names of the semantic models built from now on, in order, for the test's rest."""
    built: list[str | None] = []
    original = semantic.SemanticModel.__init__

    def counting(self, *args, **kwargs):
        original(self, *args, **kwargs)
        built.append(self.module_name)

    monkeypatch.setattr(semantic.SemanticModel, "__init__", counting)
    return built
