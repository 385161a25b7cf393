# oracle: TFV301
# fix: none
# before: {"shape_inference": {"keras_built": 1, "keras_fit": 0, "tf_keras_built": 0, "tf_keras_fit": 0}, "predictions": [2.0, 2.0], "eager": 3.0}
"""A Keras layer's shape inference is set-up: Keras 3 runs `compute_output_shape` once, when the
functional model is built on symbolic inputs, tf_keras not even then, and neither runs it during
fit or predict; what it stores is there before the traces that read it. A plain method that writes
what `call` reads between two `predict`s is not seen by the traced predict function."""
import json

import keras
import numpy as np
import tf_keras

counts = {"keras_built": 0, "keras_fit": 0, "tf_keras_built": 0, "tf_keras_fit": 0}
phase = ["built"]


class Shaped(keras.layers.Layer):
    def __init__(self):
        super().__init__()
        self.scale = {"x": 1.0}

    def call(self, x):
        return x * self.scale["x"]

    def compute_output_shape(self, input_shape):
        counts[f"keras_{phase[0]}"] += 1
        self.scale["x"] = 2.0
        return input_shape

    def set_scale(self, value):
        self.scale["x"] = value


class LegacyShaped(tf_keras.layers.Layer):
    def __init__(self):
        super().__init__()
        self.scale = {"x": 1.0}

    def call(self, x):
        return x * self.scale["x"]

    def compute_output_shape(self, input_shape):
        counts[f"tf_keras_{phase[0]}"] += 1
        self.scale["x"] = 2.0
        return input_shape


x = np.ones((4, 1), "float32")
models = {}
for name, base, layer in (("keras", keras, Shaped()), ("tf_keras", tf_keras, LegacyShaped())):
    phase[0] = "built"
    inputs = base.Input((1,))
    model = base.Model(inputs, layer(inputs))
    model.compile(optimizer="sgd", loss="mse")
    phase[0] = "fit"
    model.fit(x, x, epochs=2, verbose=0, batch_size=2)
    model.predict(x, verbose=0)
    models[name] = (model, layer)

model, layer = models["keras"]
first = float(model.predict(x, verbose=0)[0, 0])
layer.set_scale(3.0)
second = float(model.predict(x, verbose=0)[0, 0])
eager = float(layer(x)[0, 0])
print("RESULT " + json.dumps({"shape_inference": counts, "predictions": [first, second], "eager": eager}))
