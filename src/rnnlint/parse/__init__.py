"""Bytes -> documents with the line and column of every node (YAML, JSON, Jsonnet, Keras model files)."""
