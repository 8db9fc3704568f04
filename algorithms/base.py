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
    QgsProcessingParameterEnum,
    QgsProcessingParameterNumber,
)
from qgis.PyQt.QtGui import QIcon

from ..engine import options
from ..engine.errors import Cancelled, SegError
from ..engine.progress import Progress
from ..seg_plugin.i18n import tr, tr_engine, tr_exception
from ..seg_plugin.provider import ICON


INTEGER = QgsProcessingParameterNumber.Type.Integer
DOUBLE = QgsProcessingParameterNumber.Type.Double
# Vector files the engine opens with OGR; other sources are copied to a GeoPackage.
OGR_FORMATS = ["gpkg", "shp"]
# The dialogs' widget for option parameters, by dotted path: Processing imports it (and
# with it processing.gui) only when a dialog is built, never in qgis_process.
OPTION_WIDGET = __name__.rsplit(".", 2)[0] + ".seg_plugin.option_widget.OptionWidgetWrapper"


def option_parameter(name, description, key, default=None, optional=False):
    """An enum parameter whose values are the names of option set ``key`` (engine/options.py).

    Static strings: ``qgis_process``, batch files and saved models say
    ``LOSS=dice``, and the algorithm reads the name with parameterAsEnumString.
    The dialogs show the options' labels, translated (seg_plugin/option_widget.py);
    the metadata carries them and the option set's key.
    """
    names = options.names(key)
    if key in options.UNTRANSLATED:
        labels = options.labels(key)
    else:
        labels = [tr(label) for label in options.labels(key)]
    parameter = QgsProcessingParameterEnum(
        name, description, options=names, allowMultiple=False,
        defaultValue=options.default(key) if default is None else default,
        optional=optional, usesStaticStrings=True)
    parameter.setMetadata({"option_set": key,
                           "widget_wrapper": {"class": OPTION_WIDGET, "labels": labels}})
    return parameter


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

    def checkParameterValues(self, parameters, context):  # noqa: N802 (QGIS's name)
        """QGIS's checks, after ours of the option parameters, whose error lists the names.

        QGIS rejects a value that is not one of a static-string enum's names with
        "Incorrect parameter value"; this says which names are valid, and that a
        position (``METHOD=1``, as plugin versions before names took) no longer is.
        """
        for definition in self.parameterDefinitions():
            if not definition.metadata().get("option_set"):
                continue
            value = parameters.get(definition.name())
            if value is None or isinstance(value, bool) \
                    or not isinstance(value, (str, int, float)):
                continue  # not given (the default), or data-defined: QGIS checks those
            if str(value) in definition.options() or (value == "" and definition.flags()
                                                      & definition.Flag.FlagOptional):
                continue
            return False, tr("{0}: {1} is not an option; give one of these names: {2}.").format(
                definition.name(), repr(value), ", ".join(definition.options()))
        return super().checkParameterValues(parameters, context)

    def option(self, parameters, name, context):
        """The name chosen for the option parameter ``name`` (a static string)."""
        return self.parameterAsEnumString(parameters, name, context)

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
