"""The segmentation engine: plain functions over file paths and arrays.

Never imports qgis. Modules that need TensorFlow (training, prediction,
datasets, losses, the worker) import it themselves; the rest (raster I/O,
tiling, labels, metrics) stay TensorFlow-free so they may run inside QGIS.
"""
