"""Runs oracle programs under real TensorFlow, many per interpreter.

Importing TensorFlow and Keras costs seconds, so one worker imports them once and then runs each
requested program with `runpy` in a fresh namespace. It is started by the harness with the oracle
interpreter (which needs TensorFlow, not flake8-tfv) and speaks one JSON object per line: a request
`{"path": ..., "cwd": ...}` on standard input, an answer on the standard output it had at start.

Between programs it clears the global state TensorFlow and Keras keep (Keras sessions and name
counters, dtype policies, seeds, `run_functions_eagerly`). State it cannot restore, such as eager
execution turned off, is reported as `leaked` and the worker exits, so the harness starts a fresh one.
"""
from __future__ import annotations

import contextlib
import gc
import io
import json
import os
import random
import runpy
import sys
import time
import traceback
import warnings


def _protocol_stream():
    # Programs and TensorFlow's C++ code may write to file descriptor 1; keep the answers on a
    # private copy of it and send everything else written there to standard error.
    stream = os.fdopen(os.dup(1), "w", buffering=1, encoding="utf-8")
    os.dup2(2, 1)
    return stream


def _reset(tf, modules) -> None:
    for module in modules:
        module.backend.clear_session()
        module.mixed_precision.set_global_policy("float32")
        module.backend.set_floatx("float32")
    tf.config.run_functions_eagerly(False)
    gc.collect()


def _seed(tf, keras) -> None:
    random.seed(0)
    keras.utils.set_random_seed(0)
    tf.random.set_seed(0)


def _leaks(tf) -> list[str]:
    found = []
    if not tf.executing_eagerly():
        found.append("eager execution is off")
    if tf.distribute.has_strategy():
        found.append("a distribution strategy scope is still entered")
    return found


def _keras_modules():
    return [sys.modules[name] for name in ("keras", "tf_keras") if name in sys.modules]


def run_one(tf, keras, path: str, cwd: str) -> dict:
    start = time.perf_counter()
    out, err = io.StringIO(), io.StringIO()
    failure = None
    old_cwd, old_argv, old_path = os.getcwd(), sys.argv[:], sys.path[:]
    _seed(tf, keras)
    try:
        os.chdir(cwd)
        sys.argv = [path]
        with warnings.catch_warnings(), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            runpy.run_path(path, run_name="__main__")
    except BaseException:  # noqa: BLE001 - a program's SystemExit or KeyboardInterrupt is its failure too
        failure = traceback.format_exc()
    finally:
        os.chdir(old_cwd)
        sys.argv, sys.path[:] = old_argv, old_path
    leaked = _leaks(tf)
    if not leaked:
        _reset(tf, _keras_modules())
    return {
        "stdout": out.getvalue(),
        "stderr": err.getvalue()[-4000:],
        "exception": failure,
        "leaked": leaked,
        "seconds": round(time.perf_counter() - start, 3),
    }


def main() -> int:
    answers = _protocol_stream()
    import tensorflow as tf  # noqa: PLC0415 - after the descriptors are arranged
    import keras  # noqa: PLC0415

    # Programs get an empty standard input: the requests are not theirs to read.
    requests, sys.stdin = sys.stdin, io.StringIO()
    answers.write(json.dumps({"ready": tf.__version__, "keras": keras.__version__}) + "\n")
    for line in requests:
        if not line.strip():
            continue
        request = json.loads(line)
        answer = run_one(tf, keras, request["path"], request["cwd"])
        answers.write(json.dumps(answer) + "\n")
        if answer["leaked"]:
            return 3
    return 0


if __name__ == "__main__":
    sys.exit(main())
