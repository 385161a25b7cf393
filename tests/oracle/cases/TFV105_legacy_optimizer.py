# oracle: TFV105
# fix: unsafe
# before: {"error": null, "optimizer_weights": 13, "values": [2.5, 2.1279, 1.8085, 1.518, 1.2452, 0.9842]}
# after: {"error": null, "optimizer_weights": 3, "values": [2.5, 2.0044, 1.5177, 1.0459, 0.5969, 0.1804]}
"""Case 4 with a tf_keras legacy optimizer: it silently accepts each re-created variable, makes fresh
slots for it (13 optimizer weights after 6 steps instead of 3) and so starts its state over every
step, which changes the trajectory."""
import json

import tensorflow as tf
import tf_keras

w = tf.Variable(3.0)
opt = tf_keras.optimizers.legacy.Adam(learning_rate=0.5)
values, error = [], None
try:
    for step in range(6):
        with tf.GradientTape() as tape:
            loss = w * w
        grad = tape.gradient(loss, w)
        opt.apply_gradients([(grad, w)])
        w = tf.Variable(tf.clip_by_value(w, -10.0, 10.0))
        values.append(round(float(w.numpy()), 4))
except Exception as exc:  # noqa: BLE001 - the claim is that nothing is raised
    error = type(exc).__name__
print("RESULT " + json.dumps({"error": error, "optimizer_weights": len(opt.weights), "values": values}))
