# oracle: TFV105
# fix: unsafe
# before: {"error": "KeyError", "message": "The optimizer cannot recognize variable Variable:0", "values": [2.5], "iterations": 1}
# after: {"error": null, "values": [2.5, 2.4009, 2.3022], "iterations": 3}
"""Case 4 in tf_keras (Keras 2): the re-created variable is unknown to the optimizer, which raises
KeyError ("The optimizer cannot recognize variable ...")."""
import json

import tensorflow as tf
import tf_keras

w = tf.Variable(3.0)
opt = tf_keras.optimizers.Adam(learning_rate=0.1)
values, error, message = [], None, None
try:
    for step in range(3):
        with tf.GradientTape() as tape:
            loss = w * w
        grad = tape.gradient(loss, w)
        opt.apply_gradients([(grad, w)])
        w = tf.Variable(tf.clip_by_value(w, -2.5, 2.5))
        values.append(round(float(w.numpy()), 4))
except KeyError as exc:
    error, message = type(exc).__name__, exc.args[0].split(". ")[0]
print("RESULT " + json.dumps({"error": error, "message": message,
                              "values": values, "iterations": int(opt.iterations.numpy())}))
