<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
  <context>
    <name>SemanticSegmentation</name>
    <message>
      <source>no engine is configured</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>no answer in {0} s</source>
      <translation>{0} 秒内无响应</translation>
    </message>
    <message>
      <source>exit code {0}</source>
      <translation>退出码 {0}</translation>
    </message>
    <message>
      <source>By hand:
Debian / Ubuntu: /usr/bin/python3 -m venv --system-site-packages ~/semseg-venv
    ~/semseg-venv/bin/pip install -r {0}
Windows (OSGeo4W Shell): python -m venv --system-site-packages %USERPROFILE%\semseg-venv
    %USERPROFILE%\semseg-venv\Scripts\pip install -r {0}
macOS: /Applications/QGIS.app/Contents/MacOS/bin/python3 -m venv --system-site-packages ~/semseg-venv
    ~/semseg-venv/bin/pip install -r {0} (with tensorflow instead of tensorflow-cpu)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Run "Set up the engine" (Processing Toolbox &gt; Semantic Segmentation): it makes a Python environment with TensorFlow, Keras and NumPy beside QGIS's GDAL and selects it. Or make one yourself and name its Python in Settings &gt; Options &gt; Processing &gt; Providers &gt; Semantic Segmentation &gt; Engine Python interpreter (or in the environment variable {0}).</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>No Python is set up to run the segmentation engine (TensorFlow and Keras never run inside QGIS).</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>The engine's Python {0} cannot import {1}.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>The engine's Python {0} cannot run the engine.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>The engine's Python {0} is ready: TensorFlow {1}, Keras {2}.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Engine Python interpreter</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>No raster layer was given for {0}.</source>
      <translation>没有为 {0} 提供栅格图层。</translation>
    </message>
    <message>
      <source>The layer {0} ({1}) is not a GDAL raster file: save it as a GeoTIFF first.</source>
      <translation>图层 {0}（{1}）不是 GDAL 栅格文件：请先将其另存为 GeoTIFF。</translation>
    </message>
    <message>
      <source>{0}: QGIS cannot open the web layer {1}.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>The layer {0} ({1}) is a web layer without a pixel size of its own: give {2} (map units per pixel, in the layer's CRS) and {3} (the area to read).</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Missing: {0}.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>The layer {0} has no pixel size: give a resolution.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>The layer {0} has pixels of a type the plugin cannot read.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Reading the layer {0} ({1} x {2} pixels) through QGIS.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>[Not selected]</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Semantic Segmentation: checking the engine's Python</source>
      <translation>语义分割：正在检查引擎的 Python</translation>
    </message>
    <message>
      <source>Semantic Segmentation</source>
      <translation>语义分割</translation>
    </message>
    <message>
      <source>Segmentation chain (tile, train, predict, evaluate)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Cannot read the model {0}</source>
      <translation>无法读取模型 {0}</translation>
    </message>
    <message>
      <source>Engine: {0}</source>
      <translation>引擎：{0}</translation>
    </message>
    <message>
      <source>Cannot start the engine's Python {0}: {1}.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Cancelled: no output was written.</source>
      <translation>已取消：未写入任何输出。</translation>
    </message>
    <message>
      <source>(nothing)</source>
      <translation>（无）</translation>
    </message>
    <message>
      <source>The engine process ({0}) ended without a result (exit code {1}). Its last words:
{2}</source>
      <translation>引擎进程（{0}）未返回结果即结束（退出码 {1}）。其最后的输出：
{2}</translation>
    </message>
    <message>
      <source>{0} failed: {1}</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Semantic segmentation</source>
      <translation>语义分割</translation>
    </message>
    <message>
      <source>{0}: {1} is not an option; give one of these names: {2}.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>{0}: {1}</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Color to Index</source>
      <translation>颜色转索引</translation>
    </message>
    <message>
      <source>Converts a colour-coded label image (RGB, or one band with a colour table) into a class-index raster that Tile Dataset, Train Model and Evaluate read, or an index raster back into colours.

Input raster: the colour label image (colour to index) or the class-index raster (index to colour).
Direction (MODE): color_to_index, or index_to_color.
Colour map (COLOR_MAP): a shipped preset by name: voc (PASCAL VOC), cityscapes, ade20k, inria...
Colour map file: a JSON colour map, or a colour map exported from QGIS's paletted renderer (.txt / .clr lines 'value,r,g,b,alpha,label'); when given it is used instead of the preset.
Unknown colours (UNKNOWN): fail (the error lists the colours not in the map and their pixel counts), or ignore: write them as 255, the value training and evaluation ignore.
Output: a Byte GeoTIFF with the input's georeference; the index raster carries the class colours and names (colour table and a .qml style).</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Input raster</source>
      <translation>输入栅格</translation>
    </message>
    <message>
      <source>Direction</source>
      <translation>方向</translation>
    </message>
    <message>
      <source>Colour map</source>
      <translation>颜色映射</translation>
    </message>
    <message>
      <source>Colour map file (replaces the preset)</source>
      <translation>颜色映射文件（替代预设）</translation>
    </message>
    <message>
      <source>Colour maps (*.json *.txt *.clr *.csv);;All files (*.*)</source>
      <translation>颜色映射 (*.json *.txt *.clr *.csv);;所有文件 (*.*)</translation>
    </message>
    <message>
      <source>Unknown colours</source>
      <translation>未知颜色</translation>
    </message>
    <message>
      <source>Output raster</source>
      <translation>输出栅格</translation>
    </message>
    <message>
      <source>{0} must be a GeoTIFF (.tif), not {1}.</source>
      <translation>{0} 必须是 GeoTIFF（.tif），而不是 {1}。</translation>
    </message>
    <message>
      <source>Colour map: {0} ({1} classes)</source>
      <translation>颜色映射：{0}（{1} 个类别）</translation>
    </message>
    <message>
      <source>{0} pixels had colours not in the map and were set to 255 (ignore).</source>
      <translation>{0} 个像元的颜色不在映射中，已设为 255（忽略）。</translation>
    </message>
    <message>
      <source>{0} pixels had values not in the map and were drawn black: {1}.</source>
      <translation>{0} 个像元的值不在映射中，已绘制为黑色：{1}。</translation>
    </message>
    <message>
      <source>, {0} cores</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source> (not visible to TensorFlow)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>(none)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Semantic Segmentation engine status</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Plugin version: {0}</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>QGIS: {0}</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>OS: {0}</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Engine Python: {0} {1}</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>TensorFlow: {0}</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Keras: {0}</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>NumPy: {0}</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>GDAL: {0}</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Devices:</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Missing modules: {0}</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Error: {0}</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Ready: {0}</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>no</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>yes</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Engine status</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Runs the engine's self-check in its own Python (never inside QGIS) and reports the interpreter, the versions of TensorFlow, Keras, NumPy and GDAL it imports, the CPU and GPUs it can use, and whether Train Model and Predict Raster can run (Ready: TensorFlow, Keras 3, NumPy 1.x and GDAL all import). The log shows the same as a block to paste into a bug report.

Python interpreter: empty for the engine's interpreter (the environment variable SEMSEG_PYTHON, else the setting Settings &gt; Options &gt; Processing &gt; Providers &gt; Semantic Segmentation &gt; Engine Python interpreter, else the environment made by Set up the engine). When nothing is ready, run Set up the engine.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Python interpreter to check (empty: the engine's)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>All files (*)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Engine Python</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>TensorFlow version</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Keras version</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>NumPy version</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>GDAL version</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Devices</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Engine ready</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Running the engine's self-check...</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Evaluate</source>
      <translation>评估</translation>
    </message>
    <message>
      <source>Compares predicted class rasters with reference labels: confusion matrix, overall accuracy, Cohen's kappa, per-class precision, recall, F1 and IoU, mean IoU.

Prediction and Reference: two class-index rasters. The prediction is resampled (nearest) onto the reference grid; only the overlap is compared.
Prediction folder and Reference folder: instead of two rasters, two folders whose rasters are paired by file name. Give exactly one pair: two rasters or two folders.
Reference sample (points or polygons) and Class field: instead of a reference raster, a sample whose integer field is the reference class: points take the prediction's class at their pixel, polygons are burnt onto the prediction grid. The report then adds map accuracy and class areas estimated as Olofsson et al. (2014) recommend (map classes as strata, mapped proportions from the whole prediction), each with its 95% confidence interval; areas in map units squared.
Mode (MODE): global, one confusion matrix over all pixels of all pairs, or per_image, the mean of the scores of each image.
Ignore background: skip pixels whose reference is class 0; a pixel of another class predicted as 0 still counts as a miss for its class. Class 0 gets no row.
Ignore value: reference pixels with this value (and nodata pixels) are not counted.
Outputs (each optional): a CSV table of per-class and summary figures, an HTML report, a JSON file with everything; overall accuracy, kappa and mean IoU are also outputs that a model can use.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Prediction (class raster)</source>
      <translation>预测（类别栅格）</translation>
    </message>
    <message>
      <source>Reference (label raster)</source>
      <translation>参考（标签栅格）</translation>
    </message>
    <message>
      <source>Prediction folder (instead of a raster)</source>
      <translation>预测文件夹（代替栅格）</translation>
    </message>
    <message>
      <source>Reference folder (instead of a raster)</source>
      <translation>参考文件夹（代替栅格）</translation>
    </message>
    <message>
      <source>Reference sample (points or polygons, instead of a reference raster)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Class field of the reference sample</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Mode</source>
      <translation>模式</translation>
    </message>
    <message>
      <source>Ignore background (class 0)</source>
      <translation>忽略背景（类别 0）</translation>
    </message>
    <message>
      <source>Ignore value in the reference</source>
      <translation>参考中的忽略值</translation>
    </message>
    <message>
      <source>CSV files (*.csv)</source>
      <translation>CSV 文件 (*.csv)</translation>
    </message>
    <message>
      <source>Scores table</source>
      <translation>得分表</translation>
    </message>
    <message>
      <source>HTML files (*.html *.htm)</source>
      <translation>HTML 文件 (*.html *.htm)</translation>
    </message>
    <message>
      <source>Report</source>
      <translation>报告</translation>
    </message>
    <message>
      <source>JSON files (*.json)</source>
      <translation>JSON 文件 (*.json)</translation>
    </message>
    <message>
      <source>Scores as JSON</source>
      <translation>JSON 格式的得分</translation>
    </message>
    <message>
      <source>Overall accuracy</source>
      <translation>总体精度</translation>
    </message>
    <message>
      <source>Kappa</source>
      <translation>Kappa 系数</translation>
    </message>
    <message>
      <source>Mean IoU</source>
      <translation>平均 IoU</translation>
    </message>
    <message>
      <source>Segmentation evaluation</source>
      <translation>分割评估</translation>
    </message>
    <message>
      <source>Cannot write the report: {0}</source>
      <translation>无法写入报告：{0}</translation>
    </message>
    <message>
      <source>Overall accuracy {0}, kappa {1}, mean IoU {2}, mean F1 {3} ({4} pixels)</source>
      <translation>总体精度 {0}，kappa {1}，平均 IoU {2}，平均 F1 {3}（{4} 个像元）</translation>
    </message>
    <message>
      <source>  class {0} ({1}): IoU {2}</source>
      <translation>  类别 {0}（{1}）：IoU {2}</translation>
    </message>
    <message>
      <source>Map accuracy (stratified estimate): overall accuracy {0} ± {1} (95% confidence interval)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>A reference sample was given ({0}) but no class field ({1}): choose the integer field that holds the reference class.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>With a reference sample ({0}), give the prediction raster ({1}) and no other reference ({2}, {3}) or folder ({4}).</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Give either two rasters ({0}, {1}) or two folders ({2}, {3}), not both.</source>
      <translation>请给出两个栅格（{0}、{1}）或两个文件夹（{2}、{3}），不能同时给出。</translation>
    </message>
    <message>
      <source>{0} is missing: give both folders.</source>
      <translation>缺少 {0}：请给出两个文件夹。</translation>
    </message>
    <message>
      <source>{0}: {1} is not a folder.</source>
      <translation>{0}：{1} 不是文件夹。</translation>
    </message>
    <message>
      <source>Give a prediction and a reference: two rasters ({0}, {1}) or two folders ({2}, {3}). Missing: {4}.</source>
      <translation>请给出预测和参考：两个栅格（{0}、{1}）或两个文件夹（{2}、{3}）。缺少：{4}。</translation>
    </message>
    <message>
      <source>Export Model</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Exports a model file made by Train Model as a standalone ONNX file that ONNX Runtime runs without this plugin or TensorFlow, for example in the Deepness plugin.

DEEPNESS (on by default): the file takes what Deepness feeds (channels first, tiles of the model's tile size, any batch) and carries Deepness's metadata: class names, tile size, overlap, ground resolution and the normalisation, so Deepness reproduces this plugin's preprocessing. A model Deepness cannot feed (for example one trained on a data type Deepness does not read) is exported as plain ONNX instead, with a warning that says why. Off: plain ONNX, channels last, any size; the caller normalises the pixels with the model's mean and standard deviation.

RESOLUTION: the ground resolution in cm per pixel that Deepness resamples the map to; 0 reads it from the training scenes where they are still readable. Both layouts carry the whole model metadata (property semseg). The export runs in the engine's Python and checks the ONNX file against the Keras model.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Model file (from Train Model)</source>
      <translation>模型文件（来自“训练模型”）</translation>
    </message>
    <message>
      <source>Ready for Deepness (channels first, its metadata)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>ONNX model</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>ONNX model (*.onnx)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Ground resolution in cm/px for Deepness (0 = from the training scenes)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Ready for Deepness</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>{0} is plain ONNX: Deepness cannot use this model as it is (the reasons are above).</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Predict Raster</source>
      <translation>预测栅格</translation>
    </message>
    <message>
      <source>Predicts a class map of a whole scene with a model file made by Train Model. The scene is read and written window by window, so its size is not limited by memory; overlapping windows are blended with weights that fall off towards their edges, so there are no seams. Windows follow the scene's own pixel grid, so parts predicted with EXTENT mosaic into exactly the class map of one run.

INPUT: any raster layer: files GDAL reads (GeoTIFF, VRT, JPEG2000...) and web layers (XYZ tiles, WMS, WMTS, WCS; in qgis_process INPUT='wms://type=xyz&amp;url=...'). RESOLUTION: map units per pixel to read it at; left empty, the model's training resolution (where the model records one in the same CRS units), 0: the layer's own. A web layer needs a resolution and an EXTENT. A warning says when the input's resolution is more than 25% away from the training resolution, or when its pixel type, bands or values look unlike the training data. BANDS: the bands to use, in the model's order (default: the first bands). MODE: stride (windows over the scene) or per_image (the whole image resized to the model input, for small photos). 0 means auto for TILE_SIZE, OVERLAP and BATCH_SIZE: a fully convolutional network gets windows larger than its training tile, as large as memory allows, and a network with image-level context (PSPNet, DeepLabV3, DeepLabV3+, ICNet) keeps its training tile; the overlap follows the network's receptive field, the batch the memory (halved if a GPU runs out). The plan is checked and logged before the network loads. TTA: test-time augmentation, none, flips (4 passes) or d4 (flips and rotations, 8 passes), averaged. EXTENT and MASK limit the prediction; windows with no valid pixel get no pass through the network. OUTPUT is a tiled, compressed GeoTIFF with overviews and the class colours and names; OUTPUT_PROBABILITY (optional) has one band per class, PROBABILITY_FORMAT byte (0-254) or float (0-1); OUTPUT_CONFIDENCE (optional) is the largest class probability and OUTPUT_ENTROPY (optional) the entropy of the class probabilities scaled to 0 (certain) .. 1 (undecided); OUTPUT_VECTOR (optional) has a polygon per patch with its class, name and area, without patches smaller than MIN_AREA (map units squared). OUTPUT_LABEL_NEXT (optional) has the LABEL_NEXT_COUNT squares of the training tile size where the model is least sure, ranked, with their score (mean entropy), predicted class and class mix: label them and give them to Tile Dataset as LABEL_VECTOR (LABEL_FIELD class). Nodata in any input band is nodata in every output. The prediction runs in a separate Python process that has TensorFlow; cancel stops it within a batch and removes its files.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Bands (in the model's order; default: the first ones)</source>
      <translation>波段（按模型顺序；默认：前几个波段）</translation>
    </message>
    <message>
      <source>Extent (only this part of the scene)</source>
      <translation>范围（仅预测影像的这一部分）</translation>
    </message>
    <message>
      <source>Resolution (map units per pixel; empty = the model's, 0 = the input's own)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Mask polygons (predict only inside)</source>
      <translation>掩膜多边形（仅在其内部预测）</translation>
    </message>
    <message>
      <source>Class raster</source>
      <translation>类别栅格</translation>
    </message>
    <message>
      <source>Class probabilities</source>
      <translation>类别概率</translation>
    </message>
    <message>
      <source>Confidence (largest class probability)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Uncertainty (normalised entropy, 0-1)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Class polygons</source>
      <translation>类别多边形</translation>
    </message>
    <message>
      <source>Label next (most uncertain cells, ranked)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Window size (0 = auto)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Window overlap in pixels (0 = auto)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Batch size (0 = auto)</source>
      <translation>批大小（0 = 自动）</translation>
    </message>
    <message>
      <source>Test-time augmentation</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Probability format</source>
      <translation>概率格式</translation>
    </message>
    <message>
      <source>Minimum polygon area (map units²)</source>
      <translation>最小多边形面积（地图单位²）</translation>
    </message>
    <message>
      <source>Number of cells to label next</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>No model file was given (MODEL).</source>
      <translation>未提供模型文件（MODEL）。</translation>
    </message>
    <message>
      <source>{0}: the model's training resolution, {1} map units per pixel.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Set up the engine</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Makes the Python environment that runs the segmentation engine (Train Model, Predict Raster), and selects it. TensorFlow never runs inside QGIS: it runs in this environment, a virtual environment made from QGIS's own Python with its system packages (so it shares QGIS's GDAL), into which pip installs the plugin's pinned requirements: TensorFlow, Keras and NumPy 1.x. Linux with an NVIDIA driver gets TensorFlow with CUDA, other Linux machines and Windows the CPU package (TensorFlow has no native GPU support on Windows: use WSL2), macOS the tensorflow package.

It downloads about 600 MB (several GB with CUDA) and takes a few minutes; the log shows pip's output. Cancel stops pip and leaves no half-made environment. When the engine's self-check passes in the new environment, its interpreter becomes the setting Settings &gt; Options &gt; Processing &gt; Providers &gt; Semantic Segmentation &gt; Engine Python interpreter.

Environment folder: empty for semseg-engine in the QGIS profile folder. Run again on an existing environment to repair or upgrade it.
Requirements file: empty for the plugin's requirements.txt.
Wheels folder (offline machines): install only from the wheel files in this folder (pip download -r requirements.txt -d FOLDER on a connected machine of the same system).</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Environment folder (empty: semseg-engine in the QGIS profile folder)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Requirements file (empty: the plugin's requirements.txt)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Wheels folder, to install offline</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>The requirements file {0} does not exist.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>The new environment cannot run the engine; it is not selected.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Self-check passed: TensorFlow {0}, Keras {1}, NumPy {2}, GDAL {3}.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>The engine's Python is now {0} (Settings &gt; Options &gt; Processing &gt; Providers &gt; Semantic Segmentation).</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>The environment variable {0} ({1}) is set and takes precedence over this setting.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Tile Dataset</source>
      <translation>切片数据集</translation>
    </message>
    <message>
      <source>Cuts an image and its label into square chips for training, and adds them to a dataset folder (images/, labels/, train.txt, val.txt, dataset.json) that Train Model reads. Run it again into the same folder to add more scenes.

Image: the multi-band scene: any raster layer, files and VRTs as well as web layers (XYZ tiles, WMS, WMTS, WCS).
Resolution (RESOLUTION): map units per pixel to read the image at (0: its own). Extent (EXTENT): only this area of the image. A web layer has no pixel size of its own and needs both; qgis_process takes it as INPUT='wms://type=xyz&amp;url=...'. dataset.json records the resolution and the CRS units, and Predict Raster reads scenes at the model's resolution by default.
Label raster: a class-index raster (0..254; 255 = ignore). It is resampled (nearest) onto the image grid and must overlap the image.
Label polygons and Class field: polygons whose integer field is burnt onto the image grid instead of a label raster. Give at most one label.
Tile size: chip width and height in pixels.
Method (METHOD): random windows, or stride: a regular grid every Stride pixels (0: the tile size, no overlap).
Tiles per image: how many random windows to keep.
Validation fraction: share of the scene kept for validation (val.txt).
Validation split (SPLIT): blocks (default) takes whole square blocks of the scene for validation and leaves out the chips that straddle a validation and a training block, so no validation pixel lies in a training chip and the validation score is not inflated by pixels the network has seen; random draws chips at random (chips that overlap then share pixels across the split).
Validation area: polygons you draw; chips inside them validate, chips touching them are left out, the others train.
Random seed: makes the windows and the split reproducible.
Minimum labelled fraction: chips with a smaller share of labelled, valid pixels (without a label: pixels that are not nodata) are skipped.
Output: the dataset folder (new and empty, or an existing dataset).</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Image</source>
      <translation>影像</translation>
    </message>
    <message>
      <source>Resolution (map units per pixel, 0 = the image's own)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Extent (only this area of the image)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Label raster (class indices)</source>
      <translation>标签栅格（类别索引）</translation>
    </message>
    <message>
      <source>Label polygons</source>
      <translation>标签多边形</translation>
    </message>
    <message>
      <source>Class field of the label polygons</source>
      <translation>标签多边形的类别字段</translation>
    </message>
    <message>
      <source>Tile size (pixels)</source>
      <translation>切片大小（像元）</translation>
    </message>
    <message>
      <source>Method</source>
      <translation>方法</translation>
    </message>
    <message>
      <source>Stride for the grid method (pixels, 0 = tile size)</source>
      <translation>网格方法的步长（像元，0 = 切片大小）</translation>
    </message>
    <message>
      <source>Tiles per image (random method)</source>
      <translation>每幅影像的切片数（随机方法）</translation>
    </message>
    <message>
      <source>Validation fraction</source>
      <translation>验证比例</translation>
    </message>
    <message>
      <source>Validation split</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Validation area (polygons, instead of the split)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Random seed</source>
      <translation>随机种子</translation>
    </message>
    <message>
      <source>Minimum labelled fraction of a tile</source>
      <translation>切片的最小标注比例</translation>
    </message>
    <message>
      <source>Dataset folder</source>
      <translation>数据集文件夹</translation>
    </message>
    <message>
      <source>Tiles written</source>
      <translation>已写入的切片数</translation>
    </message>
    <message>
      <source>Give either a label raster ({0}) or label polygons ({1}), not both.</source>
      <translation>请给出标签栅格（{0}）或标签多边形（{1}），不能同时给出。</translation>
    </message>
    <message>
      <source>Label polygons were given ({0}) but no class field ({1}): choose the numeric field that holds the class of each polygon.</source>
      <translation>给出了标签多边形（{0}）但没有类别字段（{1}）：请选择保存每个多边形类别的数值字段。</translation>
    </message>
    <message>
      <source>The stride ({0}) is larger than the tile size ({1}): parts of the image will not be tiled.</source>
      <translation>步长（{0}）大于切片大小（{1}）：影像的部分区域将不会被切片。</translation>
    </message>
    <message>
      <source>{0} must be between 0 and 0.9, not {1}.</source>
      <translation>{0} 必须介于 0 和 0.9 之间，而不是 {1}。</translation>
    </message>
    <message>
      <source>{0} must be between 0 and 1, not {1}.</source>
      <translation>{0} 必须介于 0 和 1 之间，而不是 {1}。</translation>
    </message>
    <message>
      <source>{0} tiles written ({1} training, {2} validation, {3} skipped, {5} left out between the training and validation areas); the dataset now holds {4} tiles.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Train Model</source>
      <translation>训练模型</translation>
    </message>
    <message>
      <source>Trains a segmentation network on a dataset folder made by Tile Dataset and saves the best model (by validation mean IoU) as a self-describing .keras file that Predict Raster and Evaluate need nothing else to use.

Training runs in a separate Python process that has TensorFlow (made by Set up the engine, or named in Settings &gt; Options &gt; Processing &gt; Providers &gt; Semantic Segmentation &gt; Engine Python interpreter); QGIS itself never loads TensorFlow. Cancel stops it and writes no model.

Options are given by name (qgis_process, batch files, models): MODEL=deeplab_v3p ENCODER=resnet_v2_50 LOSS=dice.

DATASET: the Tile Dataset folder. MODEL / ENCODER: the network and its backbone, e.g. unet, deeplab_v3p / mobilenet_v2, resnet_v2_50 (not every pair fits: the error lists the encoders a model accepts). OUTPUT_STRIDE: 8, 16 or 32. LOSS: categorical_crossentropy, binary_crossentropy (2 classes), focal, dice, lovasz (Lovasz-softmax) or ce_dice (cross-entropy + Dice). CLASS_WEIGHTS: none or inverse_frequency. OPTIMIZER: adam, rmsprop or sgd. LR_MODE: none (constant), power_decay, exp_decay, progressive_drops (x0.1 at 50% and 75% of training) or cosine_cycle (cycles of LR_CYCLE epochs), down to MIN_LR. STRATEGY: auto, mirrored or multi_worker. STEPS_PER_EPOCH 0 uses every chip once per epoch. EARLY_STOP_PATIENCE 0 is off. AUGMENT adds flips, 90 degree rotations and random scale/crop (CVAL / LABEL_CVAL fill the image / label outside). ENCODER_WEIGHTS: none, imagenet (Keras Applications' published weights, downloaded once into Keras's cache; the first convolution is adapted to any band count) or file (ENCODER_WEIGHTS_FILE). FREEZE_ENCODER_EPOCHS trains the decoder alone for that many epochs first. INIT_MODEL with INIT_MODE fine_tune starts from a model file's weights with a new optimizer (its classes must match the dataset's by value and name); INIT_MODE resume continues a stopped run from its checkpoint &lt;model&gt;.resume.keras, which RESUME_CHECKPOINT writes every epoch and removes when training finishes. The model file itself holds no optimizer state. LOG_DIR receives TensorBoard events, CSV/JSON history, curves PNG and an HTML summary.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Dataset folder (made by Tile Dataset)</source>
      <translation>数据集文件夹（由“切片数据集”生成）</translation>
    </message>
    <message>
      <source>Model</source>
      <translation>模型</translation>
    </message>
    <message>
      <source>Encoder</source>
      <translation>编码器</translation>
    </message>
    <message>
      <source>Output stride</source>
      <translation>输出步幅</translation>
    </message>
    <message>
      <source>Encoder weights</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Encoder weights file (.weights.h5 or .keras)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Epochs with the encoder frozen (0 = off)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Loss</source>
      <translation>损失函数</translation>
    </message>
    <message>
      <source>Class weights</source>
      <translation>类别权重</translation>
    </message>
    <message>
      <source>Optimizer</source>
      <translation>优化器</translation>
    </message>
    <message>
      <source>Learning rate</source>
      <translation>学习率</translation>
    </message>
    <message>
      <source>Learning-rate schedule</source>
      <translation>学习率调度</translation>
    </message>
    <message>
      <source>Batch size</source>
      <translation>批大小</translation>
    </message>
    <message>
      <source>Epochs</source>
      <translation>轮次</translation>
    </message>
    <message>
      <source>Steps per epoch (0 = all chips)</source>
      <translation>每轮步数（0 = 全部切片）</translation>
    </message>
    <message>
      <source>Early-stopping patience in epochs (0 = off)</source>
      <translation>早停耐心轮次（0 = 关闭）</translation>
    </message>
    <message>
      <source>Augment (flips, rotations, scale/crop)</source>
      <translation>数据增强（翻转、旋转、缩放/裁剪）</translation>
    </message>
    <message>
      <source>Initial model (resume or fine-tune)</source>
      <translation>初始模型（继续训练或微调）</translation>
    </message>
    <message>
      <source>Start from the initial model by</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Write a resume checkpoint beside the output model every epoch</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Keras model (*.keras)</source>
      <translation>Keras 模型 (*.keras)</translation>
    </message>
    <message>
      <source>Output model</source>
      <translation>输出模型</translation>
    </message>
    <message>
      <source>Log folder (TensorBoard, CSV, curves, HTML summary)</source>
      <translation>日志文件夹（TensorBoard、CSV、曲线、HTML 摘要）</translation>
    </message>
    <message>
      <source>Minimum learning rate</source>
      <translation>最小学习率</translation>
    </message>
    <message>
      <source>Cosine cycle length in epochs</source>
      <translation>余弦周期长度（轮次）</translation>
    </message>
    <message>
      <source>Power of the power decay</source>
      <translation>幂衰减的幂</translation>
    </message>
    <message>
      <source>Image fill value for augmentation</source>
      <translation>数据增强的影像填充值</translation>
    </message>
    <message>
      <source>Label fill value for augmentation</source>
      <translation>数据增强的标签填充值</translation>
    </message>
    <message>
      <source>Distribution strategy</source>
      <translation>分布式策略</translation>
    </message>
    <message>
      <source>Network width multiplier (0 = the network's default)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Best validation mean IoU</source>
      <translation>最佳验证平均 IoU</translation>
    </message>
    <message>
      <source>The model {0} does not work with the encoder {1}; it accepts: {2}.</source>
      <translation>模型 {0} 不能与编码器 {1} 一起使用；它接受：{2}。</translation>
    </message>
    <message>
      <source>The model {0} with the encoder {1} supports output strides {2}, not {3}.</source>
      <translation>模型 {0} 与编码器 {1} 支持的输出步幅为 {2}，而不是 {3}。</translation>
    </message>
    <message>
      <source>Training {0} with the {1} encoder on {2}</source>
      <translation>正在用 {1} 编码器在 {2} 上训练 {0}</translation>
    </message>
    <message>
      <source>Best validation mean IoU: {0:.4f}</source>
      <translation>最佳验证平均 IoU：{0:.4f}</translation>
    </message>
    <message>
      <source>The sample counts must form a square matrix, not {shape}.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>{count} mapped pixel counts were given for {q} classes.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>The map has no classified pixel: nothing to estimate.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>The class raster {path} holds the value {bad:g}, outside the class range 0..{n}.</source>
      <translation>类别栅格 {path} 中含有值 {bad:g}，超出类别范围 0..{n}。</translation>
    </message>
    <message>
      <source>Cannot read the dataset description {path}: {error}.</source>
      <translation>无法读取数据集描述 {path}：{error}。</translation>
    </message>
    <message>
      <source>{path} is not a dataset description made by Tile Dataset (format is not {format}).</source>
      <translation>{path} 不是“切片数据集”生成的数据集描述（格式不是 {format}）。</translation>
    </message>
    <message>
      <source>{path} is incomplete or invalid: its entry {key} is missing or wrong.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>{path} is version {dataset_version}; this plugin reads version {version} and older.</source>
      <translation>{path} 的版本为 {dataset_version}；本插件只能读取 {version} 及更早版本。</translation>
    </message>
    <message>
      <source>No dataset folder was given.</source>
      <translation>未指定数据集文件夹。</translation>
    </message>
    <message>
      <source>The dataset folder {folder} does not exist.</source>
      <translation>数据集文件夹 {folder} 不存在。</translation>
    </message>
    <message>
      <source>The dataset folder {folder} is empty: run Tile Dataset first.</source>
      <translation>数据集文件夹 {folder} 为空：请先运行“切片数据集”。</translation>
    </message>
    <message>
      <source>{folder} is not a dataset made by Tile Dataset: it has no {dataset_json}.</source>
      <translation>{folder} 不是“切片数据集”生成的数据集：其中没有 {dataset_json}。</translation>
    </message>
    <message>
      <source>{path} is incomplete or invalid ({error}).</source>
      <translation>{path} 不完整或无效（{error}）。</translation>
    </message>
    <message>
      <source>{path} gives mean/std for {n_mean}/{n_std} bands but {bands} bands.</source>
      <translation>{path} 给出了 {n_mean}/{n_std} 个波段的均值/标准差，但数据有 {bands} 个波段。</translation>
    </message>
    <message>
      <source>The dataset {folder} has no labels: tile it again with a label layer to train a model.</source>
      <translation>数据集 {folder} 没有标签：请使用标签图层重新切片后再训练模型。</translation>
    </message>
    <message>
      <source>The dataset {folder} has {n_values} class(es) ({values}); training needs at least 2.</source>
      <translation>数据集 {folder} 只有 {n_values} 个类别（{values}）；训练至少需要 2 个类别。</translation>
    </message>
    <message>
      <source>Cannot read the split file {path}: {error}.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>The dataset {folder} lists no training chips in train.txt.</source>
      <translation>数据集 {folder} 的 train.txt 中没有列出任何训练切片。</translation>
    </message>
    <message>
      <source>The chip {chip} listed in {split}.txt of {folder} is missing: no {kind}/{name}.tif.</source>
      <translation>{split}.txt 中列出的切片 {chip}（位于 {folder}）缺失：不存在 {kind}/{name}.tif。</translation>
    </message>
    <message>
      <source>Cannot read the chip {path}: {error}.</source>
      <translation>无法读取切片 {path}：{error}。</translation>
    </message>
    <message>
      <source>The chip {path} is {width} x {height} pixels but dataset.json says tiles are {size} x {size}.</source>
      <translation>切片 {path} 为 {width} x {height} 像素，但 dataset.json 中的切片大小为 {size} x {size}。</translation>
    </message>
    <message>
      <source>The chip {path} has {chip_bands} band(s) but dataset.json says {bands}.</source>
      <translation>切片 {path} 有 {chip_bands} 个波段，但 dataset.json 中为 {bands} 个。</translation>
    </message>
    <message>
      <source>The dataset {folder} lists no chips in {split}.txt.</source>
      <translation>数据集 {folder} 的 {split}.txt 中没有列出任何切片。</translation>
    </message>
    <message>
      <source>Cannot read the requirements file {path}: {error}</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Creating the virtual environment {folder} from {python}...</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>{python} cannot make a virtual environment: its venv module or ensurepip is missing. On Debian and Ubuntu install it with `apt install python3-venv` (as root, or with sudo), then run Set up the engine again.
{output}</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Making the virtual environment {folder} with {python} failed (exit code {code}):
{output}</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Installing the engine's packages: {command}</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>pip: {line}</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>pip could not install the engine's packages into {python} (exit code {code}):
{output}</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>An NVIDIA GPU driver was found: installing {package} (TensorFlow with its CUDA libraries, a download of several GB) instead of the CPU-only package.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Windows: installing {package}. TensorFlow after 2.10 has no native GPU support on Windows; to train on an NVIDIA GPU, run the engine in WSL2.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>macOS: installing {package}. On Apple silicon TensorFlow can use the GPU through Metal with the optional package tensorflow-metal.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>No NVIDIA GPU driver found (nvidia-smi, /proc/driver/nvidia): installing {package}, TensorFlow for the CPU.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>The wheels folder {path} does not exist.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>{folder} is neither a virtual environment nor an empty folder: choose another folder.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Cannot find the Python interpreter that QGIS runs (looked beside {prefix}): make the environment by hand, see the README.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Repairing the existing environment {folder}.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Checking the engine in {python}...</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>{where} has no classes.</source>
      <translation>{where} 没有类别。</translation>
    </message>
    <message>
      <source>{where}: values, names and colours differ in length.</source>
      <translation>{where}：类别值、名称和颜色的数量不一致。</translation>
    </message>
    <message>
      <source>{where}: class value {v} ({n}) is outside 0..254 (255 is reserved for 'ignore').</source>
      <translation>{where}：类别值 {v}（{n}）超出 0..254 范围（255 保留给“忽略”）。</translation>
    </message>
    <message>
      <source>{where}: colour {c} of class {v} is not three numbers 0..255.</source>
      <translation>{where}：类别 {v} 的颜色 {c} 不是三个 0..255 之间的数。</translation>
    </message>
    <message>
      <source>{where}: class value {v} appears twice ({seen_v} and {n}).</source>
      <translation>{where}：类别值 {v} 出现了两次（{seen_v} 和 {n}）。</translation>
    </message>
    <message>
      <source>{where}: colour {c} is used by both class {seen_c} and class {v}.</source>
      <translation>{where}：颜色 {c} 同时被类别 {seen_c} 和类别 {v} 使用。</translation>
    </message>
    <message>
      <source>{where}: ignore colour {c} is not three numbers 0..255.</source>
      <translation>{where}：忽略颜色 {c} 不是三个 0..255 之间的数。</translation>
    </message>
    <message>
      <source>{where}: colour {c} is both class {seen_c} and 'ignore'.</source>
      <translation>{where}：颜色 {c} 既是类别 {seen_c}，又是“忽略”。</translation>
    </message>
    <message>
      <source>Unknown colour-map preset {name}; known: {names}.</source>
      <translation>未知的颜色映射预设 {name}；已知预设：{names}。</translation>
    </message>
    <message>
      <source>The colour-map file {path} does not exist.</source>
      <translation>颜色映射文件 {path} 不存在。</translation>
    </message>
    <message>
      <source>The colour-map file {path} is not valid JSON: {error}.</source>
      <translation>颜色映射文件 {path} 不是有效的 JSON：{error}。</translation>
    </message>
    <message>
      <source>The colour-map file {path} has no 'classes' list.</source>
      <translation>颜色映射文件 {path} 没有 'classes' 列表。</translation>
    </message>
    <message>
      <source>The colour-map file {path}: class entry {i} ({entry}) needs an integer 'value' and a 'color' [r, g, b].</source>
      <translation>颜色映射文件 {path}：第 {i} 个类别条目（{entry}）需要整数 'value' 和颜色 'color' [r, g, b]。</translation>
    </message>
    <message>
      <source>The colour-map file {path}: class {value} colour {color} is not [r, g, b].</source>
      <translation>颜色映射文件 {path}：类别 {value} 的颜色 {color} 不是 [r, g, b]。</translation>
    </message>
    <message>
      <source>The colour-map file {path}: 'ignore_colors' must be a list of [r, g, b].</source>
      <translation>颜色映射文件 {path}：'ignore_colors' 必须是 [r, g, b] 的列表。</translation>
    </message>
    <message>
      <source>Cannot read the colour-map file {path}: {error}.</source>
      <translation>无法读取颜色映射文件 {path}：{error}。</translation>
    </message>
    <message>
      <source>The colour-map file {path}, line {number}: expected 'value,r,g,b,alpha,label', got {line}.</source>
      <translation>颜色映射文件 {path} 第 {number} 行：应为 'value,r,g,b,alpha,label'，实际为 {line}。</translation>
    </message>
    <message>
      <source>The colour-map file {path}, line {number}: bad number in {line}.</source>
      <translation>颜色映射文件 {path} 第 {number} 行：{line} 中有无效数字。</translation>
    </message>
    <message>
      <source>The colour-map file {path} has no 'value,r,g,b,alpha,label' lines.</source>
      <translation>颜色映射文件 {path} 中没有 'value,r,g,b,alpha,label' 格式的行。</translation>
    </message>
    <message>
      <source>The colour-map file {path} is neither JSON, a QGIS colour-map export, nor a raster with a colour table.</source>
      <translation>颜色映射文件 {path} 既不是 JSON、QGIS 颜色映射导出文件，也不是带颜色表的栅格。</translation>
    </message>
    <message>
      <source>The colour label raster {path} must have 8-bit (Byte) R, G, B bands.</source>
      <translation>彩色标签栅格 {path} 必须具有 8 位（Byte）R、G、B 波段。</translation>
    </message>
    <message>
      <source>The colour label raster {path} has {bands} band(s) and no colour table: give an RGB(A) raster or a single band with a colour table.</source>
      <translation>彩色标签栅格 {path} 有 {bands} 个波段且没有颜色表：请提供 RGB(A) 栅格，或带颜色表的单波段栅格。</translation>
    </message>
    <message>
      <source>The colour label raster {path} has {total} pixels in {n_colors} colour(s) that are not in the colour map {color_map}: {listed} and {more} more. Add them to the map or map unknown colours to 255 (ignore).</source>
      <translation>彩色标签栅格 {path} 中有 {total} 个像素属于 {n_colors} 种不在颜色映射 {color_map} 中的颜色：{listed}，以及另外 {more} 种。请将它们添加到颜色映射中，或将未知颜色映射为 255（忽略）。</translation>
    </message>
    <message>
      <source>The colour label raster {path} has {total} pixels in {n_colors} colour(s) that are not in the colour map {color_map}: {listed}. Add them to the map or map unknown colours to 255 (ignore).</source>
      <translation>彩色标签栅格 {path} 中有 {total} 个像素属于 {n_colors} 种不在颜色映射 {color_map} 中的颜色：{listed}。请将它们添加到颜色映射中，或将未知颜色映射为 255（忽略）。</translation>
    </message>
    <message>
      <source>The class index raster {input_path} must hold integers, not {dtype}.</source>
      <translation>类别索引栅格 {input_path} 必须为整数类型，而不是 {dtype}。</translation>
    </message>
    <message>
      <source>Binary cross-entropy needs exactly 2 classes; the dataset has {n_classes}. Choose categorical cross-entropy instead.</source>
      <translation>二元交叉熵需要恰好 2 个类别；该数据集有 {n_classes} 个。请改用分类交叉熵。</translation>
    </message>
    <message>
      <source>Unknown loss {name}; valid losses: {losses}.</source>
      <translation>未知的损失函数 {name}；有效的损失函数：{losses}。</translation>
    </message>
    <message>
      <source>GDAL could not read a block of {source}: {gdal_error}.</source>
      <translation>GDAL 无法读取 {source} 的数据块：{gdal_error}。</translation>
    </message>
    <message>
      <source>The reference vector {vector} holds {geometry} geometries: give points (a sample) or polygons.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>GDAL could not read {source}: {last_error}.</source>
      <translation>GDAL 无法读取 {source}：{last_error}。</translation>
    </message>
    <message>
      <source>No reference point of {vector} falls on a classified pixel of the prediction {prediction}.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Give a reference: a raster, a folder or a vector.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Give either a reference raster ({reference}) or a reference vector ({vector}), not both.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>A reference vector is compared with one prediction raster, not the folder {prediction}.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Cannot read the {role} folder {folder}: {error}.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>The {role} folder {folder} holds no rasters ({extensions}).</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Give two rasters or two folders: {prediction} is a folder, {reference} is a file.</source>
      <translation>请提供两个栅格或两个文件夹：{prediction} 是文件夹，而 {reference} 是文件。</translation>
    </message>
    <message>
      <source>Give two rasters or two folders: {prediction} is a file, {reference} is a folder.</source>
      <translation>请提供两个栅格或两个文件夹：{prediction} 是文件，而 {reference} 是文件夹。</translation>
    </message>
    <message>
      <source>No raster in the prediction folder {prediction} has the same name as one in the reference folder {reference}.</source>
      <translation>预测文件夹 {prediction} 中没有任何栅格与参考文件夹 {reference} 中的栅格同名。</translation>
    </message>
    <message>
      <source>The model file {path} must have the {suffix} extension.</source>
      <translation>模型文件 {path} 的扩展名必须为 {suffix}。</translation>
    </message>
    <message>
      <source>{path} is not a resume checkpoint: it has no {entry} entry (Train Model writes one beside the output model while it trains, named like {example}).</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>The resume checkpoint {path} is corrupt: {error}.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>No model file was given.</source>
      <translation>未指定模型文件。</translation>
    </message>
    <message>
      <source>The model file {path} does not exist.</source>
      <translation>模型文件 {path} 不存在。</translation>
    </message>
    <message>
      <source>The model file {path} is a folder, not a Keras model file.</source>
      <translation>模型文件 {path} 是一个文件夹，而不是 Keras 模型文件。</translation>
    </message>
    <message>
      <source>{path} is not a Keras model file (.keras archive).</source>
      <translation>{path} 不是 Keras 模型文件（.keras 压缩包）。</translation>
    </message>
    <message>
      <source>{path} is not a Keras model file: {error}.</source>
      <translation>{path} 不是 Keras 模型文件：{error}。</translation>
    </message>
    <message>
      <source>{path} is not a Keras model file: the archive has no {keras_config_entry}.</source>
      <translation>{path} 不是 Keras 模型文件：压缩包中没有 {keras_config_entry}。</translation>
    </message>
    <message>
      <source>The {entry} entry of the model file {path} is corrupt: {error}.</source>
      <translation>模型文件 {path} 中的 {entry} 条目已损坏：{error}。</translation>
    </message>
    <message>
      <source>{path} is a Keras model, but not one made by Train Model: no {metadata_entry} metadata.</source>
      <translation>{path} 是 Keras 模型，但不是由“训练模型”生成的：没有 {metadata_entry} 元数据。</translation>
    </message>
    <message>
      <source>The {metadata_entry} metadata of {path} is not {format} metadata.</source>
      <translation>{path} 的 {metadata_entry} 元数据不是 {format} 元数据。</translation>
    </message>
    <message>
      <source>The {metadata_entry} metadata of {path} has an invalid version {version}.</source>
      <translation>{path} 的 {metadata_entry} 元数据版本 {version} 无效。</translation>
    </message>
    <message>
      <source>The model file {path} was written by a newer plugin (metadata version {version}); update the plugin.</source>
      <translation>模型文件 {path} 由更新版本的插件写入（元数据版本 {version}）；请更新插件。</translation>
    </message>
    <message>
      <source>The metadata of {path} lists no classes.</source>
      <translation>{path} 的元数据中没有列出任何类别。</translation>
    </message>
    <message>
      <source>The model file {path} contains layers that cannot be loaded safely: {bad}. Lambda layers and custom classes other than this plugin's are refused; re-export the model without them.</source>
      <translation>模型文件 {path} 包含无法安全加载的层：{bad}。Lambda 层以及本插件之外的自定义类会被拒绝；请在不含这些层的情况下重新导出模型。</translation>
    </message>
    <message>
      <source>Keras cannot load the model file {path}: {name}: {error}</source>
      <translation>Keras 无法加载模型文件 {path}：{name}：{error}</translation>
    </message>
    <message>
      <source>The model file {path} is inconsistent: the network has {n_out} output channels but the metadata lists {n_classes} classes.</source>
      <translation>模型文件 {path} 不一致：网络有 {n_out} 个输出通道，但元数据列出了 {n_classes} 个类别。</translation>
    </message>
    <message>
      <source>ONNX Runtime is not installed in the engine's Python: pip install onnxruntime ({error}).</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>The ONNX file {path} does not exist.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>ONNX Runtime cannot open {path}: {error}</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>{path} has {n_in} inputs and {n_out} outputs; a segmentation model has one input and one output.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>{path} has input shape {shape}; expected a 4-d NHWC or NCHW image batch.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>The batch has shape {shape}; expected (n, height, width, bands).</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>The batch has {got} bands; the model takes {bands}.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>The model takes windows of {height} x {width} pixels, not {got_h} x {got_w}.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Unknown export parameters: {names}.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Deepness reads only {types} rasters, and this model was trained on {data_type} pixels.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>The model's metadata gives mean/std for {n_mean}/{n_std} bands but {bands} bands: Deepness could not normalise the pixels as the model expects.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Deepness feeds tiles of one fixed size, and the model's tile size {tile_size} is not a valid input size (a multiple of {divisor}).</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>The metadata of {path} gives no band count.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>The ONNX file {path} must have the {suffix} extension.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>ONNX opset {opset} is not supported here; use 13 to 18.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>The model file {path} has {n_in} inputs and {n_out} outputs; only one of each can be exported.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Converting {model} to ONNX (opset {opset}, {layout} input {shape}).</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Wrote {output}: NCHW input of {tile_size} x {tile_size} pixels, ready for Deepness.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Wrote {output}: plain ONNX, NHWC input of any size.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Warning: the model cannot be exported for Deepness (see above); writing a plain ONNX file instead: NHWC input of any size, pixels normalised by the caller.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Warning: the ground resolution of the training scenes is unknown: set RESOLUTION (cm/px) so that Deepness resamples the map as in training.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Note: Deepness does not know the nodata value {nodata}; this plugin's Predict Raster leaves such pixels unclassified.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>The ONNX file does not reproduce the Keras model: probabilities differ by up to {difference:.2e} (more than {tolerance:.0e}).</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Random windows</source>
      <translation>随机窗口</translation>
    </message>
    <message>
      <source>Regular grid (stride)</source>
      <translation>规则网格（步长）</translation>
    </message>
    <message>
      <source>Spatial blocks (no validation pixel in a training chip)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Random chips (overlapping chips share pixels)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Colour to index</source>
      <translation>颜色转索引</translation>
    </message>
    <message>
      <source>Index to colour</source>
      <translation>索引转颜色</translation>
    </message>
    <message>
      <source>Fail</source>
      <translation>失败</translation>
    </message>
    <message>
      <source>Map to 255 (ignore)</source>
      <translation>映射为 255（忽略）</translation>
    </message>
    <message>
      <source>Categorical cross-entropy</source>
      <translation>分类交叉熵</translation>
    </message>
    <message>
      <source>Binary cross-entropy (2 classes)</source>
      <translation>二元交叉熵（2 类）</translation>
    </message>
    <message>
      <source>Focal</source>
      <translation>Focal</translation>
    </message>
    <message>
      <source>Dice</source>
      <translation>Dice</translation>
    </message>
    <message>
      <source>Lovasz-softmax</source>
      <translation>Lovasz-softmax</translation>
    </message>
    <message>
      <source>Cross-entropy + Dice</source>
      <translation>交叉熵 + Dice</translation>
    </message>
    <message>
      <source>None</source>
      <translation>无</translation>
    </message>
    <message>
      <source>Inverse class frequency</source>
      <translation>类别频率倒数</translation>
    </message>
    <message>
      <source>Adam</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>RMSprop</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>SGD</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Constant</source>
      <translation>恒定</translation>
    </message>
    <message>
      <source>Power decay</source>
      <translation>幂衰减</translation>
    </message>
    <message>
      <source>Exponential decay</source>
      <translation>指数衰减</translation>
    </message>
    <message>
      <source>Progressive drops</source>
      <translation>分段下降</translation>
    </message>
    <message>
      <source>Cosine cycles</source>
      <translation>余弦循环</translation>
    </message>
    <message>
      <source>Fine-tune (its weights, a new optimizer and schedule)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Resume (continue the stopped run from its checkpoint)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>None (random initialisation)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>ImageNet (Keras Applications, downloaded once)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>From a file (ENCODER_WEIGHTS_FILE)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Auto (one device)</source>
      <translation>自动（单设备）</translation>
    </message>
    <message>
      <source>Mirrored (all local GPUs)</source>
      <translation>镜像（本机所有 GPU）</translation>
    </message>
    <message>
      <source>Multi-worker (TF_CONFIG)</source>
      <translation>多工作节点（TF_CONFIG）</translation>
    </message>
    <message>
      <source>Stride (windows over the scene)</source>
      <translation>步进（在影像上滑动窗口）</translation>
    </message>
    <message>
      <source>Per image (resize the whole image)</source>
      <translation>逐图像（缩放整幅图像）</translation>
    </message>
    <message>
      <source>Byte (0-254, 255 = nodata)</source>
      <translation>Byte（0-254，255 = 无数据）</translation>
    </message>
    <message>
      <source>Float32 (0-1)</source>
      <translation>Float32（0-1）</translation>
    </message>
    <message>
      <source>Flips (4 passes)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Flips and rotations (8 passes)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Global confusion matrix</source>
      <translation>全局混淆矩阵</translation>
    </message>
    <message>
      <source>Per-image mean</source>
      <translation>逐图像平均</translation>
    </message>
    <message>
      <source>{name} {value} is not valid; choose one of {valid}.</source>
      <translation>{name} {value} 无效；请从以下选项中选择：{valid}。</translation>
    </message>
    <message>
      <source>Cannot create the folder {folder} for {path}: {error}.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Cannot write the folder {path}: a file has that name.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Cannot write {path}: it is a folder.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Cannot write {path}: {blocker} is a file, not a folder.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Cannot write {path}: the folder {blocker} is not writable.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Plan: {mode} mode, {n_windows} window(s) of {win_w} x {win_h} pixels (window {window} {window_how}, network input {input_w} x {input_h}), overlap {overlap} ({overlap_how}), batch {batch} ({batch_how}), test-time augmentation {tta} ({transforms} pass(es)), {skipped} window(s) outside the extent skipped; memory estimate {memory_mb} MiB of a {budget_mb} MiB budget.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>{name} must be a whole number, not {value}.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>TILE_SIZE must be 0 (auto) or {divisor}..{max_tile} pixels (the network needs multiples of {divisor}), not {tile_size}.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>BATCH_SIZE must be 0 (auto) or positive, not {batch_size}.</source>
      <translation>BATCH_SIZE 必须为 0（自动）或正数，而不是 {batch_size}。</translation>
    </message>
    <message>
      <source>OVERLAP must be 0 (auto) or positive, not {overlap}.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>The scene ({width} x {height} pixels) is too large for per-image mode (at most {per_image_limit} pixels a side); use stride mode.</source>
      <translation>影像（{width} x {height} 像素）对整图模式来说过大（每边最多 {per_image_limit} 像素）；请使用步长模式。</translation>
    </message>
    <message>
      <source>OVERLAP must be 0 (auto) or 1..{max_overlap} pixels for a {tile}-pixel window, not {overlap}.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>The predict job's params must be a JSON object.</source>
      <translation>预测任务的 params 必须是 JSON 对象。</translation>
    </message>
    <message>
      <source>Unknown prediction parameter(s) {unknown}; expected some of {names}.</source>
      <translation>未知的预测参数 {unknown}；应为以下参数之一：{names}。</translation>
    </message>
    <message>
      <source>The prediction needs {missing}.</source>
      <translation>预测需要 {missing}。</translation>
    </message>
    <message>
      <source>The output nodata value {nodata_value} must be in 0..65535.</source>
      <translation>输出 nodata 值 {nodata_value} 必须在 0..65535 范围内。</translation>
    </message>
    <message>
      <source>MIN_AREA must not be negative ({min_area}).</source>
      <translation>MIN_AREA 不能为负数（{min_area}）。</translation>
    </message>
    <message>
      <source>LABEL_NEXT_COUNT must be at least 1, not {count}.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>The class, probability, confidence, entropy and vector outputs must be different files.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>An output would overwrite the input {input}.</source>
      <translation>某个输出将覆盖输入 {input}。</translation>
    </message>
    <message>
      <source>BANDS {bad} do not exist in {input}, which has {count} band(s).</source>
      <translation>BANDS 中的波段 {bad} 在 {input} 中不存在，该栅格有 {count} 个波段。</translation>
    </message>
    <message>
      <source>BANDS lists {n_bands} band(s) but the model {model} takes {n_model}.</source>
      <translation>BANDS 列出了 {n_bands} 个波段，但模型 {model} 需要 {n_model} 个。</translation>
    </message>
    <message>
      <source>The raster {input} has {count} band(s) but the model {model} takes {n_model} (trained on {band_names}); choose the {n_model} band(s) to use with BANDS.</source>
      <translation>栅格 {input} 有 {count} 个波段，但模型 {model} 需要 {n_model} 个（训练时使用 {band_names}）；请用 BANDS 选择要使用的 {n_model} 个波段。</translation>
    </message>
    <message>
      <source>The raster {input} has {count} band(s) but the model {model} takes {n_model}; choose the {n_model} band(s) to use with BANDS.</source>
      <translation>栅格 {input} 有 {count} 个波段，但模型 {model} 需要 {n_model} 个；请用 BANDS 选择要使用的 {n_model} 个波段。</translation>
    </message>
    <message>
      <source>EXTENT must be [xmin, ymin, xmax, ymax], not {extent}.</source>
      <translation>EXTENT 必须为 [xmin, ymin, xmax, ymax]，而不是 {extent}。</translation>
    </message>
    <message>
      <source>EXTENT {extent} is empty (xmax &lt;= xmin or ymax &lt;= ymin).</source>
      <translation>EXTENT {extent} 为空（xmax &lt;= xmin 或 ymax &lt;= ymin）。</translation>
    </message>
    <message>
      <source>EXTENT needs a north-up raster; {path} is rotated.</source>
      <translation>EXTENT 需要正北朝上的栅格；{path} 是旋转的。</translation>
    </message>
    <message>
      <source>EXTENT {extent} lies outside the raster {path} ({b_0:.3f}, {b_1:.3f}, {b_2:.3f}, {b_3:.3f}).</source>
      <translation>EXTENT {extent} 位于栅格 {path}（{b_0:.3f}, {b_1:.3f}, {b_2:.3f}, {b_3:.3f}）之外。</translation>
    </message>
    <message>
      <source>OGR cannot open the mask {mask} as a vector layer.</source>
      <translation>OGR 无法将掩膜 {mask} 作为矢量图层打开。</translation>
    </message>
    <message>
      <source>The mask {path} has no layer {name}.</source>
      <translation>掩膜 {path} 中没有图层 {name}。</translation>
    </message>
    <message>
      <source>The filter {subset} of the mask {mask} is invalid: {gdal_error}.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Cannot rasterize the mask {mask_path}: {gdal_error}.</source>
      <translation>无法栅格化掩膜 {mask_path}：{gdal_error}。</translation>
    </message>
    <message>
      <source>Cannot create the vector file {path}: {gdal_error}.</source>
      <translation>无法创建矢量文件 {path}：{gdal_error}。</translation>
    </message>
    <message>
      <source>The output nodata value {nodata_value} is also a class value; choose another NODATA value.</source>
      <translation>输出 nodata 值 {nodata_value} 同时也是类别值；请选择其他 NODATA 值。</translation>
    </message>
    <message>
      <source>The model file {model} has normalisation statistics for {size} band(s), not {n}.</source>
      <translation>模型文件 {model} 的归一化统计量对应 {size} 个波段，而不是 {n} 个。</translation>
    </message>
    <message>
      <source>Loading TensorFlow and the model {model}.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>GPU found: batch {batch}.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>TensorFlow and the model loaded in {seconds:.1f} s.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Predicted {width} x {height} pixels in {n_windows} window(s) ({empty} empty and {outside} outside the extent skipped), {seconds:.1f} s.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>First batch (with tracing) {t_first:.2f} s; the other {rest} window(s) {end:.2f} s ({rate:.2f} Mpixel/s of windows).</source>
      <translation>首个批次（含图追踪）{t_first:.2f} 秒；其余 {rest} 个窗口 {end:.2f} 秒（窗口处理速度 {rate:.2f} 百万像素/秒）。</translation>
    </message>
    <message>
      <source>GDAL could not read {input}: {gdal_error}.</source>
      <translation>GDAL 无法读取 {input}：{gdal_error}。</translation>
    </message>
    <message>
      <source>Per-image mode: {width} x {height} pixels resampled to {tile} x {tile}.</source>
      <translation>整图模式：{width} x {height} 像素重采样为 {tile} x {tile}。</translation>
    </message>
    <message>
      <source>Unknown prediction backend {backend}.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Out of memory: batch size halved to {batch}.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Unsupported pixel type {dtype}.</source>
      <translation>不支持的像素类型 {dtype}。</translation>
    </message>
    <message>
      <source>Unsupported GDAL pixel type {name}.</source>
      <translation>不支持的 GDAL 像素类型 {name}。</translation>
    </message>
    <message>
      <source>No {role} was given.</source>
      <translation>未指定 {role}。</translation>
    </message>
    <message>
      <source>The {role} file {path} does not exist.</source>
      <translation>{role} 文件 {path} 不存在。</translation>
    </message>
    <message>
      <source>GDAL cannot open the {role} {path}: {last_error}.</source>
      <translation>GDAL 无法打开 {role} {path}：{last_error}。</translation>
    </message>
    <message>
      <source>The {role} {path} has no raster bands.</source>
      <translation>{role} {path} 没有栅格波段。</translation>
    </message>
    <message>
      <source>The {role} {path} has {bands} bands, but a class raster has one band of class values. For a colour label (one colour per class), run Color to Index first.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>The class raster {path} holds the value {value}: class values must be whole numbers.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Tile size ({size}) and stride ({stride}) must be positive.</source>
      <translation>切片大小（{size}）和步长（{stride}）必须为正数。</translation>
    </message>
    <message>
      <source>The scene ({width} x {height} pixels) is smaller than a tile ({size} x {size}).</source>
      <translation>影像（{width} x {height} 像素）小于一个切片（{size} x {size}）。</translation>
    </message>
    <message>
      <source>The GDAL driver {driver} is not available.</source>
      <translation>GDAL 驱动 {driver} 不可用。</translation>
    </message>
    <message>
      <source>Cannot create {path}: {last_error}.</source>
      <translation>无法创建 {path}：{last_error}。</translation>
    </message>
    <message>
      <source>Cannot set the georeference of {path}: {last_error}.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Cannot create the folder {folder}: {error}.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>GDAL could not write {target}: {last_error}.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>The {role} {source} does not overlap the reference grid ({xmin:.3f}, {ymin:.3f}, {xmax:.3f}, {ymax:.3f}).</source>
      <translation>{role} {source} 与参考网格（{xmin:.3f}, {ymin:.3f}, {xmax:.3f}, {ymax:.3f}）不重叠。</translation>
    </message>
    <message>
      <source>Cannot align the {role} {source} to the grid: {last_error}.</source>
      <translation>无法将 {role} {source} 对齐到网格：{last_error}。</translation>
    </message>
    <message>
      <source>Cannot write {path}: {error}.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>The minimum learning rate ({min_lr}) is larger than the learning rate ({base}).</source>
      <translation>最小学习率（{min_lr}）大于学习率（{base}）。</translation>
    </message>
    <message>
      <source>Unknown learning-rate mode {mode}; valid modes: {lr_modes}.</source>
      <translation>未知的学习率模式 {mode}；有效模式：{lr_modes}。</translation>
    </message>
    <message>
      <source>The tile URL {url} uses quadkeys, which GDAL's tile reader does not take.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>The tile layer's zoom levels {zmin}..{zmax} are not valid.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>The extent {extent} must be xmin, ymin, xmax, ymax.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>The extent {extent} is empty (xmax &lt;= xmin or ymax &lt;= ymin).</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>The resolution must be positive, not {resolution}.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>The {role} {source} is a web layer with no pixel size of its own: give a RESOLUTION (map units per pixel) and an EXTENT.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>The {role} {source} has no georeference: it cannot be read at a resolution or extent.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>The extent ({e_0:.3f}, {e_1:.3f}, {e_2:.3f}, {e_3:.3f}) lies outside the {role} {source}.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Cannot read the {role} {source} at {resolution} map units per pixel: {last_error}.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Cannot open the validation area {vector}.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>The validation area {vector} has no layer {layer}.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>The validation area {vector} holds no polygon.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Unknown split method {method}: use one of {methods}.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>The split method 'area' needs a validation area (polygons).</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Importing {module} failed: {error}</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>NumPy {version} is installed; GDAL's Python bindings here are built for NumPy 1.x: install numpy&lt;2.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Keras {version} is installed; the engine needs Keras 3.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Keras runs on {backend}; the engine needs the TensorFlow backend (unset KERAS_BACKEND).</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Give either a label raster or a label vector, not both (label={label}, label_vector={label_vector}).</source>
      <translation>请提供标签栅格或标签矢量之一，不能同时提供（label={label}, label_vector={label_vector}）。</translation>
    </message>
    <message>
      <source>The image {image} ({width} x {height} pixels) is smaller than a tile ({tile_size} x {tile_size} pixels).</source>
      <translation>影像 {image}（{width} x {height} 像素）小于一个切片（{tile_size} x {tile_size} 像素）。</translation>
    </message>
    <message>
      <source>No chip of {image} has at least {min_labelled:.0%} labelled, valid pixels ({skipped} skipped): lower the minimum labelled fraction or check that the label covers the image.</source>
      <translation>{image} 中没有任何切片的有效已标注像素达到 {min_labelled:.0%}（跳过 {skipped} 个）：请降低最小标注比例，或检查标签是否覆盖影像。</translation>
    </message>
    <message>
      <source>The image {image} is too small for a spatial validation split with {tile_size}-pixel tiles: validation chips are drawn at random, and overlapping chips may share pixels across the split (dataset.json records how many).</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>{tile_count} chips from {image} ({train} train, {val} validation, {skipped} skipped) in {output_dir}</source>
      <translation>从 {image} 得到 {tile_count} 个切片（训练 {train} 个，验证 {val} 个，跳过 {skipped} 个），位于 {output_dir}</translation>
    </message>
    <message>
      <source>{dropped} chips straddled validation and training areas and were left out, so no validation pixel lies in a training chip.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>The label {source} has the value {wrong} at pixels ({x}, {y}) + {width} x {height}: class values must be whole numbers 0..254 (255 = unlabelled).</source>
      <translation>标签 {source} 在像素 ({x}, {y}) + {width} x {height} 处的值为 {wrong}：类别值必须是 0..254 的整数（255 = 未标注）。</translation>
    </message>
    <message>
      <source>Cannot create the chip {path}: {gdal_error}.</source>
      <translation>无法创建切片 {path}：{gdal_error}。</translation>
    </message>
    <message>
      <source>Cannot write the chip {path}: {gdal_error}.</source>
      <translation>无法写入切片 {path}：{gdal_error}。</translation>
    </message>
    <message>
      <source>The tile size must be positive (got {tile_size}).</source>
      <translation>切片大小必须为正数（当前为 {tile_size}）。</translation>
    </message>
    <message>
      <source>The stride must be positive (got {stride}).</source>
      <translation>步长必须为正数（当前为 {stride}）。</translation>
    </message>
    <message>
      <source>Tiles per image must be positive (got {tiles_per_image}).</source>
      <translation>每幅影像的切片数必须为正数（当前为 {tiles_per_image}）。</translation>
    </message>
    <message>
      <source>The validation fraction must be in [0, 1) (got {val_fraction}).</source>
      <translation>验证比例必须在 [0, 1) 范围内（当前为 {val_fraction}）。</translation>
    </message>
    <message>
      <source>The minimum labelled fraction must be in [0, 1] (got {min_labelled}).</source>
      <translation>最小标注比例必须在 [0, 1] 范围内（当前为 {min_labelled}）。</translation>
    </message>
    <message>
      <source>The dataset {where} has tiles of {dataset_tile_size} pixels; tiling {image} with {tile_size} would mix sizes.</source>
      <translation>数据集 {where} 的切片为 {dataset_tile_size} 像素；以 {tile_size} 切分 {image} 会混用不同大小。</translation>
    </message>
    <message>
      <source>The image {image} has {scene_bands} bands but the dataset {where} has {dataset_bands}.</source>
      <translation>影像 {image} 有 {scene_bands} 个波段，但数据集 {where} 有 {dataset_bands} 个。</translation>
    </message>
    <message>
      <source>The image {image} is {scene_data_type} but the dataset {where} is {dataset_data_type}.</source>
      <translation>影像 {image} 为 {scene_data_type}，但数据集 {where} 为 {dataset_data_type}。</translation>
    </message>
    <message>
      <source>The dataset {where} has labels: give {image} a label too.</source>
      <translation>数据集 {where} 带有标签：请同时为 {image} 提供标签。</translation>
    </message>
    <message>
      <source>The dataset {where} has no labels: give {image} no label.</source>
      <translation>数据集 {where} 不带标签：请不要为 {image} 提供标签。</translation>
    </message>
    <message>
      <source>The output folder {output_dir} is a file.</source>
      <translation>输出文件夹 {output_dir} 是一个文件。</translation>
    </message>
    <message>
      <source>The folder {output_dir} is not empty and holds no {dataset_json}: choose an empty folder or an existing dataset.</source>
      <translation>文件夹 {output_dir} 不为空且不含 {dataset_json}：请选择空文件夹或已有的数据集。</translation>
    </message>
    <message>
      <source>Name the class field of the label vector {vector}.</source>
      <translation>请指定标签矢量 {vector} 的类别字段。</translation>
    </message>
    <message>
      <source>The label vector file {path} does not exist.</source>
      <translation>标签矢量文件 {path} 不存在。</translation>
    </message>
    <message>
      <source>GDAL cannot open the label vector {path}: {gdal_error}.</source>
      <translation>GDAL 无法打开标签矢量 {path}：{gdal_error}。</translation>
    </message>
    <message>
      <source>The label vector {path} has no layer {layer_ref}.</source>
      <translation>标签矢量 {path} 中没有图层 {layer_ref}。</translation>
    </message>
    <message>
      <source>The label vector {vector} has no field {field} (fields: {fields}).</source>
      <translation>标签矢量 {vector} 中没有字段 {field}（现有字段：{fields}）。</translation>
    </message>
    <message>
      <source>The class field {field} of {vector} must be an integer field, not {field_type}.</source>
      <translation>{vector} 的类别字段 {field} 必须是整数字段，而不是 {field_type}。</translation>
    </message>
    <message>
      <source>The filter {subset} of the label vector {vector} is invalid: {gdal_error}.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Cannot read the label vector {vector}: {gdal_error}.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>The label vector {vector} has the class {value} in field {field}: classes must be whole numbers 0..254.</source>
      <translation>标签矢量 {vector} 的字段 {field} 中有类别 {value}：类别必须是 0..254 的整数。</translation>
    </message>
    <message>
      <source>Cannot rasterize the label vector {vector}: {gdal_error}.</source>
      <translation>无法栅格化标签矢量 {vector}：{gdal_error}。</translation>
    </message>
    <message>
      <source>The label vector {vector} does not overlap the image {source} (no polygon falls on it).</source>
      <translation>标签矢量 {vector} 与影像 {source} 不重叠（没有多边形落在影像上）。</translation>
    </message>
    <message>
      <source>Cannot write the dataset files in {folder}: {error}.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Unknown training parameter(s) {unknown}; valid: {known}.</source>
      <translation>未知的训练参数 {unknown}；有效参数：{known}。</translation>
    </message>
    <message>
      <source>The training parameter {parameter} is required.</source>
      <translation>必须提供训练参数 {parameter}。</translation>
    </message>
    <message>
      <source>OUTPUT_MODEL {output_model} must end in {suffix}.</source>
      <translation>OUTPUT_MODEL {output_model} 必须以 {suffix} 结尾。</translation>
    </message>
    <message>
      <source>ENCODER {encoder} does not fit MODEL {model}; choose one of {compatible_encoders}.</source>
      <translation>ENCODER {encoder} 不适用于 MODEL {model}；请从以下编码器中选择：{compatible_encoders}。</translation>
    </message>
    <message>
      <source>OUTPUT_STRIDE {output_stride} is not supported by {model} + {encoder}; choose one of {strides}.</source>
      <translation>{model} + {encoder} 不支持 OUTPUT_STRIDE {output_stride}；请从以下选项中选择：{strides}。</translation>
    </message>
    <message>
      <source>{parameter} must be at least {low}; got {value}.</source>
      <translation>{parameter} 必须至少为 {low}；当前为 {value}。</translation>
    </message>
    <message>
      <source>WIDTH must be positive (or 0, the network's default); got {width}.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>{parameter} must be positive; got {value}.</source>
      <translation>{parameter} 必须为正数；当前为 {value}。</translation>
    </message>
    <message>
      <source>MIN_LR must not be negative; got {min_lr}.</source>
      <translation>MIN_LR 不能为负数；当前为 {min_lr}。</translation>
    </message>
    <message>
      <source>INIT_MODEL {init_model} does not exist.</source>
      <translation>INIT_MODEL {init_model} 不存在。</translation>
    </message>
    <message>
      <source>ENCODER_WEIGHTS {encoder_weights} starts a new network; with INIT_MODEL {init_model} the weights come from that model: set ENCODER_WEIGHTS to none.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>ENCODER_WEIGHTS file needs ENCODER_WEIGHTS_FILE, an existing .weights.h5 or .keras file; got {encoder_weights_file}.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>ENCODER_WEIGHTS imagenet needs WIDTH 1 (the published network's width); got {width}.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>ENCODER_WEIGHTS imagenet: Keras Applications publishes no ImageNet weights for ENCODER {encoder}; choose one of {imagenet_encoders}.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>INIT_MODE resume needs the resume checkpoint {checkpoint}, written beside the output model while it trains (and removed when training finishes), but it does not exist; to start again from a finished model {init_model}, use INIT_MODE fine_tune.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>VIRTUAL_CPUS must be set before TensorFlow starts: {error}</source>
      <translation>VIRTUAL_CPUS 必须在 TensorFlow 启动前设置：{error}</translation>
    </message>
    <message>
      <source>Epoch {epoch}/{epochs}: loss {loss:.4f}, mIoU {miou:.4f}, val loss {val_loss:.4f}, val mIoU {val_miou:.4f}, val accuracy {val_accuracy:.4f}, learning rate {lr:.3g}; no gain for {wait} epochs: stopping early.</source>
      <translation>第 {epoch}/{epochs} 轮：损失 {loss:.4f}，mIoU {miou:.4f}，验证损失 {val_loss:.4f}，验证 mIoU {val_miou:.4f}，验证精度 {val_accuracy:.4f}，学习率 {lr:.3g}；已连续 {wait} 轮没有提升：提前停止。</translation>
    </message>
    <message>
      <source>Epoch {epoch}/{epochs}: loss {loss:.4f}, mIoU {miou:.4f}, val loss {val_loss:.4f}, val mIoU {val_miou:.4f}, val accuracy {val_accuracy:.4f}, learning rate {lr:.3g} (best so far)</source>
      <translation>第 {epoch}/{epochs} 轮：损失 {loss:.4f}，mIoU {miou:.4f}，验证损失 {val_loss:.4f}，验证 mIoU {val_miou:.4f}，验证精度 {val_accuracy:.4f}，学习率 {lr:.3g}（目前最佳）</translation>
    </message>
    <message>
      <source>Epoch {epoch}/{epochs}: loss {loss:.4f}, mIoU {miou:.4f}, val loss {val_loss:.4f}, val mIoU {val_miou:.4f}, val accuracy {val_accuracy:.4f}, learning rate {lr:.3g}</source>
      <translation>第 {epoch}/{epochs} 轮：损失 {loss:.4f}，mIoU {miou:.4f}，验证损失 {val_loss:.4f}，验证 mIoU {val_miou:.4f}，验证精度 {val_accuracy:.4f}，学习率 {lr:.3g}</translation>
    </message>
    <message>
      <source>INIT_MODEL {init_model} takes {model_bands} band(s) but the dataset {folder} has {dataset_bands}.</source>
      <translation>INIT_MODEL {init_model} 需要 {model_bands} 个波段，但数据集 {folder} 有 {dataset_bands} 个。</translation>
    </message>
    <message>
      <source>INIT_MODEL {init_model} predicts {n_classes} classes but the dataset {folder} has {dataset_classes} ({class_values}).</source>
      <translation>INIT_MODEL {init_model} 预测 {n_classes} 个类别，但数据集 {folder} 有 {dataset_classes} 个（{class_values}）。</translation>
    </message>
    <message>
      <source>INIT_MODEL {init_model} does not fit the dataset {folder}: its classes (value: name) are {model_classes}, the dataset's are {dataset_classes}; each output channel must keep its value and name.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>The resume checkpoint {checkpoint} holds the state of another optimizer ({saved} variables, this run's has {current}).</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>The dataset's tiles are {tile_size} pixels but {model} + {encoder} at output stride {output_stride} needs a multiple of {divisor}: tile again with another TILE_SIZE or pick another OUTPUT_STRIDE.</source>
      <translation>数据集的切片为 {tile_size} 像素，但 {model} + {encoder} 在输出步幅 {output_stride} 下需要 {divisor} 的倍数：请用其他 TILE_SIZE 重新切片，或选择其他 OUTPUT_STRIDE。</translation>
    </message>
    <message>
      <source>Resuming {model} + {encoder} from {checkpoint} after epoch {epochs_done} of {epochs}.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>The resume checkpoint {checkpoint} has all {epochs} epochs of its run done: nothing to resume; fine-tune instead.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Reading {n_train} training and {n_val} validation chips ({tile_size} x {tile_size}, {bands} bands, {n_classes} classes) from {folder}.</source>
      <translation>正在从 {folder} 读取 {n_train} 个训练切片和 {n_val} 个验证切片（{tile_size} x {tile_size}，{bands} 个波段，{n_classes} 个类别）。</translation>
    </message>
    <message>
      <source>Warning: the dataset has no validation chips (val.txt is empty): validating on the training chips.</source>
      <translation>警告：数据集没有验证切片（val.txt 为空）：将使用训练切片进行验证。</translation>
    </message>
    <message>
      <source>Fine-tuning {model} + {encoder} from {init_model}.</source>
      <translation>正在从 {init_model} 微调 {model} + {encoder}。</translation>
    </message>
    <message>
      <source>Starting the {encoder} encoder from its ImageNet weights (Keras Applications).</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>FREEZE_ENCODER_EPOCHS needs a network with an encoder; {name} has none.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>{name}: {parameters:,} parameters; {epochs} epochs of {steps} steps, batch {batch_size}, {replicas} replica(s), mixed precision. Preparing the training step (the first step takes longest).</source>
      <translation>{name}：{parameters:,} 个参数；{epochs} 轮，每轮 {steps} 步，批大小 {batch_size}，{replicas} 个副本，混合精度。正在准备训练步骤（第一步耗时最长）。</translation>
    </message>
    <message>
      <source>{name}: {parameters:,} parameters; {epochs} epochs of {steps} steps, batch {batch_size}, {replicas} replica(s). Preparing the training step (the first step takes longest).</source>
      <translation>{name}：{parameters:,} 个参数；{epochs} 轮，每轮 {steps} 步，批大小 {batch_size}，{replicas} 个副本。正在准备训练步骤（第一步耗时最长）。</translation>
    </message>
    <message>
      <source>Epochs {first} to {last}: training the decoder, the encoder frozen.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Epochs {first} to {last}: training the whole network.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Saving the best network (epoch {best_epoch}, val mIoU {best_miou:.4f}) to {output_model}.</source>
      <translation>正在将最佳网络（第 {best_epoch} 轮，验证 mIoU {best_miou:.4f}）保存到 {output_model}。</translation>
    </message>
    <message>
      <source>{error}</source>
      <translation>{error}</translation>
    </message>
    <message>
      <source>The vector output {path} must end with one of {drivers} (GeoPackage or Shapefile).</source>
      <translation>矢量输出 {path} 必须以 {drivers} 之一结尾（GeoPackage 或 Shapefile）。</translation>
    </message>
    <message>
      <source>Polygonizing into {path} failed: {gdal_error}.</source>
      <translation>多边形化到 {path} 失败：{gdal_error}。</translation>
    </message>
    <message>
      <source>Unknown task {task}; expected one of {tasks}.</source>
      <translation>未知任务 {task}；应为以下之一：{tasks}。</translation>
    </message>
    <message>
      <source>The engine could not import {module}: install TensorFlow into the Python the plugin uses ({python}). {error}</source>
      <translation>引擎无法导入 {module}：请将 TensorFlow 安装到插件所用的 Python 中（{python}）。{error}</translation>
    </message>
    <message>
      <source>Cannot read the job file {path}: {error}</source>
      <translation>无法读取任务文件 {path}：{error}</translation>
    </message>
  </context>
</TS>
