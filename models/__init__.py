"""Keras segmentation networks built by name.

Importing this package loads nothing heavy: ``catalog`` is plain data that
QGIS may read; ``registry`` (which imports Keras) builds the networks.
"""
