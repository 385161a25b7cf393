# oracle: TFV307
# fix: unsafe
# before: {"scaled_traces": 6, "pick_traces": 6, "picked": 30.0, "tensor_index": "TypeError: list indices must be integers or slices, not SymbolicTensor"}
# after: {"scaled_traces": 1, "pick_traces": 6, "picked": 30.0, "tensor_index": "TypeError: list indices must be integers or slices, not SymbolicTensor"}
"""A Python int that indexes a list passed in the same call must stay an int: a tensor index
into a Python list raises TypeError while tracing, so `pick` keeps one trace per index (not
reported), while `scaled`, which only computes with the number, gets one trace from a tensor."""
import json

import tensorflow as tf


@tf.function
def scaled(x, factor):
    return x * tf.cast(factor, x.dtype)


@tf.function
def pick(values, i):
    return values[i] * 2.0


values = [tf.constant(float(k)) for k in range(6)]
picked = 0.0
for i in range(6):
    scaled(tf.constant(1.0), i)
    picked += float(pick(values, i))
try:
    pick(values, tf.constant(1))
    tensor_index = "no error"
except TypeError as err:
    tensor_index = str(err).splitlines()[-1].strip()
print("RESULT " + json.dumps({
    "scaled_traces": scaled.experimental_get_tracing_count(),
    "pick_traces": pick.experimental_get_tracing_count(),
    "picked": picked,
    "tensor_index": tensor_index,
}))
