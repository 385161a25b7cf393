# oracle: TFV301
# fix: unsafe
# before: {"first": 2.0, "second": 2.0, "traces": 1, "new_signature": [3.0]}
# after: {"first": 2.0, "second": 3.0, "traces": 1, "new_signature": [3.0]}
"""Case 8b: a Python float global read by a tf.function is frozen at its first trace. Rebinding
it between calls changes nothing for calls with the same signature, while a new signature
re-traces and sees the new value. Held in a non-trainable tf.Variable and assigned, every call
sees the current value with one trace."""
import json

import tensorflow as tf

scale = 2.0


@tf.function
def apply(x):
    return x * scale


first = float(apply(tf.constant(1.0)))
scale = 3.0
second = float(apply(tf.constant(1.0)))
traces = apply.experimental_get_tracing_count()
new_signature = [round(float(v), 4) for v in apply(tf.constant([1.0]))]
print("RESULT " + json.dumps({"first": round(first, 4), "second": round(second, 4), "traces": traces,
                              "new_signature": new_signature}))
