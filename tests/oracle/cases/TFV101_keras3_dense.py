# oracle: TFV101
# fix: safe
# before: {"error": "AttributeError", "message": "property 'kernel' of 'Dense' object has no setter", "kernel": 1.0}
# after: {"error": null, "kernel": 2.0}
"""Case 14 in Keras 3: a built-in Dense layer's `kernel` is a read-only property, so
`layer.kernel = layer.kernel * 2` raises AttributeError instead of scaling the weight."""
import json

import keras

dense = keras.layers.Dense(1, kernel_initializer="ones")
model = keras.Sequential([keras.Input(shape=(2,)), dense])

error, message = None, None
try:
    dense.kernel = dense.kernel * 2
except AttributeError as exc:
    error, message = type(exc).__name__, str(exc)

print("RESULT " + json.dumps({"error": error, "message": message,
                              "kernel": round(float(model.trainable_variables[0].numpy()[0, 0]), 4)}))
