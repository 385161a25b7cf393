"""`tfv` as a user runs it: exit codes, selection, configuration, file discovery, noqa, fix."""
from __future__ import annotations

import io
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from flake8_tfv.cli import main

BAD = textwrap.dedent(
    """\
    import tensorflow as tf

    v = tf.Variable(3.0)
    v = v - 0.1
    w = tf.Variable(1.0)
    w += 1.0
    """
)
CLEAN = "import tensorflow as tf\n\nv = tf.Variable(3.0)\nv.assign_sub(0.1)\n"


def run(*argv: str, cwd: Path | None = None, stdin: str | None = None) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    old = os.getcwd()
    if cwd is not None:
        os.chdir(cwd)
    try:
        code = main(list(argv), out=out, err=err)
    finally:
        os.chdir(old)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "bad.py").write_text(BAD)
    (tmp_path / "clean.py").write_text(CLEAN)
    return tmp_path


def test_exit_codes(project):
    assert run("check", str(project / "clean.py"))[0] == 0
    code, out, _ = run("check", str(project))
    assert code == 1
    assert out.splitlines() == [
        f"{project / 'bad.py'}:4:1: TFV101 " + out.splitlines()[0].split(" TFV101 ", 1)[1],
        f"{project / 'bad.py'}:6:1: TFV102 " + out.splitlines()[1].split(" TFV102 ", 1)[1],
    ]
    assert run("check", "--exit-zero", str(project))[0] == 0


def test_missing_path_is_an_error_and_other_files_still_checked(project):
    code, out, err = run("check", str(project / "nope.py"), str(project / "bad.py"))
    assert code == 2
    assert "nope.py: error: no such file or directory" in err
    assert "TFV101" in out


def test_syntax_error_is_reported_once_without_traceback(project):
    (project / "broken.py").write_text("import tensorflow as tf\nv = (\n")
    code, out, err = run("check", str(project))
    assert code == 2
    assert err.count("broken.py") == 1 and "syntax error" in err and "Traceback" not in err
    assert "TFV101" in out


def test_undecodable_file(project):
    (project / "latin.py").write_bytes(b"import tensorflow as tf\nx = '\xff'\n")
    code, _, err = run("check", str(project))
    assert code == 2 and "latin.py: error: cannot decode" in err


def test_select_and_ignore(project):
    _, out, _ = run("check", "--select", "TFV102", str(project))
    assert "TFV102" in out and "TFV101" not in out
    _, out, _ = run("check", "--ignore", "TFV10", str(project))
    assert out == ""
    # The longer prefix wins, as in flake8.
    _, out, _ = run("check", "--ignore", "TFV1", "--select", "TFV101", str(project))
    assert "TFV101" in out and "TFV102" not in out


def test_pyproject_configuration(project):
    (project / "pyproject.toml").write_text('[tool.tfv]\nignore = ["TFV101"]\nexclude = ["skipped/"]\n')
    (project / "skipped").mkdir()
    (project / "skipped" / "also_bad.py").write_text(BAD)
    code, out, _ = run("check", ".", cwd=project)
    assert code == 1
    assert "TFV101" not in out and "TFV102" in out and "also_bad" not in out
    code, out, _ = run("check", "--isolated", ".", cwd=project)
    assert "TFV101" in out and "also_bad" in out


def test_bad_configuration_is_a_clear_error(project):
    (project / "pyproject.toml").write_text("[tool.tfv]\nselekt = ['TFV']\n")
    code, _, err = run("check", ".", cwd=project)
    assert code == 2 and "unknown [tool.tfv] setting(s): selekt" in err
    (project / "pyproject.toml").write_text("[tool.tfv\n")
    code, _, err = run("check", ".", cwd=project)
    assert code == 2 and "invalid TOML" in err


def test_configured_variable_factories(project):
    (project / "gp.py").write_text("import gpflow\n\np = gpflow.Parameter(1.0)\np = p * 2\n")
    assert "TFV101" not in run("check", str(project / "gp.py"))[1]
    (project / "pyproject.toml").write_text('[tool.tfv]\nextend-variable-factories = ["gpflow.Parameter"]\n')
    _, out, _ = run("check", "gp.py", cwd=project)
    assert "gp.py:4:1: TFV101" in out


def test_gitignore_and_default_excludes(project):
    (project / ".gitignore").write_text("generated/\n")
    for folder in ("generated", ".venv", "build"):
        (project / folder).mkdir()
        (project / folder / "x.py").write_text(BAD)
    _, out, _ = run("check", str(project))
    assert "generated" not in out and ".venv" not in out and "build" not in out
    # A file named on the command line is always checked.
    assert "TFV101" in run("check", str(project / "generated" / "x.py"))[1]


def test_noqa(project):
    (project / "bad.py").write_text(BAD.replace("v = v - 0.1", "v = v - 0.1  # noqa: TFV101").replace("w += 1.0", "w += 1.0  # noqa"))
    assert run("check", str(project / "bad.py"))[:2] == (0, "")
    (project / "other.py").write_text(BAD.replace("v = v - 0.1", "v = v - 0.1  # noqa: TFV102"))
    assert "TFV101" in run("check", str(project / "other.py"))[1]


def test_noqa_on_any_line_of_a_multiline_statement(project):
    (project / "m.py").write_text("import tensorflow as tf\nv = tf.Variable(1.0)\nv = v - (\n    0.1  # noqa: TFV101\n)\n")
    assert run("check", str(project / "m.py"))[0] == 0


def test_fix_writes_safe_fixes_and_reports(project):
    code, out, err = run("fix", str(project))
    assert code == 0
    assert "Fixed 2 findings in 1 file; 0 remaining" in err
    assert (project / "bad.py").read_text() == BAD.replace("v = v - 0.1", "v.assign_sub(0.1)").replace("w += 1.0", "w.assign_add(1.0)")
    assert (project / "clean.py").read_text() == CLEAN
    assert run("fix", str(project))[2].startswith("Fixed 0 findings")


def test_fix_leaves_noqa_lines_alone(project):
    (project / "bad.py").write_text(BAD.replace("w += 1.0", "w += 1.0  # noqa: TFV102"))
    run("fix", str(project / "bad.py"))
    assert "w += 1.0  # noqa: TFV102" in (project / "bad.py").read_text()


def test_unsafe_fixes_only_on_request(project):
    source = "import tensorflow as tf\n\nv = tf.Variable(1.0)\nv = tf.constant(2.0)\nprint(v.numpy())\n"
    (project / "u.py").write_text(source)
    code, _, err = run("fix", str(project / "u.py"))
    assert code == 1 and "1 remaining (`--unsafe-fixes` may repair more)" in err
    assert (project / "u.py").read_text() == source
    assert run("fix", "--unsafe-fixes", str(project / "u.py"))[0] == 0
    assert "v.assign(tf.constant(2.0))" in (project / "u.py").read_text()


def test_diff_writes_nothing(project):
    code, out, err = run("fix", "--diff", str(project))
    assert code == 1
    assert "-v = v - 0.1\n+v.assign_sub(0.1)\n" in out
    assert (project / "bad.py").read_text() == BAD
    assert "Would fix 2 findings" in err


def test_fix_keeps_crlf_bom_and_mode(project):
    path = project / "crlf.py"
    path.write_bytes(b"\xef\xbb\xbf" + BAD.replace("\n", "\r\n").encode())
    path.chmod(0o750)
    run("fix", str(path))
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    assert b"v.assign_sub(0.1)\r\n" in data and b"\n" not in data.replace(b"\r\n", b"")
    assert path.stat().st_mode & 0o777 == 0o750


def test_fix_keeps_a_latin1_file_in_latin1(project):
    path = project / "latin.py"
    path.write_bytes(b"# -*- coding: latin-1 -*-\nimport tensorflow as tf\n# caf\xe9\nv = tf.Variable(1.0)\nv = v - 0.5\n")
    run("fix", str(path))
    assert path.read_bytes() == b"# -*- coding: latin-1 -*-\nimport tensorflow as tf\n# caf\xe9\nv = tf.Variable(1.0)\nv.assign_sub(0.5)\n"


def test_columns_count_characters(project):
    path = project / "wide.py"
    path.write_text("import tensorflow as tf\nv = tf.Variable(1.0); é = 1; v = v - 1\n", encoding="utf-8")
    _, out, _ = run("check", str(path))
    assert f"{path}:2:30: TFV101" in out  # 31 if bytes were counted


def test_stdin(project, monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(BAD.encode())))
    code, out, _ = run("check", "-", "--stdin-filename", "from_editor.py")
    assert code == 1 and out.startswith("from_editor.py:4:1: TFV101")
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(BAD.encode())))
    code, out, _ = run("fix", "-")
    assert "v.assign_sub(0.1)" in out and "w.assign_add(1.0)" in out


def test_rules_and_explain():
    code, out, _ = run("rules")
    assert code == 0 and out.splitlines()[0].startswith("TFV101  variable-rebound-to-tensor")
    code, _, err = run("explain", "TFV999")
    assert code == 2 and "unknown rule code" in err


def test_usage_error_exits_2():
    proc = subprocess.run([sys.executable, "-m", "flake8_tfv.cli", "check", "--no-such-flag"], capture_output=True, text=True)
    assert proc.returncode == 2 and "usage:" in proc.stderr and "Traceback" not in proc.stderr


def test_cross_module_facts_can_be_turned_off(tmp_path):
    (tmp_path / "pyproject.toml").write_text("")
    (tmp_path / "base.py").write_text("import tensorflow as tf\n\nstep = tf.Variable(0)\n")
    (tmp_path / "train.py").write_text("import tensorflow as tf\nfrom base import step\n\nstep += 1\n")
    assert "train.py:4:1: TFV102" in run("check", "train.py", cwd=tmp_path)[1]
    assert run("check", "--no-cross-module", "train.py", cwd=tmp_path)[1] == ""
    (tmp_path / "pyproject.toml").write_text("[tool.tfv]\ncross-module = false\n")
    assert run("check", "train.py", cwd=tmp_path)[1] == ""
    (tmp_path / "pyproject.toml").write_text("[tool.tfv]\ncross-module = 'no'\n")
    assert "must be true or false" in run("check", "train.py", cwd=tmp_path)[2]


def test_traced_callers_in_other_modules_are_followed_one_hop(tmp_path):
    (tmp_path / "pyproject.toml").write_text("")
    (tmp_path / "train.py").write_text("import tensorflow as tf\nimport ops\n\n@tf.function\ndef step(x):\n    ops.log(x)\n")
    (tmp_path / "ops.py").write_text("import tensorflow as tf\nimport deeper\n\ndef log(x):\n    print(x)\n    deeper.more(x)\n")
    (tmp_path / "deeper.py").write_text("import tensorflow as tf\n\ndef more(x):\n    print(x)\n")
    _, out, _ = run("check", ".", cwd=tmp_path)
    assert "ops.py:5:5: TFV304" in out and "traced via `train.step` -> `ops.log`" in out
    assert "deeper.py" not in out  # two module hops away: not followed
    assert run("check", "--no-cross-module", "ops.py", cwd=tmp_path)[1] == ""


def _console(*argv: str, cwd: Path, **kwargs) -> subprocess.Popen:
    """The `tfv` command as installed (cli.console), in a process of its own."""
    command = [sys.executable, "-c", "from flake8_tfv.cli import console; console()", *argv]
    return subprocess.Popen(command, cwd=cwd, stderr=subprocess.PIPE, text=True, **kwargs)


@pytest.mark.parametrize("text, code", [(BAD, 1), (CLEAN, 0)])
def test_the_command_exits_with_the_runs_code_and_all_its_output(tmp_path: Path, text: str, code: int):
    (tmp_path / "m.py").write_text(text)
    with open(tmp_path / "out.txt", "w") as out:
        proc = _console("check", "--no-cache", "m.py", cwd=tmp_path, stdout=out)
        _, err = proc.communicate()
    assert proc.returncode == code and err == ""
    assert (tmp_path / "out.txt").read_text() == run("check", "--no-cache", "m.py", cwd=tmp_path)[1]


def test_a_reader_that_stops_early_ends_the_run_quietly(tmp_path: Path):
    # Enough findings to fill a pipe's buffer, so that the output is written after the reader left.
    (tmp_path / "m.py").write_text("import tensorflow as tf\n\nv = tf.Variable(3.0)\n" + "v += 1.0\n" * 3000)
    proc = _console("check", "--no-cache", "m.py", cwd=tmp_path, stdout=subprocess.PIPE)
    proc.stdout.readline()
    proc.stdout.close()
    _, err = proc.communicate()
    assert proc.returncode == 1 and "Traceback" not in err and err == ""
