# oracle: TFV102
# fix: safe
# before: {"error": "RuntimeError", "message": "Exception encountered when calling layer 'total' (type Total).", "total": 0.0}
# after: {"error": null, "total": 3.0}
"""Case 2 in tf_keras (Keras 2): `add_weight` returns a tf.Variable, so `self.total += x` in `call`
raises RuntimeError (wrapped by Keras) and the weight is never updated."""
import json

import tensorflow as tf
import tf_keras


class Total(tf_keras.layers.Layer):
    def build(self, input_shape):
        self.total = self.add_weight(name="total", shape=(), initializer="zeros", trainable=False)

    def call(self, x):
        self.total += tf.reduce_sum(x)
        return x


layer = Total(name="total")
layer.build(())
error, message = None, None
try:
    layer(tf.constant([1.0, 2.0]))
except RuntimeError as exc:
    error, message = type(exc).__name__, str(exc).splitlines()[0]
print("RESULT " + json.dumps({"error": error, "message": message,
                              "total": round(float(layer.non_trainable_weights[0].numpy()), 4)}))
