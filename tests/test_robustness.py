"""Never crash, never damage a file: internal errors are contained per file and per rule, bad input
gets one clear line and exit 2, and what the linter checks is never run."""
from __future__ import annotations

import ast
import io
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from flake8_tfv.analyze import Settings, analyze
from flake8_tfv.cli import main
from flake8_tfv.fix import fix_text
from flake8_tfv.plugin import Plugin
from flake8_tfv.rules import all_rules
from flake8_tfv.rules.base import Rule

BAD = "import tensorflow as tf\n\nv = tf.Variable(3.0)\nv = v - 0.1\nw = tf.Variable(1.0)\nw += 1.0\n"


class Exploding(Rule):
    """Registered only for these tests: its module is not in the rules package."""

    code = "TFV999"
    name = "exploding"
    summary = what = why = example = use_instead = fix_safety = "test only"

    def check(self):
        for stmt in self.model.statements:
            if isinstance(stmt, ast.AugAssign):
                raise ValueError("boom")
        return iter(())


WITH_EXPLODING = Settings(rules=(*all_rules(), Exploding))


def run(*argv):
    out, err = io.StringIO(), io.StringIO()
    return main(list(argv), out=out, err=err), out.getvalue(), err.getvalue()


def test_a_failing_rule_becomes_one_finding_at_its_line_and_the_others_still_report():
    found = analyze(BAD, settings=WITH_EXPLODING)
    codes = [(d.line, d.code) for d in found]
    assert (4, "TFV101") in codes and (6, "TFV102") in codes
    internal = [d for d in found if d.code == "TFV000"]
    assert len(internal) == 1 and internal[0].line == 6
    assert "internal error in TFV999: ValueError: boom" in internal[0].message


def test_the_flake8_plugin_contains_it_too(monkeypatch):
    monkeypatch.setattr(Plugin, "settings", WITH_EXPLODING)
    lines = BAD.splitlines(keepends=True)
    results = list(Plugin(ast.parse(BAD), lines, "stdin").run())
    messages = [r[2] for r in results]
    assert any(m.startswith("TFV101 ") for m in messages)
    assert any(m.startswith("TFV000 internal error in TFV999") for m in messages)


def test_deep_nesting_is_an_error_line_not_a_traceback(tmp_path):
    deep = tmp_path / "deep.py"
    deep.write_text("import tensorflow as tf\nx = " + " + ".join(["1"] * 30000) + "\n")
    (tmp_path / "ok.py").write_text(BAD)
    code, out, err = run("check", str(tmp_path))
    assert code == 2
    assert "deep.py" in err and "nested too deeply" in err and "Traceback" not in err
    assert "ok.py:4:1: TFV101" in out


def test_null_byte_and_vanished_and_unreadable_files(tmp_path):
    (tmp_path / "nul.py").write_bytes(b"import tensorflow as tf\nx = 1\x00\n")
    code, _, err = run("check", str(tmp_path / "nul.py"), str(tmp_path / "gone.py"))
    assert code == 2
    assert "nul.py:1:1: error: cannot parse" in err or "nul.py" in err
    assert "gone.py: error: no such file or directory" in err
    if os.geteuid() != 0:  # root reads everything
        locked = tmp_path / "locked.py"
        locked.write_text(BAD)
        locked.chmod(0)
        assert "permission denied" in run("check", str(locked))[2]


def test_a_fix_that_would_not_parse_is_dropped(monkeypatch):
    from flake8_tfv.diagnostic import Applicability, Edit, Fix, Position
    from flake8_tfv.rules import rebinding

    original = rebinding.VariableRebound.check

    def broken(self):
        for diag in original(self):
            edit = Edit(diag.start, diag.end, "v.assign_sub(")
            yield type(diag)(diag.code, diag.message, diag.start, diag.end, Fix(Applicability.SAFE, "broken", (edit,)))

    monkeypatch.setattr(rebinding.VariableRebound, "check", broken)
    result = fix_text(BAD, Settings())
    assert result.text == BAD.replace("w += 1.0", "w.assign_add(1.0)")
    assert [d.code for d in result.rejected] == ["TFV101"]


def test_a_fix_that_would_drop_a_comment_is_not_applied():
    source = "import tensorflow as tf\nv = tf.Variable(1.0)\nv = (v -  # the step\n     0.1)\n"
    result = fix_text(source, Settings())
    assert result.text == source and [d.code for d in result.rejected] == ["TFV101"]


def test_linted_code_is_never_executed(tmp_path):
    marker = tmp_path / "executed"
    evil = tmp_path / "evil.py"
    evil.write_text(
        f"import tensorflow as tf\nopen({str(marker)!r}, 'w').write('ran')\nv = tf.Variable(1.0)\nv = v - 1\n"
    )
    run("check", str(evil))
    run("fix", "--unsafe-fixes", "--diff", str(evil))
    exe = shutil.which("flake8", path=str(Path(sys.executable).parent)) or "flake8"
    subprocess.run([exe, "--isolated", "--select", "TFV", str(evil)], capture_output=True)
    assert not marker.exists()


@pytest.mark.parametrize(
    "code",
    [
        "match command:\n    case [x, *rest]:\n        v = tf.Variable(1.0)\n        v = v - x  # 6\n    case {'k': k, **others}:\n        pass\n",
        "type Alias = list[int]\ndef f[T](x: T) -> T:\n    v = tf.Variable(1.0)\n    v = v - 1  # 6\n    return x\n",
        "v = tf.Variable(1.0)\nname = 'x'\nprint(f\"{f'{name!r:>{10}}'}\")\nv = v - 1  # 6\n",
        "try:\n    pass\nexcept* ValueError:\n    v = tf.Variable(1.0)\n    v = v - 1  # 6\n",
    ],
    ids=["match", "pep695", "pep701", "except-star"],
)
def test_newer_syntax(code):
    if sys.version_info < (3, 12) and ("type Alias" in code or "f'{name!r" in code):
        pytest.skip("needs Python 3.12")
    source = "import tensorflow as tf\n" + code
    lines = [d.line for d in analyze(source) if d.code == "TFV101"]
    assert lines == [source.splitlines().index(next(l for l in source.splitlines() if l.endswith("# 6"))) + 1]
    fixed = fix_text(source, Settings()).text
    ast.parse(fixed)
    assert "v.assign_sub(1)" in fixed or "v.assign_sub(x)" in fixed
