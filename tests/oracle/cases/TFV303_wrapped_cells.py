# oracle: TFV303
# fix: none
# before: {"keras3_simple_cell": "ValueError", "keras3_stateful": "ValueError", "keras3_weightless": [24.0, 24.0, 90.0], "keras3_time_distributed": [24.0, 24.0, 90.0], "tf_keras_simple_cell": "ValueError", "tf_keras_stateful": "ValueError", "tf_keras_weightless": [24.0, 24.0, 90.0]}
"""An `RNN` made on every call of a tf.function raises the singleton ValueError when its cell
makes weights (`SimpleRNNCell`) or when it is `stateful=True` (it makes its state variables), in
Keras 3 and tf_keras; around a cell that makes no variables it works, called twice and retraced
with a new shape, and so does `TimeDistributed` around a layer without variables. TFV303 reports
the first two and stays silent on the others."""
import json

import keras
import tensorflow as tf
import tf_keras


class SumCell(keras.layers.Layer):
    """Makes no variables: its state is the running sum of its inputs."""

    def __init__(self, units, **kwargs):
        super().__init__(**kwargs)
        self.units = units

    @property
    def state_size(self):
        return self.units

    @property
    def output_size(self):
        return self.units

    def call(self, inputs, states):
        total = states[0] + inputs
        return total, [total]


class LegacySumCell(tf_keras.layers.AbstractRNNCell):
    def __init__(self, units, **kwargs):
        super().__init__(**kwargs)
        self.units = units

    @property
    def state_size(self):
        return self.units

    @property
    def output_size(self):
        return self.units

    def call(self, inputs, states):
        total = states[0] + inputs
        return total, [total]


@tf.function
def keras3_simple_cell(x):
    return keras.layers.RNN(keras.layers.SimpleRNNCell(3))(x)


@tf.function
def keras3_stateful(x):
    return keras.layers.RNN(SumCell(3), stateful=True)(x)


@tf.function
def keras3_weightless(x):
    return keras.layers.RNN(SumCell(3))(x)


@tf.function
def keras3_time_distributed(x):
    return keras.layers.TimeDistributed(keras.layers.Flatten())(x)


@tf.function
def tf_keras_simple_cell(x):
    return tf_keras.layers.RNN(tf_keras.layers.SimpleRNNCell(3))(x)


@tf.function
def tf_keras_stateful(x):
    return tf_keras.layers.RNN(LegacySumCell(3), stateful=True)(x)


@tf.function
def tf_keras_weightless(x):
    return tf_keras.layers.RNN(LegacySumCell(3))(x)


def outcome(run):
    try:
        shapes = [(2, 4, 3), (2, 4, 3), (5, 6, 3)]
        return [round(float(tf.reduce_sum(run(tf.ones(s)))), 4) for s in shapes]
    except ValueError as exc:
        assert "only supports singleton tf.Variables" in str(exc), exc
        return type(exc).__name__


result = {}
for run in (keras3_simple_cell, keras3_stateful, keras3_weightless, keras3_time_distributed,
            tf_keras_simple_cell, tf_keras_stateful, tf_keras_weightless):
    result[run.__name__] = outcome(run)
print("RESULT " + json.dumps(result))
