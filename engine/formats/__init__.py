"""File formats, one owner each: dataset.json and its split files, the model file's
metadata, ONNX files. Depends on the engine's top level only.

Imports nothing: importing a module of this package must not pull in others."""
