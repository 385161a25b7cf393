"""Download the benchmark corpus: real TensorFlow code nobody on this project wrote.

    python benchmarks/corpus.py            # download what is missing, unpack, print counts
    python benchmarks/corpus.py --list     # print the pinned packages

Each pinned release is fetched with `pip download --no-deps` (a wheel or, failing that, an
sdist) into benchmarks/corpus/.downloads/, and only its `.py` files are unpacked into
benchmarks/corpus/<package>/. The folder is ignored by git: downloaded code is never committed.
Running it again downloads and unpacks nothing that is already there.
"""
from __future__ import annotations

import argparse
import io
import shutil
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path, PurePosixPath

HERE = Path(__file__).resolve().parent
CORPUS = HERE / "corpus"
DOWNLOADS = CORPUS / ".downloads"
DONE_MARKER = ".unpacked-from"

# The first seven are libraries built on TensorFlow; the last is TensorFlow's own Python code.
PACKAGES: tuple[tuple[str, str], ...] = (
    ("tf-models-official", "2.20.0"),
    ("tensorflow-probability", "0.25.0"),
    ("gpflow", "2.11.2"),
    ("tf-agents", "0.19.0"),
    ("keras-hub", "0.32.0"),
    ("dm-sonnet", "2.0.2"),
    ("tensorflow-addons", "0.23.0"),
    ("tensorflow-cpu", "2.21.0"),
)


def _normal(name: str) -> str:
    return name.lower().replace("-", "_").replace(".", "_")


def find_archive(package: str, version: str) -> Path | None:
    """The archive of this release already in the download folder, if any."""
    if not DOWNLOADS.is_dir():
        return None
    prefix = f"{_normal(package)}_{_normal(version)}_"
    for path in sorted(DOWNLOADS.iterdir()):
        if path.name.endswith((".whl", ".tar.gz", ".zip")) and _normal(path.name).startswith(prefix):
            return path
    return None


def download(package: str, version: str) -> Path:
    found = find_archive(package, version)
    if found is not None:
        return found
    DOWNLOADS.mkdir(parents=True, exist_ok=True)
    command = [sys.executable, "-m", "pip", "download", "--no-deps", "--quiet", "--dest", str(DOWNLOADS),
               f"{package}=={version}"]
    subprocess.run(command, check=True)
    found = find_archive(package, version)
    if found is None:
        raise SystemExit(f"pip download {package}=={version} left no archive in {DOWNLOADS}")
    return found


def _members(archive: Path):
    """(relative path, bytes) of every .py file in a wheel or sdist."""
    if archive.name.endswith((".whl", ".zip")):
        with zipfile.ZipFile(archive) as zf:
            for info in zf.infolist():
                if not info.is_dir() and info.filename.endswith(".py"):
                    yield info.filename, zf.read(info)
    else:
        with tarfile.open(archive) as tf:
            for member in tf:
                if member.isfile() and member.name.endswith(".py"):
                    handle = tf.extractfile(member)
                    if handle is not None:
                        yield member.name, handle.read()


def _safe_relative(name: str, strip_top: bool) -> PurePosixPath | None:
    parts = [p for p in PurePosixPath(name).parts if p not in ("", ".")]
    if strip_top:
        parts = parts[1:]  # an sdist's "name-version/" folder
    if not parts or any(p == ".." for p in parts) or PurePosixPath(name).is_absolute():
        return None
    return PurePosixPath(*parts)


def unpack(package: str, archive: Path) -> Path:
    target = CORPUS / package
    marker = target / DONE_MARKER
    if marker.is_file() and marker.read_text(encoding="utf-8").strip() == archive.name:
        return target
    if target.exists():
        shutil.rmtree(target)  # a partial or older unpack
    strip_top = not archive.name.endswith(".whl")
    for name, data in _members(archive):
        relative = _safe_relative(name, strip_top)
        if relative is None:
            continue
        path = target.joinpath(*relative.parts)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    target.mkdir(parents=True, exist_ok=True)
    marker.write_text(archive.name + "\n", encoding="utf-8")
    return target


ROOT_MARKERS = ("pyproject.toml", "setup.cfg", "setup.py", ".git")


def mark_root(folder: Path) -> None:
    """A package's own checkout has a root marker; an unpacked wheel does not. Without one, the
    folder that holds the corpus (this repository) would be taken for every package's project
    root, and cross-module facts (issue 10) would find none of the packages' own modules."""
    if not any((folder / m).exists() for m in ROOT_MARKERS):
        (folder / "pyproject.toml").write_text(
            "# Written by benchmarks/corpus.py: marks the root of this unpacked package, as its checkout would.\n",
            encoding="utf-8",
        )


def count(folder: Path) -> tuple[int, int]:
    files = lines = 0
    for path in folder.rglob("*.py"):
        files += 1
        lines += io.BytesIO(path.read_bytes()).getvalue().count(b"\n")
    return files, lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--list", action="store_true", help="print the pinned packages and exit")
    parser.add_argument("packages", nargs="*", help="only these packages (default: all)")
    args = parser.parse_args(argv)
    if args.list:
        for name, version in PACKAGES:
            print(f"{name}=={version}")
        return 0
    chosen = [p for p in PACKAGES if not args.packages or p[0] in args.packages]
    unknown = set(args.packages) - {p[0] for p in PACKAGES}
    if unknown:
        parser.error(f"not in the corpus: {', '.join(sorted(unknown))}")
    total_files = total_lines = 0
    print(f"{'package':<24} {'version':<8} {'archive':<56} {'files':>6} {'lines':>9}")
    for name, version in chosen:
        archive = download(name, version)
        folder = unpack(name, archive)
        mark_root(folder)
        files, lines = count(folder)
        total_files += files
        total_lines += lines
        print(f"{name:<24} {version:<8} {archive.name[:56]:<56} {files:>6} {lines:>9}")
    print(f"{'total':<24} {'':<8} {'':<56} {total_files:>6} {total_lines:>9}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
