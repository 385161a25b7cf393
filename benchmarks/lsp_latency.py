"""Time from `textDocument/didOpen` to `textDocument/publishDiagnostics` in `tfv lsp`.

    python benchmarks/lsp_latency.py FILE.py [--repeat N]

Starts the installed `tfv lsp` as an editor does, opens FILE's text under fresh URIs (so nothing
is answered from an earlier analysis) and prints each round trip and the median. It measures;
it asserts nothing (speed is measured here, not in the test suite).
"""
from __future__ import annotations

import argparse
import asyncio
import shutil
import statistics
import sys
import time
from pathlib import Path

from lsprotocol import types
from pygls.lsp.client import LanguageClient


async def measure(path: Path, repeat: int) -> list[float]:
    text = path.read_text(encoding="utf-8")
    client = LanguageClient("latency-benchmark", "1")
    arrived: dict[str, asyncio.Future] = {}

    @client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    def published(params: types.PublishDiagnosticsParams):
        future = arrived.get(params.uri)
        if future is not None and not future.done():
            future.set_result((time.perf_counter(), len(params.diagnostics)))

    tfv = shutil.which("tfv", path=str(Path(sys.executable).parent)) or "tfv"
    await client.start_io(tfv, "lsp")
    await client.initialize_async(types.InitializeParams(capabilities=types.ClientCapabilities(), root_uri=path.parent.as_uri()))
    client.initialized(types.InitializedParams())
    timings = []
    for round_ in range(repeat):
        uri = path.with_name(f"{path.stem}_{round_}{path.suffix}").as_uri()
        arrived[uri] = asyncio.get_running_loop().create_future()
        start = time.perf_counter()
        client.text_document_did_open(
            types.DidOpenTextDocumentParams(text_document=types.TextDocumentItem(uri=uri, language_id="python", version=1, text=text))
        )
        end, count = await asyncio.wait_for(arrived[uri], 120)
        timings.append(end - start)
        print(f"round {round_ + 1}: {1000 * (end - start):.0f} ms ({count} findings)")
        client.text_document_did_close(types.DidCloseTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=uri)))
    await client.shutdown_async(None)
    client.exit(None)
    await client.stop()
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file", type=Path)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    lines = args.file.read_text(encoding="utf-8").count("\n")
    timings = asyncio.run(measure(args.file.resolve(), args.repeat))
    print(f"{args.file} ({lines} lines): median {1000 * statistics.median(timings):.0f} ms over {len(timings)} opens")


if __name__ == "__main__":
    main()
