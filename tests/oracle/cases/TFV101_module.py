# oracle: TFV101
# fix: safe
# before: {"trainable_counts": [1, 0, 0], "w": 0.6, "checkpoint_w": 3.0}
# after: {"trainable_counts": [1, 1, 1], "w": 0.024, "checkpoint_w": 0.024}
"""Case 3: `self.w = self.w - lr * g` in a tf.Module. After the first step the variable drops out of
`trainable_variables`, so the loop silently trains nothing, and tf.train.Checkpoint saves the
stale variable."""
import json
import os

import tensorflow as tf


class Scale(tf.Module):
    def __init__(self):
        super().__init__()
        self.w = tf.Variable(3.0)

    def train_step(self, x, lr):
        with tf.GradientTape() as tape:
            loss = (self.w * x) ** 2
        for grad in tape.gradient(loss, self.trainable_variables):
            self.w = self.w - lr * grad


model = Scale()
counts = []
for step in range(3):
    counts.append(len(model.trainable_variables))
    model.train_step(2.0, 0.1)

path = tf.train.Checkpoint(model=model).save(os.path.join(os.getcwd(), "ckpt"))
saved = tf.train.load_variable(path, "model/w/.ATTRIBUTES/VARIABLE_VALUE")
print("RESULT " + json.dumps({"trainable_counts": counts, "w": round(float(model.w), 4),
                              "checkpoint_w": round(float(saved), 4)}))
