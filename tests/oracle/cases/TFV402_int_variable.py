# oracle: TFV402
# fix: unsafe
# before: {"gradient": null, "error": "ValueError: No gradients provided for any variable.", "counter": 0}
# after: {"gradient": 2.0, "error": null, "counter": -1.0}
# tf-semantics case 9: tf.Variable(0) is int32 and trainable; its gradient is None and the optimizer
# refuses. The fix gives it a float initial value.
import json

import tensorflow as tf

counter = tf.Variable(0)
optimizer = tf.keras.optimizers.SGD(learning_rate=0.5)
with tf.GradientTape() as tape:
    loss = counter * 2
gradients = tape.gradient(loss, [counter])
result = {"gradient": None if gradients[0] is None else round(float(gradients[0]), 4), "error": None}
try:
    optimizer.apply_gradients(zip(gradients, [counter]))
except ValueError as exc:
    result["error"] = f"{type(exc).__name__}: {str(exc).splitlines()[0]}"
result["counter"] = counter.numpy().item()
print("RESULT " + json.dumps(result))
