# oracle: TFV307
# fix: unsafe
# before: {"traces": 10, "total": 45.0}
# after: {"traces": 1, "total": 45.0}
"""Case 8f: ten calls with the Python ints 0..9 make ten traces (`reduce_retracing=True` does not
help); `tf.constant(i)` makes one."""
import json

import tensorflow as tf


@tf.function(reduce_retracing=True)
def scaled(x, factor):
    return x * tf.cast(factor, x.dtype)


total = 0.0
for i in range(10):
    total += float(scaled(tf.constant(1.0), i))
print("RESULT " + json.dumps({"traces": scaled.experimental_get_tracing_count(), "total": round(total, 4)}))
