"""The plugin object QGIS creates: registers the Processing provider."""

from qgis.core import QgsApplication

from .i18n import install_translator


class SegmentationPlugin:
    """Loads the translation and the ``semseg`` Processing provider."""

    def __init__(self, iface):
        self.iface = iface
        self.provider = None
        self.translator = install_translator()

    def initProcessing(self):  # noqa: N802 (QGIS's name)
        from .provider import SegmentationProvider

        self.provider = SegmentationProvider()
        QgsApplication.processingRegistry().addProvider(self.provider)

    def initGui(self):  # noqa: N802
        self.initProcessing()

    def unload(self):
        if self.provider is not None:
            QgsApplication.processingRegistry().removeProvider(self.provider)
            self.provider = None
