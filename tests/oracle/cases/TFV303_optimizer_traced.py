# oracle: TFV303
# fix: none
# before: {"error": "ValueError", "singleton": true, "w": [1.0, 2.0]}
# tf-semantics case 10: an optimizer built inside tf.function creates variables on every trace.
import json

import tensorflow as tf

w = tf.Variable([1.0, 2.0])


@tf.function
def train_step():
    optimizer = tf.keras.optimizers.Adam(0.1)
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum(w * w)
    optimizer.apply_gradients(zip(tape.gradient(loss, [w]), [w]))
    return loss


result = {"error": None}
try:
    train_step()
except ValueError as exc:
    result["error"] = type(exc).__name__
    result["singleton"] = "tf.function only supports singleton tf.Variables created on the first call" in str(exc)
result["w"] = w.numpy().astype(float).round(4).tolist()
print("RESULT " + json.dumps(result))
