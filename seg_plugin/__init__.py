"""The QGIS side: plugin class, Processing provider, worker client, styles."""
