"""`tfv`: check, fix, rules, explain."""
from __future__ import annotations

import argparse
import difflib
import os
import sys
from pathlib import Path
from typing import Sequence

from . import __version__
from .analyze import Settings, SourceError
from .cache import ResultCache, default_folder
from .config import Config, ConfigError, find_pyproject, load_config, settings_for
from .diagnostic import Diagnostic
from .fix import fix_text
from .model.project import forget_files
from .output import FORMATS, ToolError, write_github, write_json, write_sarif, write_statistics, write_text
from .rules import all_rules, rule_by_code
from .runner import Item, check_items, default_jobs
from .sources import ReadError, SourceFile, decode_source, iter_python_files, read_bytes, read_source, write_atomic

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


def _codes(value: str) -> list[str]:
    return [c.strip().upper() for c in value.split(",") if c.strip()]


def _jobs(value: str) -> int:
    if value == "auto":
        return default_jobs()
    try:
        jobs = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number of processes or 'auto', got {value!r}") from None
    if jobs < 1:
        raise argparse.ArgumentTypeError("needs at least 1 process")
    return jobs


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="tfv",
        description="Find and fix the ways Python code silently fails to update TensorFlow and Keras state.",
    )
    parser.add_argument("--version", action="version", version=f"tfv {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("paths", nargs="*", default=["."], metavar="PATH", help="files or folders ('-' reads standard input)")
    common.add_argument("--select", type=_codes, help="comma-separated codes or prefixes to report (default: TFV)")
    common.add_argument("--ignore", type=_codes, default=[], help="comma-separated codes or prefixes to leave out")
    common.add_argument("--extend-ignore", type=_codes, default=[], help="added to --ignore and the configured ignore")
    common.add_argument("--exclude", action="append", default=[], metavar="PATTERN", help="gitignore-style pattern of paths to skip (repeatable)")
    common.add_argument("--variable-factories", type=lambda v: [f.strip() for f in v.split(",") if f.strip()], default=[],
                        metavar="NAMES", help="extra callables that create variables, e.g. gpflow.Parameter")
    common.add_argument("--no-cross-module", action="store_true",
                        help="do not read facts (base classes, imported variables) from the project's other modules")
    common.add_argument("--config", type=Path, metavar="PYPROJECT", help="read [tool.tfv] from this file")
    common.add_argument("--isolated", action="store_true", help="ignore configuration files")
    common.add_argument("--stdin-filename", metavar="NAME", help="the name shown for '-' (standard input)")

    check = commands.add_parser("check", parents=[common], help="report findings (exit 1 when there are any)")
    check.add_argument("--statistics", action="store_true", help="print a count per code after the findings")
    check.add_argument("--exit-zero", action="store_true", help="exit 0 even when there are findings")
    check.add_argument("--show-fixes", action="store_true", help="mark findings that `tfv fix` can repair")
    check.add_argument("-q", "--quiet", action="store_true", help="print nothing but errors")
    check.add_argument("--output-format", choices=FORMATS, default="text",
                       help="text (flake8's format, the default), json, sarif (SARIF 2.1.0 for code scanning) "
                       "or github (workflow commands: annotations on pull requests)")
    check.add_argument("-j", "--jobs", type=_jobs, default=None, metavar="N",
                       help="processes to check files with (default: the machine's cores; 'auto' says the same)")
    check.add_argument("--no-cache", action="store_true", help="neither read nor write the result cache")
    check.add_argument("--cache-dir", type=Path, metavar="DIR",
                       help="where the result cache lives (default: $TFV_CACHE_DIR, else .tfv_cache/ beside "
                       "the pyproject.toml in force, else in the current folder)")
    commands.add_parser("lsp", help="run the language server on standard input and output (needs the 'lsp' extra)")

    fix = commands.add_parser("fix", parents=[common], help="apply fixes (safe ones unless --unsafe-fixes)")
    fix.add_argument("--unsafe-fixes", action="store_true", help="also apply fixes that need a person to review them")
    fix.add_argument("--diff", action="store_true", help="print a unified diff and change nothing")

    commands.add_parser("rules", help="list every rule")
    explain = commands.add_parser("explain", help="show a rule's documentation")
    explain.add_argument("code", help="a rule code, e.g. TFV101")
    return parser


def settings_from(args: argparse.Namespace, config: Config) -> Settings:
    return settings_for(
        config,
        select=args.select,
        ignore=args.ignore,
        extend_ignore=args.extend_ignore,
        factories=args.variable_factories,
        cross_module=not args.no_cross_module,
    )


def _config_for(args: argparse.Namespace) -> Config:
    if args.isolated:
        return Config()
    if args.config is not None:
        return load_config(args.config)
    first = Path(args.paths[0]) if args.paths and args.paths[0] != "-" else Path.cwd()
    return load_config(find_pyproject(first if first.exists() else Path.cwd()))


class Run:
    def __init__(self, args: argparse.Namespace, out, err):
        self.args = args
        self.out = out
        self.err = err
        self.errors: list[ToolError] = []

    def error(self, where: str, message: str, path: str | None = None) -> None:
        self.errors.append(ToolError(where, message, path))
        self.err.write(f"{where}: error: {message}\n")

    def _files(self, config: Config):
        """(name, path or None for standard input) in the order given and found."""
        for raw in self.args.paths:
            if raw == "-":
                yield self.args.stdin_filename or "-", None
                continue
            if not Path(raw).exists():
                self.error(raw, "no such file or directory")
                continue
            for path in iter_python_files([raw], config.exclude + self.args.exclude):
                yield str(path), path

    def sources(self, config: Config):
        for name, path in self._files(config):
            try:
                if path is None:
                    yield decode_source(Path(name), sys.stdin.buffer.read()), True
                else:
                    yield read_source(path), False
            except ReadError as err:
                self.error(name, str(err), name if path is not None else None)

    def raw_sources(self, config: Config):
        """Undecoded bytes, so the cache can be asked before anything is decoded or parsed."""
        for name, path in self._files(config):
            if path is None:
                yield Item(name, sys.stdin.buffer.read())
                continue
            try:
                data = read_bytes(path)
            except ReadError as err:
                self.error(name, str(err), name)
                continue
            yield Item(name, data, os.path.abspath(path))


def cmd_check(run: Run, config: Config) -> int:
    args = run.args
    settings = settings_from(args, config)
    cache = None if args.no_cache else ResultCache.open(default_folder(args.cache_dir, config.path), settings)
    items = list(run.raw_sources(config))
    outcomes = check_items(items, settings, args.jobs or default_jobs(), cache)
    results: list[tuple[str, Diagnostic]] = []
    for item, outcome in zip(items, outcomes):
        cache_path = item.cache_path
        if outcome.failure is not None:
            run.error(item.name, outcome.failure, cache_path and item.name)
        elif outcome.parse_error is not None:
            message, line, col = outcome.parse_error
            run.error(f"{item.name}:{line}:{col + 1}", f"{message} (file not checked)", cache_path and item.name)
        results.extend((item.name, d) for d in outcome.diagnostics)
    results.sort(key=lambda r: (r[0], *r[1].sort_key()))
    if not args.quiet:
        fmt = args.output_format
        if fmt == "json":
            write_json(run.out, results)
        elif fmt == "sarif":
            write_sarif(run.out, results, settings.active_rules(), run.errors)
        elif fmt == "github":
            write_github(run.out, results)
        else:
            write_text(run.out, results, show_fixes=args.show_fixes)
        if args.statistics:
            # Beside json or sarif on standard output, a table would make the document invalid.
            write_statistics(run.err if fmt in ("json", "sarif") else run.out, results)
    if run.errors:
        return EXIT_ERROR
    return EXIT_FINDINGS if results and not args.exit_zero else EXIT_CLEAN


def cmd_fix(run: Run, config: Config) -> int:
    settings = settings_from(run.args, config)
    applied = remaining = changed_files = 0
    for source, from_stdin in run.sources(config):
        try:
            result = fix_text(source.text, settings, unsafe=run.args.unsafe_fixes, filename=str(source.path))
        except SourceError as err:
            run.error(f"{source.path}:{err.line}:{err.col + 1}", f"{err.message} (file not fixed)")
            continue
        for diag in result.rejected:
            run.err.write(f"{source.path}:{diag.line}:{diag.col + 1}: {diag.code} fix not applied: it would not parse or would drop a comment\n")
        if not result.converged:
            run.error(str(source.path), f"fixes did not converge after {result.applied} edits; the file was left as it was")
            if from_stdin:
                run.out.write(source.text)
            continue
        applied += result.applied
        remaining += len(result.remaining)
        changed = result.text != source.text
        if from_stdin:
            run.out.write(result.text if not run.args.diff else _diff(source, result.text))
        elif changed and run.args.diff:
            run.out.write(_diff(source, result.text))
        elif changed:
            try:
                write_atomic(source.path, source.encode(result.text))
            except (OSError, UnicodeEncodeError) as err:
                run.error(str(source.path), f"cannot write: {err}")
                continue
        changed_files += changed
    verb = "Would fix" if run.args.diff else "Fixed"
    hint = "" if run.args.unsafe_fixes or not remaining else " (`--unsafe-fixes` may repair more)"
    run.err.write(
        f"{verb} {applied} finding{'s' if applied != 1 else ''} in {changed_files} "
        f"file{'s' if changed_files != 1 else ''}; {remaining} remaining{hint}.\n"
    )
    if run.errors:
        return EXIT_ERROR
    if run.args.diff:
        return EXIT_FINDINGS if applied else EXIT_CLEAN
    return EXIT_FINDINGS if remaining else EXIT_CLEAN


def _diff(source: SourceFile, new_text: str) -> str:
    name = str(source.path)
    return "".join(
        difflib.unified_diff(
            source.text.splitlines(keepends=True), new_text.splitlines(keepends=True), f"a/{name}", f"b/{name}"
        )
    )


def cmd_rules(out) -> int:
    for rule in all_rules():
        out.write(f"{rule.code}  {rule.name:<36} {rule.summary}\n")
    return EXIT_CLEAN


def cmd_explain(code: str, out, err) -> int:
    rule = rule_by_code(code)
    if rule is None:
        err.write(f"tfv: error: unknown rule code {code!r}; `tfv rules` lists them\n")
        return EXIT_ERROR
    out.write(rule.docs())
    return EXIT_CLEAN


def cmd_lsp(err) -> int:
    try:
        from .lsp import serve
    except ImportError as error:
        if error.name is None or not error.name.split(".")[0] in ("pygls", "lsprotocol", "cattrs"):
            raise
        err.write(
            "tfv: error: `tfv lsp` needs the language server extra: "
            "python -m pip install 'flake8-tfv[lsp]'  "
            f"(missing module: {error.name})\n"
        )
        return EXIT_ERROR
    serve()
    return EXIT_CLEAN


def main(argv: Sequence[str] | None = None, out=None, err=None) -> int:
    out = out or sys.stdout
    err = err or sys.stderr
    args = build_parser().parse_args(argv)
    if args.command == "rules":
        return cmd_rules(out)
    if args.command == "lsp":
        return cmd_lsp(err)
    if args.command == "explain":
        return cmd_explain(args.code, out, err)
    try:
        config = _config_for(args)
    except ConfigError as error:
        err.write(f"tfv: error: {error}\n")
        return EXIT_ERROR
    # A run starts from what is on disk now (a caller may run several in one process).
    forget_files()
    run = Run(args, out, err)
    if args.command == "check":
        return cmd_check(run, config)
    return cmd_fix(run, config)


def console() -> None:
    """The `tfv` command. Once the run is over the process ends at once, as mypy's does: a run over
    a large project leaves hundreds of megabytes of trees and facts that the interpreter would
    otherwise free one object at a time on its way out (half a second on the issue 6 corpus, for
    nothing). Files written by `tfv fix` and the cache are complete by then (written atomically)."""
    try:
        code = main()
        sys.stdout.flush()
    except BrokenPipeError:
        # The reader stopped early (`tfv check | head`): end quietly, not with a traceback; the
        # interpreter would otherwise fail again flushing the closed pipe on its way out.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        code = EXIT_FINDINGS
    sys.stderr.flush()
    os._exit(code)


if __name__ == "__main__":  # pragma: no cover
    console()
