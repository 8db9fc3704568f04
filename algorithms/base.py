"""What every algorithm of the provider shares: naming, help, progress and errors.

Subclasses declare parameters and, in ``processAlgorithm``, turn them into
plain values and call one engine function (or the worker) through
:meth:`SegAlgorithm.run_engine`, which maps engine errors to
QgsProcessingException and feedback to an engine Progress.
"""

from qgis.core import (
    QgsProcessingAlgorithm,
    QgsProcessingException,
    QgsProcessingParameterDefinition,
    QgsProcessingParameterNumber,
)
from qgis.PyQt.QtGui import QIcon

from ..engine.errors import Cancelled, SegError
from ..engine.progress import Progress
from ..seg_plugin.i18n import tr, tr_engine, tr_exception
from ..seg_plugin.provider import ICON


INTEGER = QgsProcessingParameterNumber.Type.Integer
DOUBLE = QgsProcessingParameterNumber.Type.Double
# Vector files the engine opens with OGR; other sources are copied to a GeoPackage.
OGR_FORMATS = ["gpkg", "shp"]


def feedback_progress(feedback, start=0.0, end=1.0):
    """An engine Progress that reports to ``feedback`` and follows its cancel."""

    def callback(value):
        if feedback is None:
            return True
        if value is not None:
            feedback.setProgress(100.0 * value)
        return not feedback.isCanceled()

    def log(message):
        # an engine Message: English text carrying its template and values
        if feedback is not None:
            template = getattr(message, "template", None)
            feedback.pushInfo(tr_engine(template, message.values, fallback=str(message))
                              if template else str(message))

    return Progress(callback, log, start, end)


class SegAlgorithm(QgsProcessingAlgorithm):
    """Base class: subclasses set NAME, DISPLAY and HELP and the usual methods."""

    NAME = ""
    DISPLAY = ""
    HELP = ""

    def tr(self, text):
        return tr(text)

    def name(self):
        return self.NAME

    def displayName(self):  # noqa: N802
        return tr(self.DISPLAY)

    def group(self):
        return tr("Semantic segmentation")

    def groupId(self):  # noqa: N802
        return "segmentation"

    def shortHelpString(self):  # noqa: N802
        return tr(self.HELP)

    def icon(self):
        return QIcon(ICON)

    def createInstance(self):  # noqa: N802
        return type(self)()

    def add_advanced(self, *parameters):
        """Add parameters shown under "Advanced parameters" in the dialog."""
        for parameter in parameters:
            parameter.setFlags(parameter.flags()
                               | QgsProcessingParameterDefinition.Flag.FlagAdvanced)
            self.addParameter(parameter)

    def ogr_path(self, parameters, name, context, feedback):
        """A GeoPackage or Shapefile path of a feature-source parameter, for the engine.

        QGIS writes a GeoPackage copy of any other source (memory layer,
        selected features only, another format).
        """
        return self.parameterAsCompatibleSourceLayerPath(
            parameters, name, context, OGR_FORMATS, "gpkg", feedback)

    def run_engine(self, function, feedback, *args, **kwargs):
        """Call an engine function with a Progress bound to ``feedback``.

        Engine errors become QgsProcessingException; a cancel raises one too,
        after the engine has removed its partial outputs.
        """
        progress = feedback_progress(feedback)
        try:
            return function(*args, progress=progress, **kwargs)
        except Cancelled as exc:
            raise QgsProcessingException(tr("Cancelled: no output was written.")) from exc
        except SegError as exc:
            raise QgsProcessingException(tr_exception(exc)) from exc
