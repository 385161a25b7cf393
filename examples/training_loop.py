"""A small training script with the mistakes flake8-tfv exists for. Try: tfv check examples/"""
import tensorflow as tf

w = tf.Variable(3.0)
b = tf.Variable(0.5)
step = tf.Variable(0.0)
lr = 0.1

for epoch in range(3):
    with tf.GradientTape() as tape:
        loss = (w * 2.0 + b - 1.0) ** 2
    dw, db = tape.gradient(loss, [w, b])
    w = w - lr * dw  # rebinding: the variable is never updated
    b = b.assign_sub(lr * db)  # rebinding to what assign_sub returns
    step += 1.0  # RuntimeError on a tf.Variable
