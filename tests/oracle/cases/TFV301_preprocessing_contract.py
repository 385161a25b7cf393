# oracle: TFV301
# fix: none
# before: {"keras_lookup": [[1, 3, 2], [2, 1, 3], [1, 3, 2]], "tf_keras_lookup": [[1, 3, 2], [2, 1, 3], [1, 3, 2]], "keras_adapt": [[2, 1, 3], [1, 3, 2], [2, 1, 3]], "tf_keras_adapt": [[2, 1, 3], [1, 3, 2], [2, 1, 3]], "normalization": [0.0, -1.8, 0.0], "remapped": [2, 1, 3], "shift": [[1.5], [0.0], [1.5]]}
"""Keras preprocessing layers keep their state constant for the graphs traced before `adapt` or
`set_vocabulary` (tf_keras documents it: "kept constant with respect to any compiled `tf.Graph`s
that call the layer ... re-compile"). Each triple is [traced before, eager after, traced after]
the change: Keras 3 and tf_keras `StringLookup` (`set_vocabulary`, `adapt`) and `Normalization.adapt`
all leave the earlier trace with the old state, and a new `map` sees the new one. So TFV301 leaves
state set in a Keras layer's `adapt`/`set_vocabulary` alone, and still reports a file that breaks the
contract itself: `Shift.adapt` after `predict`, whose cached function keeps the old offset."""
import json

import keras
import numpy as np
import tensorflow as tf
import tf_keras

words = tf.constant(["the", "fox", "quick"])


def triple(layer, x, change):
    @tf.function
    def f(s):
        return layer(s)

    before = np.asarray(f(x)).tolist()
    change(layer)
    return [before, np.asarray(layer(x)).tolist(), np.asarray(f(x)).tolist()]


result = {}
for name, lib in (("keras", keras), ("tf_keras", tf_keras)):
    lookup = lib.layers.StringLookup(vocabulary=["the", "quick", "fox"])
    result[name + "_lookup"] = triple(lookup, words, lambda l: l.set_vocabulary(["fox", "the", "quick"]))
    adapted = lib.layers.StringLookup()
    adapted.adapt(["the", "the", "quick", "fox", "fox", "fox"])
    result[name + "_adapt"] = triple(adapted, words, lambda l: l.adapt(["the", "the", "the", "quick", "quick", "fox"]))

norm = keras.layers.Normalization(axis=None)
norm.adapt(np.array([1.0, 3.0]))
result["normalization"] = [round(float(np.asarray(v).ravel()[0]), 4) for v in triple(norm, tf.constant([2.0]), lambda l: l.adapt(np.array([10.0, 30.0])))]

lookup = keras.layers.StringLookup(vocabulary=["the", "quick", "fox"])
tf.data.Dataset.from_tensors(words).map(lookup)
lookup.set_vocabulary(["fox", "the", "quick"])
remapped = tf.data.Dataset.from_tensors(words).map(lookup)
result["remapped"] = [int(v) for v in next(iter(remapped))]


class Shift(keras.layers.Layer):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.offset = 0.0

    def adapt(self, data):
        self.offset = float(sum(data)) / len(data)

    def call(self, inputs):
        return inputs - self.offset


shift = Shift()
model = keras.Sequential([shift])
model.compile()
x = np.array([[1.5]])
shift_results = [model.predict(x, verbose=0).tolist()[0]]
shift.adapt([1.0, 2.0])
shift_results.append(np.asarray(shift(x)).tolist()[0])
shift_results.append(model.predict(x, verbose=0).tolist()[0])
result["shift"] = shift_results
print("RESULT " + json.dumps(result))
