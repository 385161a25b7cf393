# oracle: TFV306
# fix: none
# before: {"tf_function": 4, "map_error": "AttributeError", "inside_map": true}
"""`if tf.config.functions_run_eagerly(): x.numpy()` in a function mapped over a dataset. With
`run_functions_eagerly(True)` a tf.function runs as Python and the branch works there; Dataset.map
still traces its function, `functions_run_eagerly()` is True inside that trace too, and `.numpy()`
of the graph tensor raises AttributeError."""
import json

import tensorflow as tf

tf.config.run_functions_eagerly(True)
seen = []


def double(x):
    seen.append(bool(tf.config.functions_run_eagerly()))
    if tf.config.functions_run_eagerly():
        return x.numpy() * 2
    return x * 2


result = {"tf_function": int(tf.function(double)(tf.constant(2)))}
seen.clear()
try:
    list(tf.data.Dataset.range(3).map(double))
except Exception as err:  # noqa: BLE001 - the error is what the case records
    result["map_error"] = type(err).__name__
result["inside_map"] = seen[0]
print("RESULT " + json.dumps(result))
