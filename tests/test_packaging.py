"""The release zip (`make zip`): what QGIS needs is in it, the development files are
not, metadata.txt has every field the plugin repository requires, and the unzipped
plugin loads in a fresh qgis_process."""

import configparser

import pytest

PLUGIN = "semantic_segmentation"
REQUIRED_METADATA = ("name", "qgisMinimumVersion", "description", "about", "version", "author",
                     "email", "repository", "tracker", "homepage", "tags", "category", "icon",
                     "experimental", "hasProcessingProvider")
REQUIRED_FILES = ("metadata.txt", "__init__.py", "LICENSE", "README.md",
                  "seg_plugin/__init__.py", "seg_plugin/provider.py",
                  "seg_plugin/dependencies.py", "algorithms/__init__.py",
                  "engine/__init__.py", "engine/__main__.py", "models/__init__.py",
                  "resources/icon.svg", "resources/models/segmentation_chain.model3",
                  "resources/sample/landsat8_cloud.tif",
                  "resources/sample/landsat8_cloud_label.tif",
                  "requirements.txt")  # what Set up the engine installs
EXCLUDED_TOP = ("tests", "bench", ".ci", ".venv", "scripts", "dist", "demo_output", ".git")


@pytest.fixture(scope="module")
def plugin_dir(release_plugin):
    """`make zip` (git archive of HEAD), unzipped."""
    return release_plugin


def test_zip_holds_what_qgis_needs(plugin_dir):
    missing = [f for f in REQUIRED_FILES if not (plugin_dir / f).is_file()]
    assert missing == []
    assert list((plugin_dir / "resources" / "colormaps").iterdir())


def test_zip_ships_compiled_translations(plugin_dir):
    """QGIS loads .qm files only: every translation source needs its compiled file."""
    sources = sorted(p.stem for p in (plugin_dir / "i18n").glob("*.ts"))
    assert sources, "no translations in i18n/"
    missing = [s for s in sources if not (plugin_dir / "i18n" / f"{s}.qm").is_file()]
    assert missing == [], "commit the .qm files `make i18n` builds"


def test_zip_leaves_out_development_files(plugin_dir):
    top = {p.name for p in plugin_dir.iterdir()}
    assert not top & set(EXCLUDED_TOP)
    assert not list(plugin_dir.rglob("*.pyc")) and not list(plugin_dir.rglob("__pycache__"))


def test_metadata_has_every_required_field(plugin_dir):
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # keys are case-sensitive (qgisMinimumVersion)
    parser.read(plugin_dir / "metadata.txt", encoding="utf-8")
    general = parser["general"]
    empty = [key for key in REQUIRED_METADATA if not general.get(key, "").strip()]
    assert empty == []
    assert (plugin_dir / general["icon"]).is_file()
    assert general["hasProcessingProvider"].lower() in ("yes", "true")
    assert tuple(int(x) for x in general["qgisMinimumVersion"].split(".")[:2]) >= (3, 22)
    assert general["version"].count(".") >= 1


def test_unzipped_plugin_loads_in_a_fresh_qgis_process(stock_qgis_process):
    listing = stock_qgis_process("list", timeout=120)
    assert listing.returncode == 0, listing.stderr
    for alg in ("tiledataset", "colortoindex", "trainmodel", "predictraster", "evaluate"):
        assert f"semseg:{alg}" in listing.stdout
    assert "semseg:segmentationchain\tSegmentation chain (tile, train, predict, evaluate)" \
        in listing.stdout
