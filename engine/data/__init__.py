"""Rasters, vectors and chips: GDAL windows, sources at a resolution, label
colours, splits, tiling a scene into a dataset, reading a dataset.
Depends on the top level and formats.

Imports nothing: importing a module of this package must not pull in others."""
