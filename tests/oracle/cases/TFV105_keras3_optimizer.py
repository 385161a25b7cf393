# oracle: TFV105
# fix: unsafe
# before: {"error": "ValueError", "message": "Unknown variable", "built_with_old": true, "values": [2.5], "iterations": 1}
# after: {"error": null, "values": [2.5, 2.4009, 2.3022], "iterations": 3}
"""Case 4: re-creating the variable to clip it (`w = tf.Variable(tf.clip_by_value(w, ...))`) hands a
Keras 3 optimizer a variable it was not built for: apply_gradients raises ValueError
("Unknown variable: ... This optimizer can only be called for the variables it was originally built with")."""
import json

import keras
import tensorflow as tf

w = tf.Variable(3.0)
opt = keras.optimizers.Adam(learning_rate=0.1)
values, error, message, built_with_old = [], None, None, False
try:
    for step in range(3):
        with tf.GradientTape() as tape:
            loss = w * w
        grad = tape.gradient(loss, w)
        opt.apply_gradients([(grad, w)])
        w = tf.Variable(tf.clip_by_value(w, -2.5, 2.5))
        values.append(round(float(w.numpy()), 4))
except ValueError as exc:
    error, message = type(exc).__name__, str(exc).split(":")[0]
    built_with_old = "can only be called for the variables it was originally built with" in str(exc)
print("RESULT " + json.dumps({"error": error, "message": message, "built_with_old": built_with_old,
                              "values": values, "iterations": int(opt.iterations.numpy())}))
