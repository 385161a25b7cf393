"""benchmarks/corpus.py unpacks only the .py files of a wheel or sdist, safely, and only once."""
from __future__ import annotations

import importlib.util
import io
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _load(name: str):
    spec = importlib.util.spec_from_file_location(f"bench_{name}", ROOT / "benchmarks" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def corpus(tmp_path, monkeypatch):
    module = _load("corpus")
    monkeypatch.setattr(module, "CORPUS", tmp_path / "corpus")
    monkeypatch.setattr(module, "DOWNLOADS", tmp_path / "corpus" / ".downloads")
    (tmp_path / "corpus" / ".downloads").mkdir(parents=True)
    return module


def _wheel(path: Path) -> None:
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("pkg/__init__.py", "import tensorflow as tf\n")
        zf.writestr("pkg/ops.py", "a = 1\nb = 2\n")
        zf.writestr("pkg/native.so", b"\x7fELF")
        zf.writestr("pkg-1.0.dist-info/METADATA", "Name: pkg\n")


def _sdist(path: Path) -> None:
    with tarfile.open(path, "w:gz") as tf:
        for name, data in [("pkg-1.0/pkg/core.py", b"x = 1\n"), ("pkg-1.0/setup.cfg", b"[metadata]\n"),
                           ("pkg-1.0/../../escape.py", b"evil = 1\n")]:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tf.addfile(info, io.BytesIO(data))


def test_a_wheel_gives_its_python_files_and_nothing_else(corpus):
    archive = corpus.DOWNLOADS / "my_pkg-1.0-py3-none-any.whl"
    _wheel(archive)
    assert corpus.find_archive("my-pkg", "1.0") == archive
    assert corpus.find_archive("my-pkg", "1.0.1") is None
    folder = corpus.unpack("my-pkg", archive)
    files = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())
    assert files == [corpus.DONE_MARKER, "pkg/__init__.py", "pkg/ops.py"]
    assert corpus.count(folder) == (2, 3)


def test_an_sdist_loses_its_top_folder_and_cannot_write_outside(corpus, tmp_path):
    archive = corpus.DOWNLOADS / "pkg-1.0.tar.gz"
    _sdist(archive)
    folder = corpus.unpack("pkg", archive)
    assert (folder / "pkg" / "core.py").read_text() == "x = 1\n"
    assert not list(tmp_path.rglob("escape.py"))


def test_unpacking_again_keeps_what_is_there(corpus):
    archive = corpus.DOWNLOADS / "my_pkg-1.0-py3-none-any.whl"
    _wheel(archive)
    folder = corpus.unpack("my-pkg", archive)
    (folder / "pkg" / "ops.py").write_text("changed\n")
    corpus.unpack("my-pkg", archive)
    assert (folder / "pkg" / "ops.py").read_text() == "changed\n"  # not unpacked a second time


def test_bench_reads_both_reports_the_same_way():
    bench = _load("bench")
    flake8_out = "./a/b.py:3:5: TFV101 msg\na/b.py:4:1: E501 line too long\na/c.py:9:1: F401 unused\n"
    tfv_out = "a/b.py:3:5: TFV101 msg\n"
    assert bench.codes(flake8_out) == {"TFV": 1, "E": 1, "F": 1}
    assert bench.tfv_findings(flake8_out) == bench.tfv_findings(tfv_out) == {("a/b.py", 3, "TFV101")}
