# oracle: TFV302
# fix: unsafe
# before: {"first": 2.0, "second": 2.0, "traces": 1, "old_collected": true}
# after: {"first": 2.0, "second": 10.0, "traces": 1}
"""Case 8c: a tf.Variable captured by a tf.function and rebound to a new variable afterwards. The
trace keeps the old variable's resource, silently, even after the old Python object is gone;
`v.assign(5.0)` updates the captured variable and the next call sees it."""
import gc
import json
import weakref

import tensorflow as tf

v = tf.Variable(1.0)
old = weakref.ref(v)


@tf.function
def double():
    return v * 2


first = float(double())
v = tf.Variable(5.0)
gc.collect()
second = float(double())
result = {"first": first, "second": second, "traces": double.experimental_get_tracing_count()}
if old() is not v:
    result["old_collected"] = old() is None
print("RESULT " + json.dumps(result))
