# oracle: TFV306
# fix: unsafe
# before: {"error": "NotImplementedError", "eager_only": true}
# after: {"value": 5.0}
"""Case 11: `v.numpy()` inside a tf.function raises NotImplementedError ("numpy() is only
available when eager execution is enabled"); without `.numpy()` the same update runs in the
graph."""
import json

import tensorflow as tf

v = tf.Variable(1.0)


@tf.function
def bump():
    v.assign(v.numpy() + 2)


try:
    bump()
    bump()
    result = {"value": round(float(v.numpy()), 4)}
except NotImplementedError as exc:
    result = {"error": type(exc).__name__, "eager_only": "only available when eager execution is enabled" in str(exc)}
print("RESULT " + json.dumps(result))
