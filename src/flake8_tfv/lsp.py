"""`tfv lsp`: the language server (pygls, over standard input and output).

It renders the Diagnostics and Fixes that `tfv check` and `tfv fix` produce (through
`fix.findings` and `fix.fix_text`) and detects nothing itself. What it adds is the editor's side:
the text the editor holds (never the file on disk), positions in the client's code units,
quick fixes, fix-all and noqa code actions, and [tool.tfv] of the document's pyproject.toml.

Documents are synchronised whole (TextDocumentSyncKind.Full): pygls applies incremental changes
on `str.splitlines` lines, which also break at form feeds and other separators that neither
Python nor LSP treat as line ends, so an incremental edit after a form feed would land on the
wrong line. A full text per change costs a copy of the buffer; a wrong buffer costs everything.
"""
from __future__ import annotations

import asyncio
import difflib
import logging
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pathspec
from lsprotocol import types
from pygls.capabilities import get_capability
from pygls.lsp.server import LanguageServer
from pygls.uris import to_fs_path

from . import __version__
from .analyze import INTERNAL_ERROR, Settings, SourceError
from .config import Config, ConfigError, find_pyproject, load_config, settings_for
from .diagnostic import Diagnostic
from .fix import FixResult, applies_cleanly, findings, fix_text
from .model.project import forget_files
from .noqa import noqa_edit
from .positions import UTF16, LineIndex
from .rules import rule_by_code
from .text import SourceText, in_newline_style, split_lines

SOURCE = "tfv"
FIX_ALL_KIND = "source.fixAll.tfv"
DEBOUNCE_SECONDS = 0.25  # typing bursts are analysed once, after the pause
log = logging.getLogger("flake8_tfv.lsp")


@dataclass(frozen=True)
class DocumentSettings:
    settings: Settings
    excluded: bool  # matched by [tool.tfv] exclude: no findings, as in a folder walk


@dataclass
class Analysis:
    version: int | None
    text: str
    key: DocumentSettings
    findings: list[Diagnostic]
    # `tfv fix` of this text, computed on the first request: editors ask for code actions at
    # every move of the cursor, and fix-all re-analyses the text after every pass.
    fixed: FixResult | None = None


def _findings(text: str, settings: Settings, name: str) -> list[Diagnostic]:
    try:
        return findings(text, settings, name)
    except (SourceError, RecursionError):
        return []  # mid-typing text that does not parse: nothing to say until it does


class Configurations:
    """[tool.tfv] of the nearest pyproject.toml, re-read when the file changes on disk."""

    def __init__(self, warn):
        self._warn = warn
        self._loaded: dict[Path, tuple[tuple[int, int], Config]] = {}

    def clear(self) -> None:
        self._loaded.clear()

    def _config(self, pyproject: Path | None) -> Config:
        if pyproject is None:
            return Config()
        try:
            info = pyproject.stat()
            stamp = (info.st_mtime_ns, info.st_size)
        except OSError:
            return Config()
        cached = self._loaded.get(pyproject)
        if cached is not None and cached[0] == stamp:
            return cached[1]
        try:
            config = load_config(pyproject)
        except ConfigError as error:
            self._warn(f"tfv: {error}; using the default settings until it is fixed")
            config = Config()
        self._loaded[pyproject] = (stamp, config)
        return config

    def for_document(self, path: Path | None, root: Path | None) -> DocumentSettings:
        start = path.parent if path is not None else root
        config = self._config(find_pyproject(start) if start is not None and start.exists() else None)
        excluded = False
        if path is not None and config.path is not None and config.exclude:
            try:
                relative = path.resolve().relative_to(config.path.parent.resolve()).as_posix()
            except ValueError:
                relative = None
            if relative is not None:
                excluded = pathspec.GitIgnoreSpec.from_lines(config.exclude).match_file(relative)
        return DocumentSettings(settings_for(config), excluded)


class TfvLanguageServer(LanguageServer):
    def __init__(self):
        super().__init__("tfv", __version__, text_document_sync_kind=types.TextDocumentSyncKind.Full)
        self.configurations = Configurations(self.warn)
        self.analyses: dict[str, Analysis] = {}
        self.pending: dict[str, asyncio.Task] = {}
        self.running: dict[str, tuple[tuple, asyncio.Future]] = {}
        # One analysis at a time, off the event loop, so messages keep flowing while it runs.
        self.analyser = ThreadPoolExecutor(max_workers=1, thread_name_prefix="tfv-analysis")

    # ---- messages to the user ------------------------------------------------------------------

    def warn(self, message: str) -> None:
        self.window_show_message(types.ShowMessageParams(type=types.MessageType.Warning, message=message))

    def log_error(self, message: str) -> None:
        log.error(message)
        self.window_log_message(types.LogMessageParams(type=types.MessageType.Error, message=message))

    # ---- documents -----------------------------------------------------------------------------

    @property
    def encoding(self) -> str:
        encoding = self.workspace.position_encoding
        return str(getattr(encoding, "value", encoding) or UTF16)

    def is_open(self, uri: str) -> bool:
        return uri in self.workspace.text_documents

    def document_settings(self, uri: str) -> DocumentSettings:
        fs_path = to_fs_path(uri)
        root = self.workspace.root_path
        return self.configurations.for_document(Path(fs_path) if fs_path else None, Path(root) if root else None)

    async def analysis(self, uri: str) -> Analysis | None:
        if not self.is_open(uri):
            return None
        document = self.workspace.get_text_document(uri)
        text, version = document.source, document.version
        key = self.document_settings(uri)
        cached = self.analyses.get(uri)
        if cached is not None and cached.version == version and cached.text == text and cached.key == key:
            return cached
        # The analysis runs as its own task: a code action request for the same text waits for it
        # instead of queueing a second one, and a lint cancelled by the next keystroke does not
        # throw away work that a request is waiting for.
        ident = (version, text, key)
        running = self.running.get(uri)
        if running is None or running[0] != ident:
            task = asyncio.get_running_loop().create_task(self._analyse(uri, version, text, key))
            task.add_done_callback(_retrieve_exception)
            running = self.running[uri] = (ident, task)
        return await asyncio.shield(running[1])

    async def _analyse(self, uri: str, version: int | None, text: str, key: DocumentSettings) -> Analysis:
        try:
            found: list[Diagnostic] = []
            if not key.excluded:
                loop = asyncio.get_running_loop()
                found = await loop.run_in_executor(self.analyser, _findings, text, key.settings, to_fs_path(uri) or uri)
            analysis = Analysis(version, text, key, found)
            if self.is_open(uri):
                self.analyses[uri] = analysis
            return analysis
        finally:
            if self.running.get(uri, (None, None))[1] is asyncio.current_task():
                del self.running[uri]

    def lsp_diagnostic(self, index: LineIndex, diag: Diagnostic) -> types.Diagnostic:
        rule = rule_by_code(diag.code)
        return types.Diagnostic(
            range=self.lsp_range(index, diag.start, diag.end),
            message=diag.message,
            severity=types.DiagnosticSeverity.Error if diag.code == INTERNAL_ERROR else types.DiagnosticSeverity.Warning,
            code=diag.code,
            code_description=types.CodeDescription(href=rule.url()) if rule is not None else None,
            source=SOURCE,
        )

    @staticmethod
    def lsp_range(index: LineIndex, start, end) -> types.Range:
        return types.Range(start=types.Position(*index.to_lsp(start)), end=types.Position(*index.to_lsp(end)))

    async def lint(self, uri: str) -> None:
        analysis = await self.analysis(uri)
        if analysis is None or not self.is_open(uri):
            return
        document = self.workspace.get_text_document(uri)
        if document.version != analysis.version or document.source != analysis.text:
            return  # the text moved on while it was analysed; its own lint is on the way
        index = LineIndex(analysis.text, self.encoding)
        self.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(
                uri=uri,
                version=analysis.version,
                diagnostics=[self.lsp_diagnostic(index, d) for d in analysis.findings],
            )
        )

    def schedule(self, uri: str, delay: float) -> None:
        previous = self.pending.pop(uri, None)
        if previous is not None:
            previous.cancel()
        self.pending[uri] = asyncio.get_running_loop().create_task(self._lint_after(uri, delay))

    async def _lint_after(self, uri: str, delay: float) -> None:
        try:
            if delay:
                await asyncio.sleep(delay)
            await self.lint(uri)
        except asyncio.CancelledError:
            raise
        except Exception as error:  # noqa: BLE001 - one bad document must not stop the server
            self.log_error(f"tfv: analysing {uri} failed: {type(error).__name__}: {error}")
        finally:
            if self.pending.get(uri) is asyncio.current_task():
                del self.pending[uri]

    def files_changed(self, first: str | None = None) -> None:
        """Files on disk changed (saved here, or changed by another program): facts read from other
        modules may differ now, so every open document is analysed again, `first` at once."""
        forget_files()
        self.analyses.clear()
        for uri in list(self.workspace.text_documents):
            self.schedule(uri, 0 if uri == first else DEBOUNCE_SECONDS)

    def close(self, uri: str) -> None:
        task = self.pending.pop(uri, None)
        if task is not None:
            task.cancel()
        self.analyses.pop(uri, None)
        self.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=uri, diagnostics=[]))

    # ---- code actions --------------------------------------------------------------------------

    def workspace_edit(self, uri: str, version: int | None, edits: list[types.TextEdit]) -> types.WorkspaceEdit:
        if get_capability(self.client_capabilities, "workspace.workspace_edit.document_changes", False):
            # Versioned: an editor refuses the edit if the text changed since it was computed.
            identifier = types.OptionalVersionedTextDocumentIdentifier(uri=uri, version=version)
            return types.WorkspaceEdit(document_changes=[types.TextDocumentEdit(text_document=identifier, edits=edits)])
        return types.WorkspaceEdit(changes={uri: edits})

    def text_edits(self, index: LineIndex, edits, newline: str) -> list[types.TextEdit]:
        return [
            types.TextEdit(range=self.lsp_range(index, e.start, e.end), new_text=in_newline_style(e.content, newline))
            for e in edits
        ]

    async def code_actions(self, params: types.CodeActionParams) -> list[types.CodeAction] | None:
        uri = params.text_document.uri
        analysis = await self.analysis(uri)
        if analysis is None:
            return None
        only = params.context.only
        actions: list[types.CodeAction] = []
        if _wanted(types.CodeActionKind.QuickFix, only):
            actions.extend(self.quick_fixes(uri, analysis, params.range))
        if _wanted(FIX_ALL_KIND, only) and any(d.fix is not None and d.fix.is_safe for d in analysis.findings):
            action = await self.fix_all(uri, analysis)
            if action is not None:
                actions.append(action)
        return actions or None

    def quick_fixes(self, uri: str, analysis: Analysis, wanted: types.Range) -> list[types.CodeAction]:
        index = LineIndex(analysis.text, self.encoding)
        source = SourceText(analysis.text)
        newline = source.newline()
        start = index.from_lsp(wanted.start.line, wanted.start.character)
        end = index.from_lsp(wanted.end.line, wanted.end.character)
        fixes, ignores = [], []
        seen_ignores = set()
        for diag in analysis.findings:
            if not (diag.start <= end and start <= diag.end):
                continue
            lsp_diag = self.lsp_diagnostic(index, diag)
            if diag.fix is not None and applies_cleanly(source, diag.fix):
                safe = diag.fix.is_safe
                label = diag.code if safe else f"{diag.code} (unsafe fix, review it)"
                title = f"Fix {label}: {diag.fix.message}"
                fixes.append(
                    types.CodeAction(
                        title=title,
                        kind=types.CodeActionKind.QuickFix,
                        diagnostics=[lsp_diag],
                        is_preferred=safe,
                        edit=self.workspace_edit(uri, analysis.version, self.text_edits(index, diag.fix.edits, newline)),
                    )
                )
            if diag.code == INTERNAL_ERROR:
                continue
            edit = noqa_edit(analysis.text, index.lines, diag.line, diag.code)
            if (diag.code, edit) in seen_ignores:
                continue
            seen_ignores.add((diag.code, edit))
            ignores.append(
                types.CodeAction(
                    title=f"Ignore {diag.code} for this line",
                    kind=types.CodeActionKind.QuickFix,
                    diagnostics=[lsp_diag],
                    edit=self.workspace_edit(uri, analysis.version, self.text_edits(index, [edit], newline)),
                )
            )
        return fixes + ignores

    async def fix_all(self, uri: str, analysis: Analysis) -> types.CodeAction | None:
        def run():
            try:
                return fix_text(analysis.text, analysis.key.settings, unsafe=False, filename=to_fs_path(uri) or uri)
            except (SourceError, RecursionError):
                return FixResult(analysis.text, converged=False)

        if analysis.fixed is None:
            analysis.fixed = await asyncio.get_running_loop().run_in_executor(self.analyser, run)
        result = analysis.fixed
        if not result.converged or result.text == analysis.text:
            return None
        index = LineIndex(analysis.text, self.encoding)
        return types.CodeAction(
            title=f"tfv: apply all safe fixes ({result.applied})",
            kind=FIX_ALL_KIND,
            edit=self.workspace_edit(uri, analysis.version, line_diff_edits(index, result.text)),
        )


def _retrieve_exception(task: asyncio.Task) -> None:
    # Whoever awaited the analysis has seen its error; without waiters asyncio would log it again.
    if not task.cancelled():
        task.exception()


def _wanted(kind: str, only) -> bool:
    """CodeActionContext.only names kinds or their parents ("source" covers "source.fixAll.tfv")."""
    if not only:
        return True
    return any(kind == str(o) or kind.startswith(f"{o}.") for o in only)


def line_diff_edits(index: LineIndex, new_text: str) -> list[types.TextEdit]:
    """The edits from the old text to the new, whole lines at a time, only where they differ (so
    the editor keeps the cursor, folds and marks of every untouched line)."""
    old, new = index.lines, split_lines(new_text)
    edits = []
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        start = index.offset_to_lsp(index.line_offset(i1))
        end = index.offset_to_lsp(index.line_offset(i2))
        edits.append(
            types.TextEdit(
                range=types.Range(start=types.Position(*start), end=types.Position(*end)), new_text="".join(new[j1:j2])
            )
        )
    return edits


def build_server() -> TfvLanguageServer:
    server = TfvLanguageServer()

    @server.feature(types.INITIALIZED)
    async def initialized(ls: TfvLanguageServer, params: types.InitializedParams) -> None:
        if not get_capability(ls.client_capabilities, "workspace.did_change_watched_files.dynamic_registration", False):
            return  # the configuration is still re-read whenever its file's time stamp changes
        # The configuration, and the modules whose facts (a base class, an imported variable)
        # findings in open documents may rest on.
        watchers = [types.FileSystemWatcher(glob_pattern=pattern) for pattern in ("**/pyproject.toml", "**/*.py")]
        registration = types.Registration(
            id="tfv-files",
            method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES,
            register_options=types.DidChangeWatchedFilesRegistrationOptions(watchers=watchers),
        )
        try:
            await ls.client_register_capability_async(types.RegistrationParams(registrations=[registration]))
        except Exception as error:  # noqa: BLE001 - a client that refuses still gets diagnostics
            log.info("watching pyproject.toml refused: %s", error)

    @server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    def watched_files_changed(ls: TfvLanguageServer, params: types.DidChangeWatchedFilesParams) -> None:
        ls.configurations.clear()
        ls.files_changed()

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: TfvLanguageServer, params: types.DidOpenTextDocumentParams) -> None:
        ls.schedule(params.text_document.uri, 0)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: TfvLanguageServer, params: types.DidChangeTextDocumentParams) -> None:
        ls.schedule(params.text_document.uri, DEBOUNCE_SECONDS)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE)
    def did_save(ls: TfvLanguageServer, params: types.DidSaveTextDocumentParams) -> None:
        ls.files_changed(first=params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: TfvLanguageServer, params: types.DidCloseTextDocumentParams) -> None:
        ls.close(params.text_document.uri)

    @server.feature(
        types.TEXT_DOCUMENT_CODE_ACTION,
        types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix, FIX_ALL_KIND], resolve_provider=False),
    )
    async def code_action(ls: TfvLanguageServer, params: types.CodeActionParams):
        return await ls.code_actions(params)

    return server


def serve() -> None:
    logging.basicConfig(level=logging.WARNING, format="tfv lsp: %(levelname)s: %(message)s")
    build_server().start_io()
