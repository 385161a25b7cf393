# oracle: TFV102
# fix: safe
# before: {"error": "RuntimeError", "in_user_code": true, "counts": [], "count": 0.0}
# after: {"error": null, "counts": [1.0, 2.0, 3.0], "count": 3.0}
"""Case 2 inside tf.function: `self.count += 1.0` on a tf.Variable of a tf.Module raises RuntimeError
while tracing ("in user code: ... `variable += value` with `tf.Variable`s is not supported")."""
import json

import tensorflow as tf


class Counter(tf.Module):
    def __init__(self):
        super().__init__()
        self.count = tf.Variable(0.0)

    @tf.function
    def __call__(self):
        self.count += 1.0
        return self.count.read_value()


counter = Counter()
counts, error, in_user_code = [], None, False
try:
    for _ in range(3):
        counts.append(round(float(counter()), 4))
except RuntimeError as exc:
    error = type(exc).__name__
    in_user_code = "in user code" in str(exc) and "`variable += value` with `tf.Variable`s is not supported" in str(exc)
print("RESULT " + json.dumps({"error": error, "in_user_code": in_user_code, "counts": counts,
                              "count": round(float(counter.count.numpy()), 4)}))
