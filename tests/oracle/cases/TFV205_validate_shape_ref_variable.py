# oracle: TFV205
# fix: unsafe
# isolate: true
# before: {"value": [1.0, 2.0, 3.0], "error": null}
# after: {"error": "ValueError"}
# Why the fix is unsafe with `validate_shape=False`: TF1 reference variables (disable_v2_behavior)
# honour it, and the method form has no such argument, so a shape-changing assign then fails.
import json

import tensorflow as tf

tf.compat.v1.disable_v2_behavior()
v = tf.compat.v1.Variable([1.0, 2.0])
result = {"error": None}
try:
    op = tf.compat.v1.assign(v, [1.0, 2.0, 3.0], validate_shape=False)
    with tf.compat.v1.Session() as session:
        session.run(tf.compat.v1.global_variables_initializer())
        result["value"] = session.run(op).astype(float).round(4).tolist()
except ValueError as exc:
    result["error"] = type(exc).__name__
print("RESULT " + json.dumps(result))
