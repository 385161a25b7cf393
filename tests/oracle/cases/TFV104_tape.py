# oracle: TFV104
# fix: unsafe
# before: {"grads": [null, null], "is_variable": false}
# after: {"grads": [4.0, 4.0], "is_variable": true}
"""Case 1b in a tape loop: restarting from a value with `w = tf.constant(2.0)` replaces the variable
created before the loop with a tensor, which the tape does not watch: every gradient is None."""
import json

import tensorflow as tf

w = tf.Variable(1.0)
grads = []
for restart in range(2):
    w = tf.constant(2.0)
    with tf.GradientTape() as tape:
        loss = w * w
    grad = tape.gradient(loss, w)
    grads.append(None if grad is None else round(float(grad), 4))
print("RESULT " + json.dumps({"grads": grads, "is_variable": isinstance(w, tf.Variable)}))
