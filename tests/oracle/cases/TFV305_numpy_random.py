# oracle: TFV305
# fix: unsafe
# before: {"distinct": 1, "dataset_distinct": 1}
# after: {"distinct": 5, "dataset_distinct": 4}
"""NumPy and Python randomness in traced code is drawn once, at trace time: five calls of the
tf.function return the same number, and every element of a mapped dataset gets the same offset.
The `tf.random` equivalents draw on every call and for every element."""
import json
import random

import numpy as np
import tensorflow as tf


@tf.function
def noisy(x):
    return x + np.random.uniform(0.0, 1.0)


values = {round(float(noisy(tf.constant(0.0))), 6) for _ in range(5)}


def offset(x):
    return tf.cast(x, tf.float32) * 0.0 + random.uniform(0.0, 1.0)


dataset = tf.data.Dataset.range(4).map(offset)
elements = {round(float(e), 6) for e in dataset}
print("RESULT " + json.dumps({"distinct": len(values), "dataset_distinct": len(elements)}))
