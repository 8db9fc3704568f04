"""What every benchmark needs first: the repository importable as
``semantic_segmentation`` (the name the plugin is installed under), through
the same link in the venv that `make install` and the tests use."""

import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PLUGINS = os.path.join(ROOT, "build", "qgis-plugins")


def import_plugin():
    """Make ``import semantic_segmentation`` work; return the folder to put on
    PYTHONPATH for child processes."""
    os.makedirs(PLUGINS, exist_ok=True)
    link = os.path.join(PLUGINS, "semantic_segmentation")
    if not os.path.islink(link):
        os.symlink(ROOT, link)
    if PLUGINS not in sys.path:
        sys.path.insert(0, PLUGINS)
    return PLUGINS
