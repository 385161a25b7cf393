# oracle: TFV304
# fix: unsafe
# before: {"handler_runs": 1, "op_failure_caught": false, "body_prints": 1}
# after: {"handler_runs": 1, "op_failure_caught": false, "body_prints": 3}
"""Why TFV304 leaves a `print` in an `except` block alone: in traced code the block runs only when
tracing itself raised (a Python `TypeError` here: caught once, on the trace, not on the next calls),
and a failing op of the graph raises from the call, past the function's `try`. The `print` in the
`try` body runs once per trace like any other (reported; `tf.print` runs on every call)."""
import contextlib
import io
import json
import os
import sys
import tempfile

import tensorflow as tf


def act(x):  # takes no `training`
    return x * 2


@tf.function
def step(x):
    try:
        print("body", x)
        return act(x, training=True)
    except TypeError:
        print("handler")
        return act(x)


@tf.function
def checked(x):
    try:
        tf.debugging.assert_positive(x)
        return x
    except Exception:
        print("handler")
        return -x


python_out = io.StringIO()
captured = tempfile.TemporaryFile(mode="w+")
sys.stderr.flush()
saved = os.dup(2)
os.dup2(captured.fileno(), 2)
try:
    with contextlib.redirect_stdout(python_out):
        for i in range(3):
            step(tf.constant(float(i)))
        checked(tf.constant(1.0))
        try:
            checked(tf.constant(-1.0))
            op_failure_caught = True
        except tf.errors.InvalidArgumentError:
            op_failure_caught = False
finally:
    sys.stderr.flush()
    os.dup2(saved, 2)
    os.close(saved)
captured.seek(0)
lines = python_out.getvalue().splitlines() + captured.read().splitlines()
handler_runs = sum(1 for line in lines if line.startswith("handler"))
body_prints = sum(1 for line in lines if line.startswith("body"))
print("RESULT " + json.dumps({"handler_runs": handler_runs, "op_failure_caught": op_failure_caught,
                              "body_prints": body_prints}))
