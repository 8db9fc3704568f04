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
        """Run the engine's self-check in a background task; when the engine cannot run,
        say so in one line of the message bar, with a button that opens "Set up the
        engine" (the whole message, with what to do by hand, goes to the log)."""
        from qgis.core import QgsTask

        from .dependencies import self_check
        from .engine_setting import python_interpreter

        if self.provider is None or self._engine_task is not None:
            return
        python = python_interpreter()  # settings are read here, on the GUI thread
        self._engine_task = QgsTask.fromFunction(
            tr("Semantic Segmentation: checking the engine's Python"),
            lambda task: self_check(python), on_finished=self._engine_checked,
            flags=QgsTask.Flag.CanCancel)
        QgsApplication.taskManager().addTask(self._engine_task)

    def _engine_checked(self, exception, status=None):
        from qgis.core import Qgis, QgsMessageLog

        from .dependencies import headline, status_message

        self._engine_task = None
        if self.provider is None:  # unloaded meanwhile
            return
        if exception is not None:
            status = {"python": "?", "ready": False, "error": str(exception), "missing": [],
                      "problems": []}
        if status["ready"]:
            QgsMessageLog.logMessage(
                tr("The engine's Python {0} is ready: TensorFlow {1}, Keras {2}.").format(
                    status["python"], status.get("tensorflow", ""), status.get("keras", "")),
                tr("Semantic Segmentation"), Qgis.MessageLevel.Info)
            return
        QgsMessageLog.logMessage(status_message(status), tr("Semantic Segmentation"),
                                 Qgis.MessageLevel.Warning)
        if self.iface is not None:
            self.push_setup_message(headline(status))

    def push_setup_message(self, text):
        """One line in the message bar with a "Set up the engine…" button."""
        from qgis.core import Qgis
        from qgis.PyQt.QtWidgets import QPushButton

        bar = self.iface.messageBar()
        item = bar.createMessage(tr("Semantic Segmentation"),
                                 text + " " + tr("Details are in the Log Messages panel."))
        button = QPushButton(tr("Set up the engine…"), item)
        button.setObjectName("semsegSetUpEngine")

        def open_setup():
            bar.popWidget(item)
            self.open_setup_dialog()

        button.clicked.connect(open_setup)
        item.layout().addWidget(button)
        bar.pushWidget(item, Qgis.MessageLevel.Warning, 0)
        return item

    @staticmethod
    def open_setup_dialog():
        """The "Set up the engine" algorithm's own dialog."""
        import processing

        return processing.execAlgorithmDialog("semseg:setupengine")

    def unload(self):
        if self.provider is not None:
            QgsApplication.processingRegistry().removeProvider(self.provider)
            self.provider = None
