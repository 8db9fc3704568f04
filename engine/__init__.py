"""The segmentation engine: plain functions over file paths and arrays.

Never imports qgis, and no module imports TensorFlow or Keras when it is
imported: the functions that need them import them when called, so every
module below may be imported inside QGIS's process, and the ones marked
"(TF)" run only in the engine's worker process (``python -m <package>.engine``,
``worker.py``), where TensorFlow is allowed.

Map (one module, one idea):

Raster and vector I/O
    raster        GDAL windows: open, window generators, read, write, warp
    sources       raster sources at a ground resolution: files, VRTs, web layers
    vectorize     QGIS-style vector paths (which layer of a file), polygonize
    outputs       outputs that appear only when complete (partial files)
Tile Dataset, Color to Index
    tiling        scenes and labels -> chips and dataset.json (its writer)
    splits        spatially separated train/validation splits
    labels        colour <-> index label rasters, colour maps
    dataset       dataset.json's reader; tf.data pipelines (the pipelines: TF)
Train Model
    training      plan (``prepare``: no TF), fit and save (TF)
    losses        segmentation losses (TF)
    schedules     learning-rate schedules (TF)
    training_logs history JSON, curves PNG (matplotlib), HTML page
    modelfile     the model file: metadata read/write (no TF); load/save (TF)
Predict Raster, Export Model
    predict_plan  window, overlap, batch and memory plan (no TF)
    prediction    whole scenes in overlapping windows (the network call: TF)
    predictors    the network call behind one seam (TF, or ONNX Runtime)
    onnx_backend  ONNX Runtime inference (onnxruntime)
    onnx_export   a model file as a standalone ONNX file (TF, tf2onnx)
    blending      blending overlapping window predictions
    drift         does a scene look like the training data? (warnings)
Evaluate
    metrics       confusion matrices and scores
    area          map accuracy and class areas from a reference sample
    report        CSV, JSON and HTML reports
Plumbing
    progress      Progress (fraction, cancel, log lines), GdalProgress
    errors        InputError, Cancelled: messages as template + values
    options       the choices of every option-like parameter (names, labels)
    jsonable      plain JSON values from numpy
    worker        the worker process: one job, JSON lines out
    status        the engine's self-check (imports TensorFlow when run)
    environment   the engine's own venv: find Python, create, pip-install
"""
