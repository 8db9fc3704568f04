"""Write resources/models/segmentation_chain.model3: Tile Dataset -> Train Model ->
Predict Raster -> Evaluate as one graphical-modeler model.

The provider loads every ``resources/models/*.model3`` and offers it as
``semseg:<model name>``: this one is ``semseg:segmentationchain``, shown as
"Segmentation chain (tile, train, predict, evaluate)" (seg_plugin/provider.py,
model_titles). Its steps' options are stored by name (``METHOD=stride``).
Run this again after changing the chain, with QGIS's Python:

    /usr/bin/python3 scripts/make_chain_model.py [OUTPUT.model3]
"""

import os
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_OUTPUT = os.path.join(ROOT, "resources", "models", "segmentation_chain.model3")

NAME = "segmentationchain"  # the id: semseg:segmentationchain
GROUP = "Semantic segmentation"
HELP = ("Tiles the image and its label raster into a dataset, trains a segmentation "
        "model on it, predicts the whole image with the trained model and evaluates the "
        "prediction against the label. Training and prediction run in the engine's own "
        "Python process (with TensorFlow). Open the model in the graphical modeler to "
        "change the network, the loss or any other setting of the steps.")


def _qgis():
    """A headless QgsApplication with Processing and the semseg provider."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ["QT_HASH_SEED"] = "0"  # the same attribute order on every run: clean diffs
    plugins = os.path.join(ROOT, "build", "qgis-plugins")
    link = os.path.join(plugins, "semantic_segmentation")
    os.makedirs(plugins, exist_ok=True)
    if not os.path.islink(link):
        os.symlink(ROOT, link)
    sys.path.insert(0, plugins)
    sys.path.append("/usr/share/qgis/python/plugins")
    from qgis.core import QgsApplication

    app = QgsApplication([], False, tempfile.mkdtemp(prefix="semseg-model-profile-"))
    QgsApplication.setPrefixPath("/usr", True)
    app.initQgis()
    from processing.core.Processing import Processing

    Processing.initialize()
    from semantic_segmentation.seg_plugin.provider import SegmentationProvider

    provider = SegmentationProvider()
    QgsApplication.processingRegistry().addProvider(provider)
    return app, provider  # keep the provider's Python object alive


def build_model():
    """The chain as a QgsProcessingModelAlgorithm."""
    from qgis.core import (
        QgsProcessingModelAlgorithm,
        QgsProcessingModelChildAlgorithm,
        QgsProcessingModelChildParameterSource as Source,
        QgsProcessingModelOutput,
        QgsProcessingModelParameter,
        QgsProcessingParameterDefinition,
        QgsProcessingParameterNumber,
        QgsProcessingParameterRasterLayer,
    )
    from qgis.PyQt.QtCore import QPointF

    model = QgsProcessingModelAlgorithm(NAME, GROUP)
    model.setHelpContent({
        "ALG_DESC": HELP,
        "ALG_CREATOR": "Semantic Segmentation for QGIS",
        "IMAGE": "The image to tile, train on and predict (any band count).",
        "LABEL": "Class indices on the image's grid (0..N-1; 255 = unlabelled).",
        "TILE_SIZE": "Side of the training tiles in pixels.",
        "EPOCHS": "Training epochs.",
        "STEPS_PER_EPOCH": "Training batches per epoch; 0 = every tile once.",
        "BATCH_SIZE": "Tiles per training batch.",
        "WIDTH": "Network width multiplier (1.0 = the published size; smaller is faster).",
    })

    integer = QgsProcessingParameterNumber.Type.Integer
    double = QgsProcessingParameterNumber.Type.Double
    inputs = [
        QgsProcessingParameterRasterLayer("IMAGE", "Image"),
        QgsProcessingParameterRasterLayer("LABEL", "Label raster (class indices)"),
        QgsProcessingParameterNumber("TILE_SIZE", "Tile size (pixels)", integer,
                                     defaultValue=64, minValue=16),
        QgsProcessingParameterNumber("EPOCHS", "Epochs", integer, defaultValue=5, minValue=1),
        QgsProcessingParameterNumber("STEPS_PER_EPOCH", "Steps per epoch (0 = all tiles)",
                                     integer, defaultValue=0, minValue=0, optional=True),
        QgsProcessingParameterNumber("BATCH_SIZE", "Batch size", integer, defaultValue=8,
                                     minValue=1, optional=True),
        QgsProcessingParameterNumber("WIDTH", "Network width multiplier", double,
                                     defaultValue=1.0, minValue=0.05, maxValue=4.0,
                                     optional=True),
    ]
    for row, definition in enumerate(inputs):
        if definition.name() in ("STEPS_PER_EPOCH", "BATCH_SIZE", "WIDTH"):
            definition.setFlags(definition.flags()
                                | QgsProcessingParameterDefinition.Flag.FlagAdvanced)
        component = QgsProcessingModelParameter(definition.name())
        component.setDescription(definition.description())
        component.setPosition(QPointF(120 + 230 * (row % 4), 60 + 70 * (row // 4)))
        model.addModelParameter(definition, component)

    def child(child_id, alg_id, description, position, params, outputs=()):
        step = QgsProcessingModelChildAlgorithm(alg_id)
        step.setChildId(child_id)
        step.setDescription(description)
        step.setPosition(QPointF(*position))
        for name, source in params.items():
            step.addParameterSources(name, [source])
        # Like the modeler's dialog: every other input keeps its default, as a static value.
        for definition in step.algorithm().parameterDefinitions():
            if definition.isDestination() or definition.name() in params:
                continue
            if definition.defaultValue() is not None:
                step.addParameterSources(definition.name(),
                                         [Source.fromStaticValue(definition.defaultValue())])
        model_outputs = {}
        for out_name, child_output, text, opt_position in outputs:
            output = QgsProcessingModelOutput(out_name, text)
            output.setChildId(child_id)
            output.setChildOutputName(child_output)
            output.setDescription(text)
            output.setPosition(QPointF(*opt_position))
            model_outputs[out_name] = output
        step.setModelOutputs(model_outputs)
        model.addChildAlgorithm(step)
        return step

    child("TILE", "semseg:tiledataset", "Tile Dataset", (220, 230), {
        "IMAGE": Source.fromModelParameter("IMAGE"),
        "LABEL": Source.fromModelParameter("LABEL"),
        "TILE_SIZE": Source.fromModelParameter("TILE_SIZE"),
        "METHOD": Source.fromStaticValue("stride"),  # a regular grid
    })
    child("TRAIN", "semseg:trainmodel", "Train Model", (420, 330), {
        "DATASET": Source.fromChildOutput("TILE", "OUTPUT"),
        "EPOCHS": Source.fromModelParameter("EPOCHS"),
        "STEPS_PER_EPOCH": Source.fromModelParameter("STEPS_PER_EPOCH"),
        "BATCH_SIZE": Source.fromModelParameter("BATCH_SIZE"),
        "WIDTH": Source.fromModelParameter("WIDTH"),
    }, [("MODEL", "OUTPUT_MODEL", "Trained model", (640, 300)),
        ("BEST_VAL_MIOU", "BEST_VAL_MIOU", "Best validation mean IoU", (640, 360))])
    child("PREDICT", "semseg:predictraster", "Predict Raster", (420, 450), {
        "INPUT": Source.fromModelParameter("IMAGE"),
        "MODEL": Source.fromChildOutput("TRAIN", "OUTPUT_MODEL"),
    }, [("CLASSES", "OUTPUT", "Class raster", (640, 450))])
    child("EVALUATE", "semseg:evaluate", "Evaluate", (420, 570), {
        "PREDICTION": Source.fromChildOutput("PREDICT", "OUTPUT"),
        "REFERENCE": Source.fromModelParameter("LABEL"),
    }, [("REPORT", "OUTPUT_REPORT", "Evaluation report", (640, 540)),
        ("OVERALL_ACCURACY", "OVERALL_ACCURACY", "Overall accuracy", (640, 580)),
        ("KAPPA", "KAPPA", "Kappa", (640, 620)),
        ("MEAN_IOU", "MEAN_IOU", "Mean IoU", (640, 660))])
    return model


def main(argv):
    output = argv[1] if len(argv) > 1 else DEFAULT_OUTPUT
    app, _provider = _qgis()
    model = build_model()
    ok, errors = model.validate()
    if not ok:
        print("The model does not validate:", *errors, sep="\n  ", file=sys.stderr)
        return 1
    os.makedirs(os.path.dirname(output), exist_ok=True)
    if not model.toFile(output):
        print(f"Cannot write {output}", file=sys.stderr)
        return 1
    print(output)
    app.exitQgis()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
