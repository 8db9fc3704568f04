"""Where the plugin's own files are: a leaf module, imported by the provider and
the algorithms alike (so neither imports the other for a path)."""

import os

PLUGIN_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ICON = os.path.join(PLUGIN_DIR, "resources", "icon.svg")
MODELS_DIR = os.path.join(PLUGIN_DIR, "resources", "models")


def lasting_folder(*parts):
    """A folder under the user's home for outputs that must outlive QGIS's
    temporary folder (emptied when QGIS closes): ``~/semseg/<parts>``. The
    dialogs' default for a model and the sample data."""
    return os.path.join(os.path.expanduser("~"), "semseg", *parts)
