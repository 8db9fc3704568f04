"""Semantic Segmentation for QGIS: train and run deep segmentation networks
on your own imagery from the Processing Toolbox.

The repository root is the plugin folder. Nothing here imports QGIS or
TensorFlow at module level, so ``engine`` and ``models`` import without QGIS.
"""


def classFactory(iface):  # noqa: N802 (QGIS's name)
    """Entry point QGIS calls when it loads the plugin."""
    from .seg_plugin.plugin import SegmentationPlugin

    return SegmentationPlugin(iface)
