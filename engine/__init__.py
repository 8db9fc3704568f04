"""The segmentation engine: plain functions over file paths and arrays.

Never imports qgis. Two kinds of module (checked by the tests: the plugin's
own modules import no TensorFlow, tests/test_code_rules.py; a stock QGIS loads
the plugin with its own Python, tests/test_stock_qgis.py):

- TensorFlow-free modules import only the standard library, NumPy and GDAL
  (and ``models.catalog``, plain data). QGIS's process may import them:
  the algorithms run tiling, colour maps, metrics and reports in-process and
  read dataset descriptions and model metadata to check inputs early.
- The others need the engine's own Python (its venv): they run only in the
  worker process (``python -m <package>.engine JOB.json``, ``worker.py``).
  Marked below: "TF" = TensorFlow/Keras, imported inside the functions that
  need them, except ``losses`` and ``schedules``, which import Keras when
  imported (only ``training`` imports them, inside a run).

Map (one module, one idea):

Raster and vector I/O
    raster        GDAL windows: open, window generators, read, write, warp
    sources       raster sources at a ground resolution: files, VRTs, web layers
    vectorize     QGIS-style vector paths (which layer of a file), polygonize
    outputs       outputs that appear only when complete (partial files)
Tile Dataset, Color to Index
    tiling        scenes and labels -> chips (dataset.json via dataset_files)
    dataset_files dataset.json and the split files: read, version check,
                  merge, write (their one owner)
    splits        spatially separated train/validation splits
    labels        colour <-> index label rasters, colour maps
    dataset       DatasetInfo (``read_info``: no TF); tf.data pipelines (TF)
Train Model
    training      plan (``prepare``: no TF), fit and save (TF)
    losses        segmentation losses (TF, Keras at import)
    schedules     learning-rate schedules (TF, Keras at import)
    training_logs history JSON, HTML page; curves PNG (matplotlib, engine venv)
    modelfile     the model file: metadata read/write (no TF, its one owner);
                  load/save (TF)
Predict Raster, Export Model
    predict_plan  window, overlap, batch and memory plan (no TF)
    prediction    whole scenes in overlapping windows (the network call: TF
                  or ONNX Runtime, through predictors)
    predictors    the network call behind one seam (TF, or ONNX Runtime)
    onnx_backend  ONNX Runtime inference (onnxruntime); an ONNX file's
                  metadata read with the standard library
    onnx_export   a model file as a standalone ONNX file (TF, tf2onnx, onnx)
    blending      blending overlapping window predictions
    drift         does a scene look like the training data? (warnings)
Evaluate
    metrics       confusion matrices and scores
    area          map accuracy and class areas from a reference sample
    report        CSV, JSON and HTML reports
Plumbing
    progress      Progress: fraction (with extras such as training's epoch),
                  cancel, log lines and warnings as Messages; GdalProgress
    errors        InputError, Cancelled: messages as template + values
    options       the choices of every option-like parameter (names, labels)
    jsonable      plain JSON values from numpy
    worker        the worker process: one job, JSON lines out
    status        the engine's self-check (``--status``: imports TF, in a child)
    environment   the engine's own venv: find Python, create, pip-install
"""
