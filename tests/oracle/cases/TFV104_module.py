# oracle: TFV104
# fix: unsafe
# before: {"trainable_counts": [1, 0], "checkpoint_w": 3.0}
# after: {"trainable_counts": [1, 1], "checkpoint_w": 0.0}
"""Case 1b on a tf.Module: `self.w = tf.zeros(())` in a reset method replaces the variable made in
`__init__` with a tensor. It drops out of `trainable_variables` and checkpoints keep the old value."""
import json
import os

import tensorflow as tf


class Accumulator(tf.Module):
    def __init__(self):
        super().__init__()
        self.w = tf.Variable(3.0)

    def reset(self):
        self.w = tf.zeros(())


module = Accumulator()
counts = [len(module.trainable_variables)]
module.reset()
counts.append(len(module.trainable_variables))
path = tf.train.Checkpoint(module=module).save(os.path.join(os.getcwd(), "ckpt"))
print("RESULT " + json.dumps({
    "trainable_counts": counts,
    "checkpoint_w": round(float(tf.train.load_variable(path, "module/w/.ATTRIBUTES/VARIABLE_VALUE")), 4),
}))
