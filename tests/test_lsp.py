"""`tfv lsp` driven as an editor drives it: the installed command as a subprocess, documents opened
and changed, diagnostics awaited, code actions requested and their edits applied to the text."""
from __future__ import annotations

import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities
from pytest_lsp.client import DEFAULT_CLIENT_FEATURES, default_converter, register_lsp_features

from lsp_editor import Editor, apply, text_edits
from flake8_tfv.analyze import Settings
from flake8_tfv.fix import fix_text

TFV = shutil.which("tfv", path=str(Path(sys.executable).parent)) or "tfv"


def editor_client() -> LanguageClient:
    """pytest-lsp's client, which also accepts dynamic registrations as VS Code and Neovim do, and
    keeps every publication (with the document version it was for), not just the last."""
    client = LanguageClient(converter_factory=default_converter)
    client.registrations = []
    client.published = []

    def register(client: LanguageClient, params: types.RegistrationParams):
        client.registrations.extend(params.registrations)

    def publish(client: LanguageClient, params: types.PublishDiagnosticsParams):
        client.published.append(params)
        client.diagnostics[params.uri] = params.diagnostics

    features = dict(DEFAULT_CLIENT_FEATURES)
    features[types.CLIENT_REGISTER_CAPABILITY] = register
    features[types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS] = publish
    register_lsp_features(client, features)
    return client


SERVER = ClientServerConfig(server_command=[TFV, "lsp"], client_factory=editor_client)

BAD = textwrap.dedent(
    """\
    import tensorflow as tf

    v = tf.Variable(3.0)
    v = v - 0.1
    w = tf.Variable(1.0)
    w += 1.0
    """
)
CLEAN = "import tensorflow as tf\n\nv = tf.Variable(3.0)\nv.assign_sub(0.1)\n"
UNSAFE = "import tensorflow as tf\n\nv = tf.Variable(1.0)\nv = tf.constant(2.0)\nprint(v.numpy())\n"


def whole_line(line: int) -> types.Range:
    return types.Range(start=types.Position(line=line, character=0), end=types.Position(line=line, character=200))


def cursor(line: int, character: int) -> types.Range:
    pos = types.Position(line=line, character=character)
    return types.Range(start=pos, end=pos)


async def _start(client: LanguageClient, spec: str, root: Path | None = None):
    params = types.InitializeParams(capabilities=client_capabilities(spec))
    if root is not None:
        params.root_uri = root.as_uri()
        params.workspace_folders = [types.WorkspaceFolder(uri=root.as_uri(), name=root.name)]
    return await client.initialize_session(params)


@pytest_lsp.fixture(config=SERVER)
async def vscode(lsp_client: LanguageClient, tmp_path: Path):
    await _start(lsp_client, "visual-studio-code", tmp_path)
    yield
    await lsp_client.shutdown_session()


@pytest_lsp.fixture(config=SERVER)
async def neovim(lsp_client: LanguageClient, tmp_path: Path):
    # Neovim 0.11 offers utf-8 first: the server must then count columns in bytes.
    result = await _start(lsp_client, "neovim@v0.11.0", tmp_path)
    assert result.capabilities.position_encoding == types.PositionEncodingKind.Utf8
    yield
    await lsp_client.shutdown_session()


@pytest.fixture
def doc(tmp_path: Path) -> str:
    return (tmp_path / "train.py").as_uri()


@pytest.mark.asyncio
async def test_open_publishes_exact_diagnostics(vscode: LanguageClient, doc: str):
    result = await Editor(vscode).open(doc, BAD)
    assert [(d.code, d.range.start.line, d.range.start.character, d.range.end.line, d.range.end.character) for d in result] == [
        ("TFV101", 3, 0, 3, 11),
        ("TFV102", 5, 0, 5, 8),
    ]
    first = result[0]
    assert first.source == "tfv"
    assert first.severity == types.DiagnosticSeverity.Warning
    assert first.code_description.href.endswith("/docs/rules/TFV101.md")
    assert "rebinds the variable (created on line 3)" in first.message


@pytest.mark.asyncio
async def test_the_editors_text_not_the_file_on_disk(vscode: LanguageClient, tmp_path: Path):
    path = tmp_path / "on_disk.py"
    path.write_text(CLEAN)
    assert [d.code for d in await Editor(vscode).open(path.as_uri(), BAD)] == ["TFV101", "TFV102"]
    other = tmp_path / "other.py"
    other.write_text(BAD)
    assert await Editor(vscode).open(other.as_uri(), CLEAN) == []


@pytest.mark.asyncio
async def test_change_close_and_a_syntax_error_mid_typing(vscode: LanguageClient, doc: str):
    editor = Editor(vscode)
    assert await editor.open(doc, CLEAN) == []
    assert [d.code for d in await editor.change(doc, BAD)] == ["TFV101", "TFV102"]
    typing = BAD.replace("w += 1.0", "w += (1.0 +")
    assert await editor.change(doc, typing) == []
    assert await editor.actions(doc, whole_line(3)) == []
    assert [d.code for d in await editor.change(doc, BAD)] == ["TFV101", "TFV102"]
    # Saving publishes again (an editor may have dropped them); the text is still the editor's.
    vscode.diagnostics.pop(doc)
    vscode.text_document_did_save(types.DidSaveTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=doc)))
    assert [d.code for d in await editor.diagnostics(doc)] == ["TFV101", "TFV102"]
    # Code nested too deeply to parse: no findings, and the server goes on serving.
    assert await editor.change(doc, BAD + "x = " + "(" * 5000 + "1" + ")" * 5000 + "\n") == []
    assert [d.code for d in await editor.change(doc, BAD)] == ["TFV101", "TFV102"]
    assert await editor.close(doc) == []


@pytest.mark.asyncio
async def test_changes_while_typing_are_analysed_once_after_the_pause(vscode: LanguageClient, doc: str):
    editor = Editor(vscode)
    await editor.open(doc, CLEAN)
    vscode.published.clear()
    lines = BAD.splitlines(keepends=True)
    for end in range(1, len(lines)):  # one keystroke-sized change after another, no waiting
        editor.versions[doc] += 1
        vscode.text_document_did_change(
            types.DidChangeTextDocumentParams(
                text_document=types.VersionedTextDocumentIdentifier(uri=doc, version=editor.versions[doc]),
                content_changes=[types.TextDocumentContentChangeWholeDocument(text="".join(lines[:end]))],
            )
        )
    found = await editor.change(doc, BAD)
    assert [d.code for d in found] == ["TFV101", "TFV102"]
    assert [p.version for p in vscode.published if p.uri == doc] == [editor.versions[doc]]


@pytest.mark.asyncio
async def test_quick_fix_is_preferred_and_applies(vscode: LanguageClient, doc: str):
    editor = Editor(vscode)
    found = await editor.open(doc, BAD)
    actions = await editor.actions(doc, cursor(3, 4), diagnostics=found[:1])
    fixes = [a for a in actions if a.title.startswith("Fix ")]
    assert [a.title for a in fixes] == ["Fix TFV101: Update in place with `v.assign_sub(...)`"]
    assert fixes[0].is_preferred and fixes[0].kind == types.CodeActionKind.QuickFix
    assert fixes[0].diagnostics[0].code == "TFV101"
    # VS Code accepts versioned document changes: the edit names the version it was made for.
    assert fixes[0].edit.document_changes[0].text_document.version == 1
    after = await editor.apply(doc, fixes[0])
    assert after == BAD.replace("v = v - 0.1", "v.assign_sub(0.1)")
    assert [d.code for d in await editor.diagnostics(doc)] == ["TFV102"]


@pytest.mark.asyncio
async def test_unsafe_fix_is_offered_never_preferred(vscode: LanguageClient, doc: str):
    editor = Editor(vscode)
    assert [d.code for d in await editor.open(doc, UNSAFE)] == ["TFV104"]
    (fix,) = [a for a in await editor.actions(doc, whole_line(3)) if a.title.startswith("Fix ")]
    assert "unsafe" in fix.title and not fix.is_preferred
    assert "v.assign(tf.constant(2.0))" in apply(UNSAFE, fix.edit, doc)
    # Fix-all applies safe fixes only: there is none here.
    assert await editor.actions(doc, whole_line(0), only=[types.CodeActionKind.SourceFixAll]) == []


@pytest.mark.asyncio
async def test_fix_all_equals_tfv_fix(vscode: LanguageClient, doc: str):
    text = BAD + "x = tf.Variable(1.0)\nx = tf.constant(2.0)\nprint(x)\n"
    editor = Editor(vscode)
    await editor.open(doc, text)
    actions = await editor.actions(doc, cursor(0, 0), only=[types.CodeActionKind.SourceFixAll])
    assert [(a.kind, a.title) for a in actions] == [("source.fixAll.tfv", "tfv: apply all safe fixes (2)")]
    # Only the two changed lines are edited; the editor keeps everything else as it is.
    assert len(text_edits(actions[0].edit, doc)) == 2
    after = await editor.apply(doc, actions[0])
    assert after == fix_text(text, Settings()).text
    assert "v.assign_sub(0.1)" in after and "w.assign_add(1.0)" in after and "x = tf.constant(2.0)" in after
    assert [d.code for d in await editor.diagnostics(doc)] == ["TFV104"]
    # Asked for "source" actions, or for this server's own kind, the answer is the same.
    assert await editor.actions(doc, cursor(0, 0), only=["source.fixAll.tfv"]) == []


@pytest.mark.asyncio
async def test_ignore_for_this_line_adds_and_extends_noqa(vscode: LanguageClient, doc: str):
    editor = Editor(vscode)
    await editor.open(doc, BAD.replace("w += 1.0", "w += 1.0  # noqa: E501"))
    actions = await editor.actions(doc, whole_line(3))
    (ignore,) = [a for a in actions if a.title == "Ignore TFV101 for this line"]
    assert not ignore.is_preferred
    after = await editor.apply(doc, ignore)
    assert "v = v - 0.1  # noqa: TFV101\n" in after
    assert [d.code for d in await editor.diagnostics(doc)] == ["TFV102"]
    (ignore,) = [a for a in await editor.actions(doc, whole_line(5)) if a.title.startswith("Ignore")]
    after = await editor.apply(doc, ignore)
    assert "w += 1.0  # noqa: E501, TFV102\n" in after
    assert await editor.diagnostics(doc) == []


@pytest.mark.asyncio
async def test_noqa_goes_to_the_end_of_a_multiline_statement(vscode: LanguageClient, doc: str):
    text = 'import tensorflow as tf\nv = tf.Variable(1.0)\nv = v - tf.constant("""a\n#b""")\n'
    editor = Editor(vscode)
    assert [d.code for d in await editor.open(doc, text)] == ["TFV101"]
    (ignore,) = [a for a in await editor.actions(doc, whole_line(2)) if a.title.startswith("Ignore")]
    after = await editor.apply(doc, ignore)
    assert after.endswith('#b""")  # noqa: TFV101\n')
    assert await editor.diagnostics(doc) == []


@pytest.mark.asyncio
async def test_non_bmp_characters_in_utf16(vscode: LanguageClient, doc: str):
    # "😀" is one character, two UTF-16 code units: the finding starts at character 17, unit 18.
    text = 'import tensorflow as tf\nv = tf.Variable(1.0); s = "😀"; v = v - 1\n'
    editor = Editor(vscode)
    (found,) = await editor.open(doc, text)
    assert (found.range.start.character, found.range.end.character) == (len('v = tf.Variable(1.0); s = "😀"; ') + 1, len(text.splitlines()[1]) + 1)
    (fix,) = [a for a in await editor.actions(doc, found.range) if a.title.startswith("Fix ")]
    assert apply(text, fix.edit, doc) == text.replace("v = v - 1", "v.assign_sub(1)")


@pytest.mark.asyncio
async def test_non_bmp_characters_in_utf8(neovim: LanguageClient, doc: str):
    text = 'import tensorflow as tf\nv = tf.Variable(1.0); s = "😀é"; v = v - 1\n'
    editor = Editor(neovim, encoding="utf-8")
    (found,) = await editor.open(doc, text)
    prefix = 'v = tf.Variable(1.0); s = "😀é"; '
    assert found.range.start.character == len(prefix.encode("utf-8"))
    (fix,) = [a for a in await editor.actions(doc, found.range) if a.title.startswith("Fix ")]
    assert apply(text, fix.edit, doc, "utf-8") == text.replace("v = v - 1", "v.assign_sub(1)")
    (ignore,) = [a for a in await editor.actions(doc, found.range) if a.title.startswith("Ignore")]
    assert apply(text, ignore.edit, doc, "utf-8").endswith("v = v - 1  # noqa: TFV101\n")


@pytest.mark.asyncio
async def test_crlf_document(vscode: LanguageClient, doc: str):
    text = BAD.replace("\n", "\r\n")
    editor = Editor(vscode)
    await editor.open(doc, text)
    (fix_all,) = await editor.actions(doc, cursor(0, 0), only=["source"])
    after = apply(text, fix_all.edit, doc)
    assert after == BAD.replace("v = v - 0.1", "v.assign_sub(0.1)").replace("w += 1.0", "w.assign_add(1.0)").replace("\n", "\r\n")


@pytest.mark.asyncio
async def test_workspace_configuration_and_noqa(vscode: LanguageClient, tmp_path: Path):
    project = tmp_path / "project"
    (project / "generated").mkdir(parents=True)
    (project / "pyproject.toml").write_text('[tool.tfv]\nignore = ["TFV102"]\nexclude = ["generated/"]\n')
    editor = Editor(vscode)
    assert [d.code for d in await editor.open((project / "a.py").as_uri(), BAD)] == ["TFV101"]
    assert await editor.open((project / "generated" / "b.py").as_uri(), BAD) == []
    silenced = BAD.replace("v = v - 0.1", "v = v - 0.1  # noqa")
    assert [d.code for d in await editor.open((tmp_path / "c.py").as_uri(), silenced)] == ["TFV102"]
    # A changed configuration applies from the next analysis on...
    (project / "pyproject.toml").write_text('[tool.tfv]\nignore = ["TFV101"]\n')
    assert [d.code for d in await editor.change((project / "a.py").as_uri(), BAD + "\n")] == ["TFV102"]
    # ...and at once when the editor reports the file changed, as the server asked it to.
    (watcher,) = [r for r in vscode.registrations if r.method == types.WORKSPACE_DID_CHANGE_WATCHED_FILES]
    assert [w["globPattern"] for w in watcher.register_options["watchers"]] == ["**/pyproject.toml", "**/*.py"]
    (project / "pyproject.toml").write_text('[tool.tfv]\nselect = ["TFV101", "TFV102"]\n')
    vscode.diagnostics.pop((project / "a.py").as_uri())
    vscode.workspace_did_change_watched_files(
        types.DidChangeWatchedFilesParams(
            changes=[types.FileEvent(uri=(project / "pyproject.toml").as_uri(), type=types.FileChangeType.Changed)]
        )
    )
    assert [d.code for d in await editor.diagnostics((project / "a.py").as_uri())] == ["TFV101", "TFV102"]


@pytest.mark.asyncio
async def test_facts_from_other_modules_follow_their_saves(vscode: LanguageClient, tmp_path: Path):
    (tmp_path / "pyproject.toml").write_text("")
    base = tmp_path / "base.py"
    base.write_text("import tensorflow as tf\n\nstep = tf.Variable(0)\n")
    (tmp_path / "train.py").write_text("")  # on disk as it was; the editor holds the new text
    train = (tmp_path / "train.py").as_uri()
    editor = Editor(vscode)
    assert [d.code for d in await editor.open(train, "import tensorflow as tf\nfrom base import step\n\nstep += 1\n")] == ["TFV102"]
    # base.py is edited in the editor and saved: train.py, open beside it, is analysed again.
    await editor.open(base.as_uri(), base.read_text())
    base.write_text("import tensorflow as tf\n\nstep = 0\n")
    await editor.change(base.as_uri(), base.read_text())
    vscode.diagnostics.pop(train)
    vscode.text_document_did_save(types.DidSaveTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=base.as_uri())))
    assert await editor.diagnostics(train) == []
    # A module that appears on disk (a checkout, another program) arrives as a watched-file event;
    # the server must not go on believing the module missing.
    assert await editor.change(train, "import tensorflow as tf\nfrom state import step\n\nstep += 1\n") == []
    (tmp_path / "state.py").write_text("import tensorflow as tf\n\nstep = tf.Variable(0)\n")
    vscode.diagnostics.pop(train)
    vscode.workspace_did_change_watched_files(
        types.DidChangeWatchedFilesParams(changes=[types.FileEvent(uri=(tmp_path / "state.py").as_uri(), type=types.FileChangeType.Created)])
    )
    assert [d.code for d in await editor.diagnostics(train)] == ["TFV102"]


@pytest.mark.asyncio
async def test_a_broken_pyproject_warns_and_falls_back_to_defaults(vscode: LanguageClient, tmp_path: Path):
    (tmp_path / "pyproject.toml").write_text("[tool.tfv\n")
    found = await Editor(vscode).open((tmp_path / "a.py").as_uri(), BAD)
    assert [d.code for d in found] == ["TFV101", "TFV102"]
    assert any("invalid TOML" in m.message for m in vscode.messages)


@pytest.mark.asyncio
async def test_untitled_document_and_files_without_tensorflow(vscode: LanguageClient):
    editor = Editor(vscode)
    assert [d.code for d in await editor.open("untitled:Untitled-1", BAD)] == ["TFV101", "TFV102"]
    assert await editor.open("untitled:Untitled-2", "x = 1\nx = x - 1\n") == []


def test_a_clear_message_without_the_lsp_extra(tmp_path: Path):
    # Importing pygls fails as it does when the extra is not installed.
    script = (
        "import sys; sys.modules['pygls'] = None\n"
        "from flake8_tfv.cli import main\n"
        "sys.exit(main(['lsp']))\n"
    )
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=tmp_path)
    assert proc.returncode == 2
    assert "pip install 'flake8-tfv[lsp]'" in proc.stderr and "Traceback" not in proc.stderr
