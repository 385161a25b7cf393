# oracle: TFV401
# fix: unsafe
# before: {"w": [2.4967, -1.6645]}
# after: {"w": [4.5684, -3.0456]}
# tf-semantics case 10: a new momentum SGD every step degenerates into plain SGD.
import json

import tensorflow as tf

w = tf.Variable([0.0, 0.0])
target = tf.constant([3.0, -2.0])
for step in range(8):
    optimizer = tf.keras.optimizers.SGD(learning_rate=0.1, momentum=0.9)
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum((w - target) ** 2)
    optimizer.apply_gradients(zip(tape.gradient(loss, [w]), [w]))

print("RESULT " + json.dumps({"w": w.numpy().astype(float).round(4).tolist()}))
