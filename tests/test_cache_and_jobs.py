"""The result cache (hit when nothing changed; miss after a change of content, configuration or
version; a corrupt or unreadable cache is ignored without a word) and `-j/--jobs` (the same output,
in the same order, for every number of processes)."""
from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import flake8_tfv
from flake8_tfv import runner
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
def analysed(monkeypatch) -> list[str]:
    """The names of the files actually analysed (not answered from the cache), in-process (-j 1)."""
    names: list[str] = []
    real = runner.findings

    def counting(text, settings, filename="<unknown>"):
        names.append(Path(filename).name)
        return real(text, settings, filename)

    monkeypatch.setattr(runner, "findings", counting)
    return names


@pytest.fixture
def project(tmp_path: Path, monkeypatch) -> Path:
    monkeypatch.delenv("TFV_CACHE_DIR", raising=False)
    (tmp_path / "pyproject.toml").write_text("[tool.tfv]\n")
    for name in ("a", "b", "c"):
        (tmp_path / f"{name}.py").write_text(BAD)
    (tmp_path / "plain.py").write_text("print('no tensorflow here')\n")
    return tmp_path


def check(project: Path, *extra: str) -> tuple[int, str, str]:
    return run("check", "-j", "1", *extra, ".", cwd=project)


def test_hit_when_nothing_changed(project, analysed):
    first = check(project)
    assert sorted(analysed) == ["a.py", "b.py", "c.py", "plain.py"]
    cache = project / ".tfv_cache"
    assert (cache / ".gitignore").read_text().splitlines()[-1] == "*"
    analysed.clear()
    assert check(project) == first
    assert analysed == []
    assert first[0] == 1 and first[1].count("TFV101") == 3


def test_miss_after_a_change_of_content(project, analysed):
    check(project)
    analysed.clear()
    (project / "b.py").write_text(BAD.replace("w += 1.0", "w.assign_add(1.0)"))
    code, out, _ = check(project)
    assert analysed == ["b.py"]
    assert out.count("TFV102") == 2


def test_miss_after_a_change_of_configuration(project, analysed):
    check(project)
    analysed.clear()
    (project / "pyproject.toml").write_text('[tool.tfv]\nignore = ["TFV102"]\n')
    _, out, _ = check(project)
    assert sorted(analysed) == ["a.py", "b.py", "c.py", "plain.py"]
    assert "TFV102" not in out
    analysed.clear()
    check(project, "--select", "TFV101")  # options are configuration too
    assert len(analysed) == 4


def test_miss_after_a_change_of_version(project, analysed, monkeypatch):
    check(project)
    analysed.clear()
    monkeypatch.setattr(flake8_tfv, "__version__", "99.0.0")
    check(project)
    assert len(analysed) == 4


def test_parse_errors_are_cached_and_still_reported(project, analysed):
    (project / "broken.py").write_text("import tensorflow as tf\nv = (\n")
    first = check(project)
    analysed.clear()
    assert check(project) == first
    assert analysed == []
    assert first[0] == 2 and "broken.py:2:" in first[2] and "syntax error" in first[2]


def _cache_files(project: Path) -> list[Path]:
    return [p for p in (project / ".tfv_cache").iterdir() if p.suffix == ".json"]


def test_a_corrupt_cache_is_ignored(project, analysed):
    first = check(project)
    (cache_file,) = _cache_files(project)
    for garbage in ("{not json", json.dumps({"entries": {str(project / "a.py"): ["x", "y"]}}), json.dumps([1, 2]), "\x00\xff"):
        cache_file.write_text(garbage, encoding="latin-1")
        analysed.clear()
        assert check(project) == first
        assert analysed  # recomputed, silently


def test_entries_of_the_wrong_shape_are_recomputed(project, analysed):
    first = check(project)
    (cache_file,) = _cache_files(project)
    data = json.loads(cache_file.read_text())
    entry = data["entries"][str(project / "a.py")]
    entry[1] = [["TFV101", "msg", [4], [4, 11], None]]  # a position missing its column
    cache_file.write_text(json.dumps(data))
    analysed.clear()
    assert check(project) == first
    assert analysed == ["a.py"]


def test_an_unreadable_or_unwritable_cache_is_ignored(project, analysed):
    first = check(project)
    (cache_file,) = _cache_files(project)
    cache_file.unlink()
    cache_file.mkdir()  # cannot be read as a file (a permission bit would not stop root)
    assert check(project) == first
    # A cache folder that is a file: nothing can be written, nothing is said.
    other = project / "elsewhere"
    other.write_text("not a folder")
    assert check(project, "--cache-dir", str(other)) == first


def test_no_cache_reads_and_writes_nothing(project, analysed):
    check(project, "--no-cache")
    assert not (project / ".tfv_cache").exists()
    check(project)
    analysed.clear()
    check(project, "--no-cache")
    assert len(analysed) == 4


def test_cache_dir_option_and_environment(project, tmp_path_factory, monkeypatch):
    chosen = tmp_path_factory.mktemp("chosen")
    check(project, "--cache-dir", str(chosen))
    assert _cache_files_in(chosen) and not (project / ".tfv_cache").exists()
    from_env = tmp_path_factory.mktemp("from_env")
    monkeypatch.setenv("TFV_CACHE_DIR", str(from_env))
    check(project)
    assert _cache_files_in(from_env) and not (project / ".tfv_cache").exists()


def _cache_files_in(folder: Path) -> list[Path]:
    return list(folder.glob("*.json"))


def test_cache_lives_beside_the_pyproject_and_is_not_linted(project):
    sub = project / "src"
    sub.mkdir()
    (sub / "d.py").write_text(BAD)
    run("check", "-j", "1", "d.py", cwd=sub)
    assert (project / ".tfv_cache").is_dir() and not (sub / ".tfv_cache").exists()
    (project / ".tfv_cache" / "stray.py").write_text(BAD)
    assert "stray" not in check(project)[1]


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """Several folders of files, some with findings, one that does not parse, one undecodable."""
    for folder in ("pkg", "pkg/sub", "other"):
        (tmp_path / folder).mkdir(parents=True, exist_ok=True)
    for index in range(12):
        folder = ("pkg", "pkg/sub", "other")[index % 3]
        body = BAD if index % 2 else BAD.replace("v = v - 0.1", "v.assign_sub(0.1)")
        (tmp_path / folder / f"m{index:02}.py").write_text(body)
    (tmp_path / "pkg" / "broken.py").write_text("import tensorflow as tf\nv = (\n")
    (tmp_path / "other" / "latin.py").write_bytes(b"import tensorflow as tf\nx = '\xff'\n")
    return tmp_path


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "github"])
def test_the_output_is_the_same_for_every_number_of_jobs(tree, fmt):
    outputs = {jobs: run("check", "--no-cache", "-j", jobs, "--output-format", fmt, "other", "pkg", cwd=tree) for jobs in ("1", "2", "3")}
    assert outputs["1"] == outputs["2"] == outputs["3"]
    code, out, err = outputs["1"]
    assert code == 2 and "broken.py:2:" in err and "latin.py: error: cannot decode" in err
    if fmt == "text":
        lines = out.splitlines()
        assert len(lines) == 6 + 12  # six files with both findings, six with one
        keys = [(line.split(":")[0], int(line.split(":")[1]), int(line.split(":")[2])) for line in lines]
        assert keys == sorted(keys)  # by path, line, column


def test_jobs_option_values(tree):
    assert run("check", "-j", "auto", "--no-cache", "pkg", cwd=tree)[0] == 2
    with pytest.raises(SystemExit):
        run("check", "-j", "0", "pkg", cwd=tree)
    assert runner.default_jobs() >= 1



@pytest.mark.parametrize(
    "files, workers, expected",
    [
        # Each project a batch of its own, in its order, when it fits in a process's share.
        ([("a", 10)] * 3 + [("b", 10)] * 3, 2, [[0, 1, 2], [3, 4, 5]]),
        # A project larger than a share is cut into consecutive runs of its files.
        ([("a", 10)] * 4, 2, [[0, 1], [2, 3]]),
        # The largest batch first: the pool hands them out in this order to whichever process is free.
        ([("b", 10), ("a", 30), ("c", 10), ("d", 10)], 2, [[1], [0], [2], [3]]),
        # Files that read no project's facts go in runs of an eighth of a share; a file is never split.
        ([(None, 100), (None, 1), ("a", 1)], 3, [[0], [1], [2]]),
        ([(None, 1)] * 8 + [("a", 8)], 2, [[8], [0], [1], [2], [3], [4], [5], [6], [7]]),
        ([(None, 1)] * 16 + [("a", 16)], 2, [[16], [0, 1], [2, 3], [4, 5], [6, 7], [8, 9], [10, 11], [12, 13], [14, 15]]),
        # Fewer files than workers: one batch.
        ([("a", 5)], 4, [[0]]),
    ],
)
def test_pool_batches_keep_a_project_together_largest_first(files, workers, expected):
    batches = runner.worker_batches(files, workers)
    assert batches == expected
    assert sorted(i for batch in batches for i in batch) == list(range(len(files)))


@pytest.fixture
def cross_module(tmp_path: Path, monkeypatch) -> Path:
    """A project whose train.py updates a variable made in another module (cross-module facts)."""
    monkeypatch.delenv("TFV_CACHE_DIR", raising=False)
    (tmp_path / "pyproject.toml").write_text("")
    (tmp_path / "base.py").write_text("import tensorflow as tf\n\nstep = tf.Variable(0)\n")
    (tmp_path / "train.py").write_text("import tensorflow as tf\nfrom base import step\n\nstep += 1\n")
    return tmp_path


def test_miss_when_a_module_the_findings_came_from_changes(cross_module, analysed):
    assert "train.py:4:1: TFV102" in check(cross_module)[1]
    analysed.clear()
    assert "train.py:4:1: TFV102" in check(cross_module)[1]
    assert analysed == []  # nothing changed anywhere: all from the cache
    (cross_module / "base.py").write_text("import tensorflow as tf\n\nstep = 0\n")
    code, out, _ = check(cross_module)
    assert "train.py" in analysed and (code, out) == (0, "")
    # The same check when only the other module is named on the command line is beside the point:
    # train.py alone, unchanged itself, still sees the change.
    (cross_module / "base.py").write_text("import tensorflow as tf\n\nstep = tf.Variable(1)\n")
    analysed.clear()
    assert "TFV102" in run("check", "-j", "1", "train.py", cwd=cross_module)[1]
    assert analysed == ["train.py"]


def test_miss_when_a_module_that_was_missing_appears(cross_module):
    # Run as the user runs it: each `tfv check` a new process (astroid, which finds the project's
    # modules, remembers within a process which files it found missing).
    tfv = [str(Path(sys.executable).parent / "tfv"), "check", "-j", "1"]
    (cross_module / "train.py").write_text("import tensorflow as tf\nfrom state import step\n\nstep += 1\n")
    first = subprocess.run(tfv + ["."], cwd=cross_module, capture_output=True, text=True)
    assert (first.returncode, first.stdout) == (0, "")
    (cross_module / "state.py").write_text("import tensorflow as tf\n\nstep = tf.Variable(0)\n")
    second = subprocess.run(tfv + ["train.py"], cwd=cross_module, capture_output=True, text=True)
    assert "train.py:4:1: TFV102" in second.stdout


def test_miss_when_the_project_root_changes(tmp_path, analysed, monkeypatch):
    monkeypatch.delenv("TFV_CACHE_DIR", raising=False)
    project = tmp_path / "proj"
    project.mkdir()
    (project / "base.py").write_text("import tensorflow as tf\n\nstep = tf.Variable(0)\n")
    (project / "train.py").write_text("import tensorflow as tf\nfrom base import step\n\nstep += 1\n")
    cache = ("--cache-dir", str(tmp_path / "cache"))
    assert check(project, *cache)[:2] == (0, "")  # no project root: no facts from other modules
    (project / "setup.cfg").write_text("")
    analysed.clear()
    assert "train.py:4:1: TFV102" in check(project, *cache)[1]
    assert "train.py" in analysed


def test_without_cross_module_facts_other_files_do_not_matter(cross_module, analysed):
    check(cross_module, "--no-cross-module")
    (cross_module / "base.py").write_text("import tensorflow as tf\n\nstep = 0\n")
    analysed.clear()
    check(cross_module, "--no-cross-module")
    assert analysed == ["base.py"]


def _spy_on_analysis(monkeypatch) -> list[str]:
    analysed: list[str] = []
    real = runner.check_text

    def spy(name, text, settings, record=False):
        analysed.append(name)
        return real(name, text, settings, record)

    monkeypatch.setattr(runner, "check_text", spy)
    return analysed


def test_without_the_cache_a_file_the_scan_rules_out_is_only_decoded(tmp_path, monkeypatch):
    analysed = _spy_on_analysis(monkeypatch)
    plain = tmp_path / "plain.py"
    plain.write_text("import numpy as np\n\nx = np.zeros(3)\nx = x + 1\n")
    accented = tmp_path / "accented.py"  # its UTF-8 text is not the bytes the scan read
    accented.write_text("# café\nx = 1\n", encoding="utf-8")
    undecodable = tmp_path / "undecodable.py"
    undecodable.write_bytes(b"# -*- coding: no-such-codec -*-\nx = 1\n")
    items = [runner.Item(str(p), p.read_bytes()) for p in (plain, accented, undecodable)]
    outcomes = runner.check_items(items, runner.Settings(), jobs=1, cache=None)
    assert [o.diagnostics for o in outcomes] == [[], [], []]
    assert [o.failure is not None for o in outcomes] == [False, False, True]
    assert "no-such-codec" in outcomes[2].failure
    assert analysed == [str(accented)]  # the ASCII file's analysis would only repeat the scan


def test_a_file_the_scan_admits_is_analysed(tmp_path, monkeypatch):
    analysed = _spy_on_analysis(monkeypatch)
    bad = tmp_path / "bad.py"
    bad.write_text(BAD)
    outcomes = runner.check_items([runner.Item(str(bad), bad.read_bytes())], runner.Settings(), jobs=1, cache=None)
    assert analysed == [str(bad)]
    assert [d.code for d in outcomes[0].diagnostics] == ["TFV101", "TFV102"]
