"""The plugin object QGIS creates: registers the Processing provider."""

from qgis.core import QgsApplication

from .i18n import install_translator, tr

ENGINE_CHECK_DELAY_MS = 2000


class SegmentationPlugin:
    """Loads the translation and the ``semseg`` Processing provider."""

    def __init__(self, iface):
        self.iface = iface
        self.provider = None
        self._engine_task = None
        self.translator = install_translator()

    def initProcessing(self):  # noqa: N802 (QGIS's name)
        from .provider import SegmentationProvider

        self.provider = SegmentationProvider()
        QgsApplication.processingRegistry().addProvider(self.provider)

    def initGui(self):  # noqa: N802
        self.initProcessing()
        # Lazily, off the GUI thread: QGIS starts as fast as without the plugin.
        from qgis.PyQt.QtCore import QTimer

        QTimer.singleShot(ENGINE_CHECK_DELAY_MS, self.check_engine)

    def check_engine(self):
        """Run the engine's self-check in a background task; warn in the message bar if
        the engine cannot run (the message names what is missing and points to Set up
        the engine)."""
        from qgis.core import QgsTask

        from .dependencies import check_engine
        from .engine_setting import python_interpreter

        if self.provider is None or self._engine_task is not None:
            return
        python = python_interpreter()  # settings are read here, on the GUI thread
        self._engine_task = QgsTask.fromFunction(
            tr("Semantic Segmentation: checking the engine's Python"),
            lambda task: check_engine(python), on_finished=self._engine_checked,
            flags=QgsTask.Flag.CanCancel)
        QgsApplication.taskManager().addTask(self._engine_task)

    def _engine_checked(self, exception, result=None):
        from qgis.core import Qgis, QgsMessageLog

        self._engine_task = None
        if self.provider is None:  # unloaded meanwhile
            return
        if exception is not None:
            ok, message = False, str(exception)
        else:
            ok, message = result
        if ok:
            QgsMessageLog.logMessage(message, tr("Semantic Segmentation"), Qgis.MessageLevel.Info)
            return
        QgsMessageLog.logMessage(message, tr("Semantic Segmentation"), Qgis.MessageLevel.Warning)
        if self.iface is not None:
            self.iface.messageBar().pushMessage(
                tr("Semantic Segmentation"), message, Qgis.MessageLevel.Warning, 0)

    def unload(self):
        if self.provider is not None:
            QgsApplication.processingRegistry().removeProvider(self.provider)
            self.provider = None
