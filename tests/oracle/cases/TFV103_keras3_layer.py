# oracle: TFV103
# fix: safe
# before: {"error": "AttributeError", "message": "'tensorflow.python.framework.ops.EagerTensor' object has no attribute 'assign_sub'", "tracked_w": 0.5, "w_is_variable": false}
# after: {"error": null, "tracked_w": 0.0, "w_is_variable": true}
"""Case 15 in Keras 3: `keras.Variable.assign_sub` returns a plain tensor, so
`self.w = self.w.assign_sub(0.5)` replaces the tracked weight with a tensor (as in case 3) and the
next update raises AttributeError."""
import json

import keras
import tensorflow as tf


class Decaying(keras.layers.Layer):
    def build(self, input_shape):
        self.w = self.add_weight(name="w", shape=(), initializer="ones")

    def call(self, x):
        return self.w * x

    def decay(self):
        self.w = self.w.assign_sub(0.5)


layer = Decaying()
layer(tf.constant(1.0))
error, message = None, None
try:
    layer.decay()
    layer.decay()
except AttributeError as exc:
    error, message = type(exc).__name__, str(exc)
print("RESULT " + json.dumps({"error": error, "message": message,
                              "tracked_w": round(float(layer.trainable_weights[0].numpy()), 4),
                              "w_is_variable": isinstance(layer.w, keras.Variable)}))
