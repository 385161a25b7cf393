"""flake8-tfv: find and fix the ways Python code silently fails to update TensorFlow and Keras state."""
__version__ = "0.1.0"
