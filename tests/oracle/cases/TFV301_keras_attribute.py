# oracle: TFV301
# fix: none
# before: {"losses": [1.0, 1.0, 1.0], "eager": 0.0}
"""Case 8b in Keras 3: `fit` traces the layer's `call` once; a Python attribute changed between
epochs (here from a callback, written as `gate.alpha = 0.0`) is never seen by the traced train
function, while an eager call of the layer sees it."""
import json

import keras
import numpy as np
import tensorflow as tf


class Gate(keras.layers.Layer):
    def __init__(self, alpha=1.0):
        super().__init__()
        self.alpha = alpha

    def call(self, x):
        return x * self.alpha


gate = Gate()
model = keras.Sequential([keras.Input((1,)), keras.layers.Dense(1, kernel_initializer="ones"), gate])
model.compile(optimizer=keras.optimizers.SGD(0.0), loss="mse")
x = np.ones((8, 1), "float32")
y = np.zeros((8, 1), "float32")
model.fit(x, y, epochs=1, verbose=0, batch_size=8)


class Switch(keras.callbacks.Callback):
    def on_epoch_begin(self, epoch, logs=None):
        if epoch:
            gate.alpha = 0.0


history = model.fit(x, y, epochs=3, verbose=0, batch_size=8, callbacks=[Switch()])
gate.alpha = 0.0
model.fit(x, y, epochs=1, verbose=0, batch_size=8)
eager = float(tf.reduce_sum(gate(tf.ones((1, 1)))))
print("RESULT " + json.dumps({"losses": [round(v, 4) for v in history.history["loss"]], "eager": eager}))
