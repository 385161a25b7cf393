"""Time flake8 without and with the plugin, and `tfv check` alone, on the same corpus in one run.

    python benchmarks/corpus.py                  # once: download the corpus
    python benchmarks/bench.py                   # the figures of benchmarks/README.md
    python benchmarks/bench.py --jobs 2 --repeat 3 --packages gpflow dm-sonnet

Two virtual environments under benchmarks/corpus/.venvs/ (ignored by git, made on first use):
`flake8` has flake8 alone; `tfv` has the same flake8 version plus this checkout of flake8-tfv,
reinstalled (not editable) at the start of every run so the figures belong to the tree as it is
then. The three commands run in turn, `--repeat` times; the fastest wall time of each counts (the
machines are shared, so the minimum is the least disturbed run), and the CPU time of that run
(user + system of the child) is printed beside it.

Targets (issue 6): the plugin adds at most 10% to flake8's own time; `tfv check` (one process) is
at least 10x faster than flake8's default checks. `tfv check --no-cross-module` is timed too, for
what cross-module facts (issue 10) cost and add.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import resource
import subprocess
import sys
import time
import venv
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
CORPUS = HERE / "corpus"
VENVS = CORPUS / ".venvs"
_REPORT = re.compile(r"^(?P<path>.+?):(?P<line>\d+):(?P<col>\d+): (?P<code>[A-Z]+\d+) ")
# flake8's defaults skip these folders; `tfv check` skips its own list. Neither occurs in the corpus,
# so both tools see the same files (checked below).
_SKIP_DIRS = {".venvs", ".downloads", "__pycache__", ".git", ".tox", ".eggs"}


@dataclass
class Timing:
    name: str
    command: list[str]
    wall: float = float("inf")
    cpu: float = float("inf")
    output: str = ""
    returncode: int = 0


def _bin(env: Path, name: str) -> Path:
    return env / ("Scripts" if os.name == "nt" else "bin") / name


def _pip(env: Path, *args: str) -> None:
    subprocess.run([str(_bin(env, "python")), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", *args],
                   check=True)


def flake8_version() -> str:
    from importlib.metadata import version

    return version("flake8")


def prepare_venvs(reinstall: bool) -> tuple[Path, Path]:
    base, plugin = VENVS / "flake8", VENVS / "tfv"
    wanted = flake8_version()
    for env in (base, plugin):
        if not _bin(env, "python").exists():
            venv.create(env, with_pip=True)
            _pip(env, f"flake8=={wanted}")
    if reinstall or not _bin(plugin, "tfv").exists():
        # Not editable: the installed copy stays as it was when the run started.
        _pip(plugin, "--force-reinstall", "--no-deps", str(REPO))
        _pip(plugin, str(REPO))  # its dependencies, pinned flake8 left as it is
    for env in (base, plugin):
        out = subprocess.run([str(_bin(env, "flake8")), "--version"], capture_output=True, text=True, check=True).stdout
        if not out.startswith(wanted + " "):
            raise SystemExit(f"{env}: flake8 {out.split()[0]} instead of {wanted}")
    plugins = subprocess.run([str(_bin(base, "python")), "-c", "import flake8_tfv"], capture_output=True)
    if plugins.returncode == 0:
        raise SystemExit(f"{base} must not have flake8-tfv installed")
    return base, plugin


def corpus_files(folders: list[Path]) -> tuple[int, int]:
    files = lines = 0
    for folder in folders:
        for dirpath, dirnames, filenames in os.walk(folder):
            dirnames[:] = [d for d in dirnames if d not in _SKIP_DIRS]
            for name in filenames:
                if name.endswith(".py"):
                    files += 1
                    with open(os.path.join(dirpath, name), "rb") as handle:
                        lines += handle.read().count(b"\n")
    return files, lines


def run(timing: Timing, out_dir: Path) -> None:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    out_file = out_dir / f"{timing.name.replace(' ', '_')}.txt"
    start = time.perf_counter()
    with open(out_file, "w", encoding="utf-8") as handle:
        proc = subprocess.run(timing.command, stdout=handle, stderr=subprocess.PIPE, text=True, cwd=REPO)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if proc.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(timing.command)} exited {proc.returncode}:\n{proc.stderr[-2000:]}")
    if wall < timing.wall:
        timing.wall, timing.cpu = wall, cpu
        timing.output = out_file.read_text(encoding="utf-8")
        timing.returncode = proc.returncode
    if proc.stderr.strip():
        print(f"  [{timing.name}] stderr: {proc.stderr.strip()[:500]}", file=sys.stderr)


def codes(output: str) -> dict[str, int]:
    counts: dict[str, int] = {}
    for line in output.splitlines():
        match = _REPORT.match(line)
        if match:
            prefix = "TFV" if match["code"].startswith("TFV") else match["code"][0]
            counts[prefix] = counts.get(prefix, 0) + 1
    return counts


def tfv_findings(output: str) -> set[tuple[str, int, str]]:
    found = set()
    for line in output.splitlines():
        match = _REPORT.match(line)
        if match and match["code"].startswith("TFV"):
            found.add((os.path.normpath(match["path"]), int(match["line"]), match["code"]))
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--jobs", "-j", type=int, default=1, help="flake8 -j for both flake8 runs (default 1)")
    parser.add_argument("--repeat", type=int, default=1, help="runs of each command; the fastest counts")
    parser.add_argument("--packages", nargs="*", help="corpus packages to use (default: every one downloaded)")
    parser.add_argument("--no-reinstall", action="store_true", help="keep the installed flake8-tfv as it is")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args(argv)

    available = sorted(p.name for p in CORPUS.iterdir() if p.is_dir() and not p.name.startswith(".")) if CORPUS.is_dir() else []
    if not available:
        raise SystemExit("no corpus: run `python benchmarks/corpus.py` first")
    chosen = args.packages or available
    missing = [p for p in chosen if p not in available]
    if missing:
        raise SystemExit(f"not downloaded: {', '.join(missing)} (run benchmarks/corpus.py)")
    folders = [CORPUS / p for p in chosen]
    targets = [os.path.relpath(f, REPO) for f in folders]

    base, plugin = prepare_venvs(reinstall=not args.no_reinstall)
    files, lines = corpus_files(folders)
    kloc = lines / 1000
    print(f"corpus: {', '.join(chosen)}")
    print(f"        {files} files, {kloc:.1f} kLOC; flake8 {flake8_version()}, -j {args.jobs}; "
          f"python {sys.version.split()[0]}; {os.cpu_count()} CPUs; load {os.getloadavg()[0]:.2f}")

    flake8_args = ["--isolated", "-j", str(args.jobs), "--exit-zero"]
    # Without the result cache: a repeated run would read the first one's answers, and flake8 has none.
    tfv_args = [str(_bin(plugin, "tfv")), "check", "--isolated", "--exit-zero", "--no-cache", "-j", "1"]
    timings = [
        Timing("flake8 E,F,W (no plugin)", [str(_bin(base, "flake8")), *flake8_args, "--select", "E,F,W", *targets]),
        Timing("flake8 E,F,W,TFV (plugin)", [str(_bin(plugin, "flake8")), *flake8_args, "--select", "E,F,W,TFV", *targets]),
        Timing("tfv check -j 1", [*tfv_args, *targets]),
        # Issue 10: what cross-module facts cost and add, against the one-file analysis.
        Timing("tfv check -j 1 (one-file)", [*tfv_args, "--no-cross-module", *targets]),
    ]
    out_dir = VENVS / "outputs"
    out_dir.mkdir(parents=True, exist_ok=True)
    for round_ in range(args.repeat):
        for timing in timings:
            run(timing, out_dir)
            print(f"  run {round_ + 1}: {timing.name:<28} {timing.wall:8.1f} s wall (best so far)", file=sys.stderr)

    print()
    print(f"{'command':<28} {'wall s':>8} {'cpu s':>8} {'files/s':>9} {'kLOC/s':>8}  findings")
    for t in timings:
        found = ", ".join(f"{k} {v}" for k, v in sorted(codes(t.output).items())) or "none"
        print(f"{t.name:<28} {t.wall:8.1f} {t.cpu:8.1f} {files / t.wall:9.1f} {kloc / t.wall:8.2f}  {found}")
    base_t, plugin_t, tfv_t, one_file_t = timings
    overhead_wall = plugin_t.wall / base_t.wall - 1
    overhead_cpu = plugin_t.cpu / base_t.cpu - 1
    speedup_wall = base_t.wall / tfv_t.wall
    speedup_cpu = base_t.cpu / tfv_t.cpu
    print()
    print(f"plugin overhead on flake8: {overhead_wall:+.1%} wall, {overhead_cpu:+.1%} cpu   (target <= +10%)")
    print(f"tfv check vs flake8 E,F,W: {speedup_wall:.1f}x wall, {speedup_cpu:.1f}x cpu   (target >= 10x)")
    print(f"cross-module facts: {tfv_t.wall / one_file_t.wall - 1:+.1%} wall against the one-file analysis, "
          f"{sum(codes(tfv_t.output).values()) - sum(codes(one_file_t.output).values()):+d} findings")
    same = tfv_findings(plugin_t.output) == tfv_findings(tfv_t.output)
    print(f"TFV findings of flake8 and tfv check agree: {'yes' if same else 'NO'}")
    if args.json:
        args.json.write_text(json.dumps({
            "packages": chosen, "files": files, "lines": lines, "jobs": args.jobs, "repeat": args.repeat,
            "flake8": flake8_version(), "python": sys.version.split()[0],
            "timings": {t.name: {"wall": t.wall, "cpu": t.cpu, "findings": codes(t.output)} for t in timings},
            "overhead_wall": overhead_wall, "overhead_cpu": overhead_cpu,
            "speedup_wall": speedup_wall, "speedup_cpu": speedup_cpu, "findings_agree": same,
        }, indent=2) + "\n", encoding="utf-8")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
