# oracle: TFV101
# fix: safe
# before: {"still_variable": false, "grads": [null], "tracked": [[1.0, 1.0], [1.0, 1.0]]}
# after: {"still_variable": true, "grads": [[[1.0, 1.0], [1.0, 1.0]]], "tracked": [[0.5, 0.5], [0.5, 0.5]]}
"""Case 1 with a matrix variable and a scalar step: `w = w - 0.5` rebinds `w` to a tensor. The fix must
keep the broadcast (`w.assign(w - 0.5)`): a tf.Variable's `assign_sub(0.5)` raises
InvalidArgumentError on a 2x2 variable."""
import json

import tensorflow as tf

w = tf.Variable(tf.ones((2, 2)))
variables = [w]
w = w - 0.5
with tf.GradientTape() as tape:
    loss = tf.reduce_sum(w)
grads = tape.gradient(loss, variables)
print("RESULT " + json.dumps({
    "still_variable": isinstance(w, tf.Variable),
    "grads": [None if g is None else g.numpy().tolist() for g in grads],
    "tracked": variables[0].numpy().tolist(),
}))
