"""`tfv check --output-format text|json|sarif|github`, `--statistics`, `--quiet`, `--exit-zero`:
each a rendering of the same Diagnostics, checked against what its consumer expects."""
from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import jsonschema
import pytest

from flake8_tfv.cli import main
from flake8_tfv.rules import all_rules

SCHEMA = json.loads((Path(__file__).parent / "data" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
BAD = textwrap.dedent(
    """\
    import tensorflow as tf

    v = tf.Variable(3.0)
    v = v - 0.1
    w = tf.Variable(1.0)
    w += 1.0
    x = tf.Variable(1.0)
    x = tf.constant(2.0)
    y = tf.Variable(1.0)
    y: tf.Tensor = y - 1.0
    """
)


def run(*argv: str, cwd: Path) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    old = os.getcwd()
    os.chdir(cwd)
    try:
        code = main(list(argv), out=out, err=err)
    finally:
        os.chdir(old)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "train.py").write_text(BAD)
    (tmp_path / "pkg" / "clean.py").write_text("import tensorflow as tf\n")
    return tmp_path


def test_json(project):
    code, out, err = run("check", "--output-format", "json", "pkg", cwd=project)
    assert code == 1 and err == ""
    found = json.loads(out)
    assert [(f["code"], f["location"]["row"]) for f in found] == [("TFV101", 4), ("TFV102", 6), ("TFV104", 8), ("TFV101", 10)]
    first = found[0]
    assert first == {
        "code": "TFV101",
        "name": "variable-rebound-to-tensor",
        "message": first["message"],
        "filename": os.path.join("pkg", "train.py"),
        "location": {"row": 4, "column": 1},
        "end_location": {"row": 4, "column": 12},
        "url": "https://github.com/flake8-tfv/flake8-tfv/blob/main/docs/rules/TFV101.md",
        "fix": {
            "applicability": "safe",
            "message": "Update in place with `v.assign_sub(...)`",
            "edits": [{"content": "v.assign_sub(0.1)", "location": {"row": 4, "column": 1}, "end_location": {"row": 4, "column": 12}}],
        },
    }
    assert found[2]["fix"]["applicability"] == "unsafe"
    assert found[3]["fix"] is None  # an annotated assignment has no fix


def test_json_fix_content_uses_the_files_newlines(project):
    source = "import tensorflow as tf\nv = tf.Variable(1.0)\nv = v - (1.0 +\n    2.0)\n".replace("\n", "\r\n")
    (project / "pkg" / "train.py").write_bytes(source.encode())
    _, out, _ = run("check", "--output-format", "json", "pkg", cwd=project)
    (finding,) = json.loads(out)
    (edit,) = finding["fix"]["edits"]
    # Applying the edit as a consumer would, by row and column, gives what `tfv fix` writes.
    lines = source.splitlines(keepends=True)
    start = sum(map(len, lines[: edit["location"]["row"] - 1])) + edit["location"]["column"] - 1
    end = sum(map(len, lines[: edit["end_location"]["row"] - 1])) + edit["end_location"]["column"] - 1
    fixed = source[:start] + edit["content"] + source[end:]
    run("fix", "pkg", cwd=project)
    assert (project / "pkg" / "train.py").read_bytes().decode() == fixed
    # The user's own multi-line segment keeps its CRLF once, not as CR CR LF.
    assert fixed == source.replace("v = v - (1.0 +", "v.assign_sub(1.0 +")
    assert "\r\r" not in fixed


def test_sarif_is_valid_and_complete(project):
    code, out, _ = run("check", "--output-format", "sarif", "pkg", cwd=project)
    assert code == 1
    log = json.loads(out)
    jsonschema.validate(log, SCHEMA, cls=jsonschema.Draft4Validator)
    (sarif_run,) = log["runs"]
    rules = sarif_run["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == [r.code for r in all_rules()]
    assert rules[0]["helpUri"].endswith("/docs/rules/TFV101.md") and rules[0]["shortDescription"]["text"]
    assert sarif_run["columnKind"] == "unicodeCodePoints"
    first = sarif_run["results"][0]
    assert first["ruleId"] == "TFV101" and first["level"] == "warning"
    assert rules[first["ruleIndex"]]["id"] == "TFV101"
    location = first["locations"][0]["physicalLocation"]
    assert location["artifactLocation"] == {"uri": "pkg/train.py", "uriBaseId": "%SRCROOT%"}
    # SARIF columns are 1-based and endColumn is the column after the region's last character.
    assert location["region"] == {"startLine": 4, "startColumn": 1, "endLine": 4, "endColumn": 12}
    (fix,) = first["fixes"]
    (change,) = fix["artifactChanges"]
    assert change["replacements"] == [
        {"deletedRegion": {"startLine": 4, "startColumn": 1, "endLine": 4, "endColumn": 12}, "insertedContent": {"text": "v.assign_sub(0.1)"}}
    ]
    assert "fixes" not in sarif_run["results"][3]
    assert sarif_run["invocations"][0]["executionSuccessful"] is True


def test_sarif_reports_unparsable_files_as_notifications(project):
    (project / "pkg" / "broken.py").write_text("import tensorflow as tf\nv = (\n")
    code, out, _ = run("check", "--output-format", "sarif", "--select", "TFV102", "pkg", cwd=project)
    assert code == 2
    log = json.loads(out)
    jsonschema.validate(log, SCHEMA, cls=jsonschema.Draft4Validator)
    invocation = log["runs"][0]["invocations"][0]
    assert invocation["executionSuccessful"] is False
    (note,) = invocation["toolExecutionNotifications"]
    assert "syntax error" in note["message"]["text"]
    assert [r["id"] for r in log["runs"][0]["tool"]["driver"]["rules"]] == ["TFV102"]


def test_sarif_of_a_clean_tree_and_of_absolute_paths(project):
    code, out, _ = run("check", "--output-format", "sarif", str(project / "pkg" / "clean.py"), cwd=project)
    assert code == 0
    log = json.loads(out)
    jsonschema.validate(log, SCHEMA, cls=jsonschema.Draft4Validator)
    assert log["runs"][0]["results"] == []
    _, out, _ = run("check", "--output-format", "sarif", str(project / "pkg"), cwd=project)
    uri = json.loads(out)["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert uri == (project / "pkg" / "train.py").as_uri()


def test_github_workflow_commands(project):
    code, out, _ = run("check", "--output-format", "github", "pkg", cwd=project)
    assert code == 1
    lines = out.splitlines()
    assert len(lines) == 4
    path = os.path.join("pkg", "train.py")
    assert lines[0].startswith(f"::warning file={path},line=4,col=1,endLine=4,endColumn=12,title=TFV101::`v = ...` rebinds")
    assert lines[0].endswith("%0ASee https://github.com/flake8-tfv/flake8-tfv/blob/main/docs/rules/TFV101.md")


def test_github_escapes_what_workflow_commands_reserve(tmp_path):
    odd = tmp_path / "a,b:c%d.py"
    odd.write_text(BAD)
    _, out, _ = run("check", "--output-format", "github", odd.name, cwd=tmp_path)
    assert out.startswith("::warning file=a%2Cb%3Ac%25d.py,line=4,")
    assert all("\n" not in line[:-1] for line in out.splitlines(keepends=True))


def test_statistics_quiet_and_exit_zero(project):
    code, out, _ = run("check", "--statistics", "pkg", cwd=project)
    assert code == 1
    assert out.splitlines()[-3:] == [
        "2      TFV101 [*] variable-rebound-to-tensor",
        "1      TFV102 [*] augmented-assignment-on-variable",
        "1      TFV104 [*] variable-overwritten-by-value",
    ]
    # Beside a json document the table goes to stderr, so standard output stays valid json.
    code, out, err = run("check", "--statistics", "--output-format", "json", "pkg", cwd=project)
    assert len(json.loads(out)) == 4 and "2      TFV101" in err
    assert run("check", "--quiet", "pkg", cwd=project)[:2] == (1, "")
    assert run("check", "--quiet", "--exit-zero", "--output-format", "sarif", "pkg", cwd=project)[:2] == (0, "")
    assert run("check", "--exit-zero", "--output-format", "github", "pkg", cwd=project)[0] == 0


def test_formats_from_the_installed_command(project):
    tfv = Path(sys.executable).parent / "tfv"
    proc = subprocess.run([str(tfv), "check", "--output-format", "sarif", "pkg"], cwd=project, capture_output=True, text=True)
    assert proc.returncode == 1, proc.stderr
    jsonschema.validate(json.loads(proc.stdout), SCHEMA, cls=jsonschema.Draft4Validator)
    proc = subprocess.run([str(tfv), "check", "--output-format", "xml", "pkg"], cwd=project, capture_output=True, text=True)
    assert proc.returncode == 2 and "invalid choice: 'xml'" in proc.stderr
