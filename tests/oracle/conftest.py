import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from runner import SUMMARY  # noqa: E402 - importable once the folder is on the path


def pytest_terminal_summary(terminalreporter):
    for line in SUMMARY:
        terminalreporter.write_line(f"oracle: {line}")
