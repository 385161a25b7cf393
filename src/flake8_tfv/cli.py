"""`tfv`: check, fix, rules, explain."""
from __future__ import annotations

import argparse
import difflib
import sys
from pathlib import Path
from typing import Sequence

from . import __version__
from .analyze import Settings, SourceError
from .config import Config, ConfigError, find_pyproject, load_config
from .diagnostic import Diagnostic
from .fix import fix_text, findings
from .output import write_statistics, write_text
from .rules import all_rules, rule_by_code
from .sources import ReadError, SourceFile, decode_source, iter_python_files, read_source, write_atomic

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


def _codes(value: str) -> list[str]:
    return [c.strip().upper() for c in value.split(",") if c.strip()]


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

    fix = commands.add_parser("fix", parents=[common], help="apply fixes (safe ones unless --unsafe-fixes)")
    fix.add_argument("--unsafe-fixes", action="store_true", help="also apply fixes that need a person to review them")
    fix.add_argument("--diff", action="store_true", help="print a unified diff and change nothing")

    commands.add_parser("rules", help="list every rule")
    explain = commands.add_parser("explain", help="show a rule's documentation")
    explain.add_argument("code", help="a rule code, e.g. TFV101")
    return parser


def settings_from(args: argparse.Namespace, config: Config) -> Settings:
    select = args.select or config.select or ["TFV"]
    ignore = (args.ignore or config.ignore) + args.extend_ignore
    factories = config.variable_factories + args.variable_factories
    return Settings(
        select=tuple(select),
        ignore=tuple(ignore),
        variable_factories=tuple(factories),
        cross_module=config.cross_module and not args.no_cross_module,
        src=tuple(config.src),
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
        self.errors = 0

    def error(self, where: str, message: str) -> None:
        self.errors += 1
        self.err.write(f"{where}: error: {message}\n")

    def sources(self, config: Config):
        for raw in self.args.paths:
            if raw == "-":
                name = self.args.stdin_filename or "-"
                try:
                    yield decode_source(Path(name), sys.stdin.buffer.read()), True
                except ReadError as err:
                    self.error(name, str(err))
                continue
            if not Path(raw).exists():
                self.error(raw, "no such file or directory")
                continue
            for path in iter_python_files([raw], config.exclude + self.args.exclude):
                try:
                    yield read_source(path), False
                except ReadError as err:
                    self.error(str(path), str(err))


def _findings_or_error(run: Run, source: SourceFile, settings: Settings) -> list[Diagnostic] | None:
    try:
        return findings(source.text, settings, str(source.path))
    except SourceError as err:
        run.error(f"{source.path}:{err.line}:{err.col + 1}", f"{err.message} (file not checked)")
    return None


def cmd_check(run: Run, config: Config) -> int:
    settings = settings_from(run.args, config)
    results: list[tuple[str, Diagnostic]] = []
    for source, _ in run.sources(config):
        found = _findings_or_error(run, source, settings)
        if found:
            results.extend((str(source.path), d) for d in found)
    if not run.args.quiet:
        write_text(run.out, results, show_fixes=run.args.show_fixes)
        if run.args.statistics:
            write_statistics(run.out, results)
    if run.errors:
        return EXIT_ERROR
    return EXIT_FINDINGS if results and not run.args.exit_zero else EXIT_CLEAN


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


def main(argv: Sequence[str] | None = None, out=None, err=None) -> int:
    out = out or sys.stdout
    err = err or sys.stderr
    args = build_parser().parse_args(argv)
    if args.command == "rules":
        return cmd_rules(out)
    if args.command == "explain":
        return cmd_explain(args.code, out, err)
    try:
        config = _config_for(args)
    except ConfigError as error:
        err.write(f"tfv: error: {error}\n")
        return EXIT_ERROR
    run = Run(args, out, err)
    if args.command == "check":
        return cmd_check(run, config)
    return cmd_fix(run, config)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
