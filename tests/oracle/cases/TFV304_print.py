# oracle: TFV304
# fix: unsafe
# before: {"printed": 1, "symbolic": true}
# after: {"printed": 3, "symbolic": false}
"""Case 8e: Python `print` in a tf.function runs once, at trace time, and prints the symbolic
tensor; `tf.print` runs on every call (it writes to standard error, captured here)."""
import contextlib
import io
import json
import os
import sys
import tempfile

import tensorflow as tf


@tf.function
def step(x):
    print("value", x)
    return x * 2


python_out = io.StringIO()
captured = tempfile.TemporaryFile(mode="w+")
sys.stderr.flush()
saved = os.dup(2)
os.dup2(captured.fileno(), 2)
try:
    with contextlib.redirect_stdout(python_out):
        for i in range(3):
            step(tf.constant(float(i)))
finally:
    sys.stderr.flush()
    os.dup2(saved, 2)
    os.close(saved)
captured.seek(0)
lines = [l for l in python_out.getvalue().splitlines() + captured.read().splitlines() if l.startswith("value")]
print("RESULT " + json.dumps({"printed": len(lines), "symbolic": any("Tensor(" in l for l in lines)}))
