"""Where the plugin's own files are: a leaf module, imported by the provider and
the algorithms alike (so neither imports the other for a path)."""

import os

PLUGIN_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ICON = os.path.join(PLUGIN_DIR, "resources", "icon.svg")
MODELS_DIR = os.path.join(PLUGIN_DIR, "resources", "models")
