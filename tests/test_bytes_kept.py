"""`tfv fix` changes the rewritten span and nothing else, byte for byte, whatever the file's
encoding, line endings, tabs, form feeds or final newline."""
from __future__ import annotations

import io
from pathlib import Path

import pytest

from flake8_tfv.cli import main

BEFORE_LINE = "v = v - 0.5"
AFTER_LINE = "v.assign_sub(0.5)"


def fix(path: Path) -> None:
    assert main(["fix", "--isolated", str(path)], out=io.StringIO(), err=io.StringIO()) == 0


def program(newline: str, indent: str = "    ", final_newline: bool = True) -> str:
    lines = [
        "# -*- coding: utf-8 -*-",
        "import tensorflow as tf",
        "\x0c",
        "v = tf.Variable(1.0)",
        "for _ in range(2):",
        f"{indent}{BEFORE_LINE}  # caf\u00e9",
        "x = 1\t# a tab before this comment",
    ]
    text = newline.join(lines)
    return text + newline if final_newline else text


@pytest.mark.parametrize(
    "newline, indent, final_newline",
    [
        ("\n", "    ", True),
        ("\r\n", "    ", True),
        ("\r", "    ", True),
        ("\n", "\t", True),
        ("\n", "    ", False),
        ("\r\n", "\t", False),
    ],
    ids=["lf", "crlf", "cr", "tab-indent", "no-final-newline", "crlf-tab-no-final-newline"],
)
def test_only_the_fixed_span_changes(tmp_path, newline, indent, final_newline):
    path = tmp_path / "m.py"
    original = program(newline, indent, final_newline).encode("utf-8")
    path.write_bytes(original)
    fix(path)
    assert path.read_bytes() == original.replace(BEFORE_LINE.encode(), AFTER_LINE.encode())


def test_mixed_line_endings_are_each_kept(tmp_path):
    path = tmp_path / "mixed.py"
    original = b"import tensorflow as tf\r\nv = tf.Variable(1.0)\nv = v - 0.5\r\nprint(v)\rx = 1\n"
    path.write_bytes(original)
    fix(path)
    assert path.read_bytes() == original.replace(b"v = v - 0.5", b"v.assign_sub(0.5)")


@pytest.mark.parametrize("encoding", ["latin-1", "cp1252"])
def test_coding_cookie_encodings(tmp_path, encoding):
    path = tmp_path / "legacy.py"
    text = f"# -*- coding: {encoding} -*-\nimport tensorflow as tf\n# d\u00e9j\u00e0 vu\nv = tf.Variable(1.0)\nv = v - 0.5\n"
    path.write_bytes(text.encode(encoding))
    fix(path)
    assert path.read_bytes() == text.replace("v = v - 0.5", "v.assign_sub(0.5)").encode(encoding)


def test_utf8_bom(tmp_path):
    path = tmp_path / "bom.py"
    original = "\ufeffimport tensorflow as tf\nv = tf.Variable(1.0)\nv = v - 0.5\n".encode("utf-8")
    path.write_bytes(original)
    fix(path)
    assert path.read_bytes() == original.replace(b"v = v - 0.5", b"v.assign_sub(0.5)")
