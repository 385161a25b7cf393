# oracle: TFV101
# fix: safe
# before: {"error": "AttributeError", "message": "'tensorflow.python.framework.ops.EagerTensor' object has no attribute '_unique_id'"}
# after: {"error": null, "values": [2.91, 2.8227, 2.738], "still_variable": true}
"""Case 1: weight decay written as `w = w * 0.99` before `apply_gradients`. The rebound name holds a
tensor, which the Keras 3 optimizer cannot update."""
import json

import keras
import tensorflow as tf

w = tf.Variable(3.0)
opt = keras.optimizers.SGD(learning_rate=0.01)
values, error, message = [], None, None
try:
    for step in range(3):
        with tf.GradientTape() as tape:
            loss = w * w
        grad = tape.gradient(loss, w)
        w = w * 0.99
        opt.apply_gradients([(grad, w)])
        values.append(round(float(w.numpy()), 4))
except AttributeError as exc:
    error, message = type(exc).__name__, str(exc)
print("RESULT " + json.dumps({"error": error, "message": message, "values": values,
                              "still_variable": isinstance(w, tf.Variable)}))
