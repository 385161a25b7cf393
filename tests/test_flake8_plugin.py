"""The installed flake8 entry point, run as users run it."""
from __future__ import annotations

import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

SOURCE = textwrap.dedent(
    """\
    import tensorflow as tf

    v = tf.Variable(3.0)
    v = v - 0.1
    w = tf.Variable(1.0)
    w += 1.0  # noqa: TFV102
    """
)


def flake8(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    exe = shutil.which("flake8", path=str(Path(sys.executable).parent)) or shutil.which("flake8")
    return subprocess.run([exe, *args], cwd=cwd, capture_output=True, text=True)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "m.py").write_text(SOURCE)
    return tmp_path


def test_registered():
    proc = flake8("--version", cwd=Path.cwd())
    assert "flake8-tfv" in proc.stdout


def test_reports_with_flake8_columns_and_honours_noqa(project):
    proc = flake8("--isolated", "--select", "TFV", "m.py", cwd=project)
    assert proc.returncode == 1
    lines = proc.stdout.splitlines()
    assert len(lines) == 1 and lines[0].startswith("m.py:4:1: TFV101 ")


def test_extend_ignore_and_per_file_ignores(project):
    assert flake8("--isolated", "--select", "TFV", "--extend-ignore", "TFV101", "m.py", cwd=project).stdout == ""
    proc = flake8("--isolated", "--select", "TFV", "--per-file-ignores", "m.py:TFV1", "m.py", cwd=project)
    assert proc.stdout == ""


def test_variable_factories_option_from_config(project):
    (project / "gp.py").write_text("import gpflow\n\np = gpflow.Parameter(1.0)\np = p * 2\n")
    assert flake8("--select", "TFV", "gp.py", cwd=project).stdout == ""
    (project / "setup.cfg").write_text("[flake8]\ntfv-variable-factories = gpflow.Parameter, other.make\n")
    assert flake8("--select", "TFV", "gp.py", cwd=project).stdout.startswith("gp.py:4:1: TFV101")


def test_a_file_flake8_cannot_parse_is_left_to_flake8(project):
    (project / "broken.py").write_text("import tensorflow as tf\nv = (\n")
    proc = flake8("--isolated", "--select", "TFV,E999", "broken.py", cwd=project)
    assert "E999" in proc.stdout and "TFV" not in proc.stdout and "Traceback" not in proc.stderr
