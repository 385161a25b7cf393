# oracle: TFV401
# fix: unsafe
# before: {"w": [2.4, -1.8], "iterations": 1}
# after: {"w": [2.2912, -2.164], "iterations": 8}
# tf-semantics case 10: a new Adam every step restarts its moments (each step moves w by exactly
# lr per coordinate); hoisted, it keeps them across the 8 steps.
import json

import tensorflow as tf

w = tf.Variable([0.0, 0.0])
target = tf.constant([3.0, -2.0])
for step in range(8):
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum((w - target) ** 2)
    grads = tape.gradient(loss, [w])
    optimizer = tf.keras.optimizers.Adam(0.3)
    optimizer.apply_gradients(zip(grads, [w]))

result = {"w": w.numpy().astype(float).round(4).tolist(), "iterations": int(optimizer.iterations.numpy())}
print("RESULT " + json.dumps(result))
