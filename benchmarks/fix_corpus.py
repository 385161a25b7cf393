"""`tfv fix --unsafe-fixes` over the whole benchmark corpus, without writing a byte: every file that
gets a fix must still parse, a second fix must change nothing, and nothing may raise or report an
internal error (issue 9). Prints the figures; exits 1 when any check fails.

    python benchmarks/corpus.py        # once
    python benchmarks/fix_corpus.py    # [--packages gpflow dm-sonnet]
"""
from __future__ import annotations

import argparse
import ast
import sys
import time
from pathlib import Path

from flake8_tfv.analyze import INTERNAL_ERROR, Settings, SourceError
from flake8_tfv.fix import fix_text, findings
from flake8_tfv.sources import ReadError, iter_python_files, read_source

CORPUS = Path(__file__).resolve().parent / "corpus"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--packages", nargs="*", help="corpus folders to use (default: all)")
    args = parser.parse_args()
    folders = [CORPUS / p for p in args.packages] if args.packages else sorted(
        p for p in CORPUS.iterdir() if p.is_dir() and not p.name.startswith(".")
    )
    if not folders or not all(f.is_dir() for f in folders):
        print("no corpus: run `python benchmarks/corpus.py` first", file=sys.stderr)
        return 2
    settings = Settings()
    files = fixed_files = applied = unparsable = unstable = internal = unreadable = 0
    problems: list[str] = []
    start = time.perf_counter()
    for path in iter_python_files([str(f) for f in folders]):
        files += 1
        try:
            source = read_source(path)
            result = fix_text(source.text, settings, unsafe=True, filename=str(path))
        except (ReadError, SourceError):
            unreadable += 1
            continue
        internal += sum(d.code == INTERNAL_ERROR for d in result.remaining)
        if result.text == source.text:
            continue
        fixed_files += 1
        applied += result.applied
        try:
            ast.parse(result.text)
        except SyntaxError as err:
            unparsable += 1
            problems.append(f"{path}: the fixed file does not parse: {err}")
            continue
        again = fix_text(result.text, settings, unsafe=True, filename=str(path))
        if again.text != result.text:
            unstable += 1
            problems.append(f"{path}: a second fix changed the file again")
        internal += sum(d.code == INTERNAL_ERROR for d in findings(result.text, settings, str(path)))
    seconds = time.perf_counter() - start
    print("\n".join(problems))
    print(
        f"files {files}, not parsed {unreadable}, files fixed {fixed_files}, fixes applied {applied}, "
        f"fixed files that do not parse {unparsable}, second-run changes {unstable}, "
        f"internal errors {internal} ({seconds:.0f} s)"
    )
    return 1 if problems or internal else 0


if __name__ == "__main__":
    sys.exit(main())
