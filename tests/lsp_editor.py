"""What an editor does with a language server's answers, written independently of the server:
LSP positions to text offsets in the agreed encoding, and applying a WorkspaceEdit."""
from __future__ import annotations

import asyncio
import re

from lsprotocol import types

_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")


def offset(text: str, position: types.Position, encoding: str = "utf-16") -> int:
    lines = _LINE.findall(text)
    before = sum(len(line) for line in lines[: position.line])
    if position.line >= len(lines):
        return len(text)
    line = lines[position.line].rstrip("\r\n")
    codec = {"utf-16": "utf-16-le", "utf-8": "utf-8", "utf-32": "utf-32-le"}[encoding]
    width = {"utf-16": 2, "utf-8": 1, "utf-32": 4}[encoding]
    data = line.encode(codec)[: position.character * width]
    return before + len(data.decode(codec))


def text_edits(edit: types.WorkspaceEdit, uri: str) -> list[types.TextEdit]:
    if edit.document_changes:
        return [e for change in edit.document_changes if change.text_document.uri == uri for e in change.edits]
    return list((edit.changes or {}).get(uri, []))


def apply(text: str, edit: types.WorkspaceEdit, uri: str, encoding: str = "utf-16") -> str:
    spans = [
        (offset(text, e.range.start, encoding), offset(text, e.range.end, encoding), e.new_text)
        for e in text_edits(edit, uri)
    ]
    for start, end, new_text in sorted(spans, reverse=True):
        text = text[:start] + new_text + text[end:]
    return text


class Editor:
    """Opens, changes and closes documents and waits for their diagnostics, as an editor would."""

    def __init__(self, client, encoding: str = "utf-16"):
        self.client = client
        self.encoding = encoding
        self.versions: dict[str, int] = {}
        self.texts: dict[str, str] = {}

    async def diagnostics(self, uri: str, timeout: float = 20.0) -> list[types.Diagnostic]:
        async def wait():
            while uri not in self.client.diagnostics:
                await self.client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
            return list(self.client.diagnostics[uri])

        return await asyncio.wait_for(wait(), timeout)

    async def open(self, uri: str, text: str) -> list[types.Diagnostic]:
        self.client.diagnostics.pop(uri, None)
        self.versions[uri] = 1
        self.texts[uri] = text
        self.client.text_document_did_open(
            types.DidOpenTextDocumentParams(
                text_document=types.TextDocumentItem(uri=uri, language_id="python", version=1, text=text)
            )
        )
        return await self.diagnostics(uri)

    async def change(self, uri: str, text: str) -> list[types.Diagnostic]:
        self.client.diagnostics.pop(uri, None)
        self.versions[uri] += 1
        self.texts[uri] = text
        self.client.text_document_did_change(
            types.DidChangeTextDocumentParams(
                text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=self.versions[uri]),
                content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)],
            )
        )
        return await self.diagnostics(uri)

    async def close(self, uri: str) -> list[types.Diagnostic]:
        self.client.diagnostics.pop(uri, None)
        self.client.text_document_did_close(
            types.DidCloseTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=uri))
        )
        return await self.diagnostics(uri)

    async def actions(self, uri: str, rng: types.Range, only=None, diagnostics=()) -> list[types.CodeAction]:
        result = await self.client.text_document_code_action_async(
            types.CodeActionParams(
                text_document=types.TextDocumentIdentifier(uri=uri),
                range=rng,
                context=types.CodeActionContext(diagnostics=list(diagnostics), only=only),
            )
        )
        return list(result or [])

    async def apply(self, uri: str, action: types.CodeAction) -> str:
        """Apply the action's edit to the editor's text and send the change, as editors do."""
        new_text = apply(self.texts[uri], action.edit, uri, self.encoding)
        await self.change(uri, new_text)
        return new_text
