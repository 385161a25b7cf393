# oracle: TFV304
# fix: none
# before: {"calls": 1, "steps": 1, "log": 1, "keras_batches": 2, "out_of_scope": "TypeError"}
"""Case 8e: `+=` on a global and on a `self` attribute, and `append` to an outer list, run once per
trace: after 3 (5) calls they show 1. Keras `fit` over 8 batches runs a Python counter in
`train_step` twice (once per traced function it builds). The appended tensor is a graph tensor
that cannot be used afterwards."""
import json

import keras
import numpy as np
import tensorflow as tf

calls = 0
log = []


@tf.function
def step(x):
    global calls
    calls += 1
    log.append(x * 2)
    return x


for i in range(3):
    step(tf.constant(float(i)))


class Module(tf.Module):
    def __init__(self):
        super().__init__()
        self.steps = 0

    @tf.function
    def __call__(self, x):
        self.steps += 1
        return x


module = Module()
for i in range(5):
    module(tf.constant(float(i)))


class Counting(keras.Model):
    def __init__(self):
        super().__init__()
        self.dense = keras.layers.Dense(1)
        self.batches = 0

    def call(self, x):
        return self.dense(x)

    def train_step(self, data):
        self.batches += 1
        return super().train_step(data)


model = Counting()
model.compile(optimizer="sgd", loss="mse")
model.fit(np.ones((32, 2), "float32"), np.ones((32, 1), "float32"), batch_size=4, epochs=1, verbose=0)
try:
    float(log[0] + 1)
    out_of_scope = None
except TypeError as exc:
    out_of_scope = type(exc).__name__ if "out of scope" in str(exc) else str(exc)[:60]
print("RESULT " + json.dumps({"calls": calls, "steps": module.steps, "log": len(log),
                              "keras_batches": model.batches, "out_of_scope": out_of_scope}))
