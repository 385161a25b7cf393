# oracle: TFV105
# fix: unsafe
# before: {"outputs": [2.0, 2.0], "scale": 3.0}
# after: {"outputs": [2.0, 3.0], "scale": 3.0}
"""Case 8c: a tf.function captures the variable it saw when traced. Re-creating the variable with
`scale = tf.Variable(3.0)` leaves the traced function reading the old one: silently stale."""
import json

import tensorflow as tf

scale = tf.Variable(2.0)


@tf.function
def apply(x):
    return x * scale


outputs = [round(float(apply(tf.constant(1.0))), 4)]
scale = tf.Variable(3.0)
outputs.append(round(float(apply(tf.constant(1.0))), 4))
print("RESULT " + json.dumps({"outputs": outputs, "scale": round(float(scale.numpy()), 4)}))
