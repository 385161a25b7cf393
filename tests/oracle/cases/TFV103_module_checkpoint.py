# oracle: TFV103
# fix: safe
# before: {"trainable": ["UnreadVariable"], "grads": [null], "save_error": "ValueError", "message": "substring not found"}
# after: {"trainable": ["w:0"], "grads": [2.0], "save_error": null, "restored": 2.0}
"""Case 15 on a tf.Module: `self.w = self.w.assign_sub(1.0)` puts the `_UnreadVariable` in the
module. It is listed in `trainable_variables` but gets a None gradient, and saving a checkpoint
raises ValueError ("substring not found")."""
import json
import os

import tensorflow as tf


class Decay(tf.Module):
    def __init__(self):
        super().__init__()
        self.w = tf.Variable(3.0, name="w")

    def step(self):
        self.w = self.w.assign_sub(1.0)


module = Decay()
module.step()
with tf.GradientTape() as tape:
    loss = 2.0 * module.w
grads = tape.gradient(loss, module.trainable_variables)
save_error, message, restored = None, None, None
try:
    path = tf.train.Checkpoint(module=module).save(os.path.join(os.getcwd(), "ckpt"))
    restored = round(float(tf.train.load_variable(path, "module/w/.ATTRIBUTES/VARIABLE_VALUE")), 4)
except ValueError as exc:
    save_error, message = type(exc).__name__, str(exc)
print("RESULT " + json.dumps({
    "trainable": [v.name for v in module.trainable_variables],
    "grads": [None if g is None else round(float(g), 4) for g in grads],
    "save_error": save_error, "message": message, "restored": restored,
}))
