"""What every algorithm of the provider shares: naming, help, progress and errors.

Subclasses declare parameters and, in ``processAlgorithm``, turn them into
plain values and call one engine function (or the worker) through
:meth:`SegAlgorithm.run_engine`, which maps engine errors to
QgsProcessingException and feedback to an engine Progress.

No traceback reaches a user: every subclass's ``processAlgorithm`` is wrapped
(:func:`guarded`) so that it first checks that its output paths can be
written (the error names the parameter, and nothing is left behind), and
that any error it lets through becomes a QgsProcessingException: engine
errors with their own message, anything unforeseen with the algorithm's name
and the error's text, its traceback only in the log's debug information.
"""

import functools
import traceback

from qgis.core import (
    QgsProcessingAlgorithm,
    QgsProcessingException,
    QgsProcessingOutputLayerDefinition,
    QgsProcessingParameterDefinition,
    QgsProcessingParameterEnum,
    QgsProcessingParameterFolderDestination,
    QgsProcessingParameterNumber,
    QgsProcessingParameterRasterLayer,
    QgsProperty,
)
from qgis.PyQt.QtGui import QIcon

from ..engine import options, outputs
from ..engine.errors import Cancelled, SegError
from ..engine.progress import Progress
from ..seg_plugin.i18n import tr, tr_message
from ..seg_plugin.layers import bare_web_layer
from ..seg_plugin.paths import ICON


INTEGER = QgsProcessingParameterNumber.Type.Integer
DOUBLE = QgsProcessingParameterNumber.Type.Double
# Vector files the engine opens with OGR; other sources are copied to a GeoPackage.
OGR_FORMATS = ["gpkg", "shp"]
# The dialogs' widget for option parameters, by dotted path: Processing imports it (and
# with it processing.gui) only when a dialog is built, never in qgis_process.
OPTION_WIDGET = __name__.rsplit(".", 2)[0] + ".seg_plugin.option_widget.OptionWidgetWrapper"
# The algorithm dialog's widget for an optional input that a first run needs (an
# alternative under "Advanced parameters" can replace it): labelled without "[optional]".
REQUIRED_WIDGET = __name__.rsplit(".", 2)[0] + ".seg_plugin.required_widget.RequiredInputWrapper"


def option_parameter(name, description, key, default=None, optional=False, follows=None):
    """An enum parameter whose values are the names of option set ``key`` (engine/options.py).

    Static strings: ``qgis_process``, batch files and saved models say
    ``LOSS=dice``, and the algorithm reads the name with parameterAsEnumString.
    The dialogs show the options' labels, translated (seg_plugin/option_widget.py);
    the metadata carries them and the option set's key. ``follows``: the name of
    the parameter whose value decides which options the dialogs list (the
    Encoder follows the Model; seg_plugin/option_widget.py, FOLLOWERS).
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
    wrapper = {"class": OPTION_WIDGET, "labels": labels}
    if follows:
        wrapper["follows"] = follows
    parameter.setMetadata({"option_set": key, "widget_wrapper": wrapper})
    return parameter


def shown_as_required(parameter):
    """``parameter``, optional because an alternative can replace it, shown in the
    algorithm dialog without "[optional]" (seg_plugin/required_widget.py); the
    algorithm's checkParameterValues says when neither is given."""
    parameter.setMetadata({**parameter.metadata(),
                           "widget_wrapper": {"class": REQUIRED_WIDGET}})
    return parameter


def feedback_progress(feedback, start=0.0, end=1.0):
    """An engine Progress that reports to ``feedback`` and follows its cancel."""

    def callback(value, **_extra):  # extras (training's step, epoch...) are not shown
        if feedback is None:
            return True
        if value is not None:
            feedback.setProgress(100.0 * value)
        return not feedback.isCanceled()

    def log(message):
        # an engine Message: English text carrying its template and values
        if feedback is not None:
            text = tr_message(message)
            if getattr(message, "level", "info") == "warning":
                feedback.pushWarning(text)
            else:
                feedback.pushInfo(text)

    return Progress(callback, log, start, end)


def _static_string(value, context):
    """The text of a destination parameter's value (None when it has none)."""
    if isinstance(value, QgsProcessingOutputLayerDefinition):
        value = value.sink
    if isinstance(value, QgsProperty):
        value = value.valueAsString(context.expressionContext())
        value = value[0] if isinstance(value, tuple) else value
    return value if isinstance(value, str) else None


def _local_path(text):
    """``text`` when it names a local file, else None (temporary outputs,
    ``memory:``, ``ogr:...``, ``postgres://...`` are QGIS's to create)."""
    if not text or text == "TEMPORARY_OUTPUT":
        return None
    prefix = text.split("/", 1)[0].split("\\", 1)[0]
    if ":" in prefix and len(prefix) > 2:  # a scheme, not a Windows drive (C:)
        return None
    return text


def failure_message(algorithm, exc):
    """The text of the QgsProcessingException for an unforeseen error."""
    detail = str(exc).strip()
    detail = f"{type(exc).__name__}: {detail}" if detail else type(exc).__name__
    return tr("{0} failed: {1}").format(algorithm.displayName(), detail)


def guarded(process):
    """Wrap a ``processAlgorithm``: check the output paths first, and turn
    whatever it raises into a QgsProcessingException without a traceback."""

    @functools.wraps(process)
    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        try:
            self.check_destinations(parameters, context)
            return process(self, parameters, context, feedback)
        except QgsProcessingException:
            raise
        except Cancelled as exc:
            raise QgsProcessingException(tr("Cancelled: no output was written.")) from exc
        except SegError as exc:
            raise QgsProcessingException(tr_message(exc)) from exc
        except Exception as exc:  # the last-resort net: no traceback for the user
            if feedback is not None:
                feedback.pushDebugInfo(traceback.format_exc())
            raise QgsProcessingException(failure_message(self, exc)) from exc

    processAlgorithm.guarded = True
    return processAlgorithm


class SegAlgorithm(QgsProcessingAlgorithm):
    """Base class: subclasses set NAME, DISPLAY and HELP and the usual methods."""

    NAME = ""
    DISPLAY = ""
    HELP = ""

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        process = cls.__dict__.get("processAlgorithm")
        if process is not None and not getattr(process, "guarded", False):
            cls.processAlgorithm = guarded(process)

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
        # a web layer's URI without QGIS's provider prefix: QGIS checks it with one
        parameters = {name: "wms://" + value if bare_web_layer(value) and isinstance(
            self.parameterDefinition(name), QgsProcessingParameterRasterLayer) else value
            for name, value in parameters.items()}
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

    def advanced_except(self, *essential):
        """Put every input but the ``essential`` ones under "Advanced parameters".

        Called at the end of ``initAlgorithm``: the dialog then opens with what a
        first run needs, whatever parameters are added later. Outputs stay in
        the dialog's main part (QGIS 3.22 shows every output there)."""
        advanced = QgsProcessingParameterDefinition.Flag.FlagAdvanced
        for definition in self.parameterDefinitions():
            if definition.isDestination() or definition.name() in essential:
                continue
            definition.setFlags(definition.flags() | advanced)

    def ogr_path(self, parameters, name, context, feedback):
        """A GeoPackage or Shapefile path of a feature-source parameter, for the engine.

        QGIS writes a GeoPackage copy of any other source (memory layer,
        selected features only, another format).
        """
        return self.parameterAsCompatibleSourceLayerPath(
            parameters, name, context, OGR_FORMATS, "gpkg", feedback)

    def check_destinations(self, parameters, context):
        """A QgsProcessingException naming the parameter when an output file or
        folder cannot be written (a file in the way, a read-only folder)."""
        for definition in self.destinationParameterDefinitions():
            name = definition.name()
            path = _local_path(_static_string(parameters.get(name), context))
            if path is None:
                continue
            folder = isinstance(definition, QgsProcessingParameterFolderDestination)
            try:
                outputs.check_writable(path, folder=folder)
            except SegError as exc:
                raise QgsProcessingException(
                    tr("{0}: {1}").format(name, tr_message(exc))) from exc

    def check_input(self, parameter, function, *args, **kwargs):
        """``function(*args, **kwargs)``, an in-process engine check of an input;
        its error becomes a QgsProcessingException that names ``parameter``."""
        try:
            return function(*args, **kwargs)
        except SegError as exc:
            raise QgsProcessingException(
                tr("{0}: {1}").format(parameter, tr_message(exc))) from exc

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
            raise QgsProcessingException(tr_message(exc)) from exc
