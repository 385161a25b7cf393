# oracle: TFV101
# fix: safe
# before: {"grads": [6.0, null], "still_variable": false}
# after: {"grads": [6.0, 4.8, 3.84], "value": 1.536, "still_variable": true}
"""Case 1 with a Keras 3 `keras.Variable` (not a tf.Variable subclass): `kv = kv - lr * g` rebinds
it to a tensor just the same, and the tape's gradient is None from the second step on."""
import json

import keras
import tensorflow as tf

kv = keras.Variable(3.0)
grads = []
for step in range(3):
    with tf.GradientTape() as tape:
        loss = kv * kv
    grad = tape.gradient(loss, kv)
    grads.append(None if grad is None else round(float(grad), 4))
    if grad is None:
        break
    kv = kv - 0.1 * grad
print("RESULT " + json.dumps({"grads": grads, "value": round(float(kv.numpy()), 4),
                              "still_variable": isinstance(kv, keras.Variable)}))
