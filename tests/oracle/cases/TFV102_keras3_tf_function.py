# oracle: TFV102
# fix: safe
# before: {"error": "TypeError", "out_of_scope": true, "calls": 0}
# after: {"error": null, "out_of_scope": false, "calls": 2.0}
"""Case 2' under tf.function: a Keras 3 layer that counts its calls with `self.calls += 1.0` (a
`keras.Variable` from `add_weight`) leaks a graph tensor into the attribute while tracing, and the
first call raises TypeError ("... is out of scope and cannot be used here")."""
import json

import keras
import tensorflow as tf


class Counting(keras.layers.Layer):
    def build(self, input_shape):
        self.calls = self.add_weight(name="calls", shape=(), initializer="zeros", trainable=False)

    def call(self, x):
        self.calls += 1.0
        return x * 2.0


# Built on the first traced call, as a model's layers are.
layer = Counting()


@tf.function
def forward(x):
    return layer(x)


error, out_of_scope, calls = None, False, 0
try:
    forward(tf.constant(1.0))
    forward(tf.constant(2.0))
    calls = round(float(layer.non_trainable_weights[0].numpy()), 4)
except TypeError as exc:
    error, out_of_scope = type(exc).__name__, "is out of scope and cannot be used here" in str(exc)
print("RESULT " + json.dumps({"error": error, "out_of_scope": out_of_scope, "calls": calls}))
