"""Predict Raster and Export Model: the window plan, the network call, the
stride and per-image runs, blending, the output rasters and "label next",
drift warnings, the ONNX export. Depends on the top level, formats and data.

Imports nothing: importing a module of this package must not pull in others."""
