"""Drives worker.py: one long-lived interpreter for ordinary programs, a fresh one per isolated program.

The oracle interpreter is `$TFV_ORACLE_PYTHON` when set (a Python that has TensorFlow while the test
environment does not), otherwise the interpreter running the tests.
"""
from __future__ import annotations

import json
import os
import queue
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

WORKER = Path(__file__).resolve().parent / "worker.py"
STARTUP_TIMEOUT = 180.0
# A program is a few lines to a few dozen; the slowest ones run `model.fit` for a few epochs.
PROGRAM_TIMEOUT = float(os.environ.get("TFV_ORACLE_TIMEOUT", "180"))


def oracle_python() -> str:
    return os.environ.get("TFV_ORACLE_PYTHON") or sys.executable


def worker_environment(home: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("TF_USE_LEGACY_KERAS", None)  # `tf.keras` must be Keras 3, as the docs measure it
    env.update(
        TF_CPP_MIN_LOG_LEVEL="3",
        TF_ENABLE_ONEDNN_OPTS="0",  # identical float results from run to run
        CUDA_VISIBLE_DEVICES="-1",
        KERAS_BACKEND="tensorflow",
        KERAS_HOME=str(home),
        PYTHONHASHSEED="0",
        PYTHONIOENCODING="utf-8",
    )
    return env


# Lines on how long the programs took, for the end of the pytest report (see conftest.py).
SUMMARY: list[str] = []


class WorkerError(RuntimeError):
    pass


class Worker:
    """One interpreter with TensorFlow imported, answering one request at a time."""

    def __init__(self, home: Path):
        self.process = subprocess.Popen(
            [oracle_python(), str(WORKER)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            text=True, encoding="utf-8", env=worker_environment(home), start_new_session=True,
        )
        self.lines: queue.Queue[str | None] = queue.Queue()
        self.stderr: list[str] = []
        threading.Thread(target=self._pump, args=(self.process.stdout, self.lines.put), daemon=True).start()
        threading.Thread(target=self._pump, args=(self.process.stderr, self._keep_stderr), daemon=True).start()
        started = time.perf_counter()
        hello = self._answer(STARTUP_TIMEOUT)
        self.startup = time.perf_counter() - started
        if "ready" not in hello:
            raise WorkerError(f"the worker did not start: {hello}")
        self.versions = hello

    @staticmethod
    def _pump(stream, sink) -> None:
        for line in stream:
            sink(line)
        sink(None)

    def _keep_stderr(self, line: str | None) -> None:
        if line is not None:
            self.stderr.append(line)
            del self.stderr[:-200]

    def _answer(self, timeout: float) -> dict:
        try:
            line = self.lines.get(timeout=timeout)
        except queue.Empty:
            self.kill()
            raise WorkerError(f"no answer within {timeout:.0f}s") from None
        if line is None:
            self.close()
            raise WorkerError("the worker exited:\n" + "".join(self.stderr[-40:]))
        return json.loads(line)

    def run(self, path: Path, cwd: Path, timeout: float = PROGRAM_TIMEOUT) -> dict:
        self.process.stdin.write(json.dumps({"path": str(path), "cwd": str(cwd)}) + "\n")
        self.process.stdin.flush()
        return self._answer(timeout)

    @property
    def alive(self) -> bool:
        return self.process.poll() is None

    def kill(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()

    def close(self) -> None:
        if self.process.poll() is None:
            try:
                self.process.stdin.close()
                self.process.wait(timeout=10)
            except (OSError, subprocess.TimeoutExpired):
                self.kill()


class Runner:
    """Runs oracle programs, reusing one worker and replacing it when a program leaves it unusable."""

    def __init__(self, home: Path):
        self.home = home
        self.worker: Worker | None = None
        self.interpreters: list[float] = []  # the start-up time of each
        self.timings: list[tuple[str, float]] = []

    def run(self, path: Path, cwd: Path, isolate: bool) -> dict:
        answer = self._run(path, cwd, isolate)
        self.timings.append((path.name, answer["seconds"]))
        return answer

    def _run(self, path: Path, cwd: Path, isolate: bool) -> dict:
        if isolate:
            worker = self._start()
            try:
                return worker.run(path, cwd)
            finally:
                worker.close()
        if self.worker is None or not self.worker.alive:
            self.worker = self._start()
        try:
            answer = self.worker.run(path, cwd)
        except WorkerError:
            self.worker = None
            raise
        if answer["leaked"]:
            self.worker.close()
            self.worker = None
        return answer

    def _start(self) -> Worker:
        worker = Worker(self.home)
        self.interpreters.append(worker.startup)
        return worker

    def close(self) -> None:
        if self.worker is not None:
            self.worker.close()
            self.worker = None
