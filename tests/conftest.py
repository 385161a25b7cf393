import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))


@pytest.fixture(autouse=True, scope="session")
def _result_cache_outside_the_checkout(tmp_path_factory):
    """`tfv check` keeps its cache beside the pyproject.toml in force, which for the fixture runs is
    this repository's: the suite's runs (and the commands they start) keep theirs in a temporary
    folder instead. The cache tests choose their own folders."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("TFV_CACHE_DIR", str(tmp_path_factory.mktemp("tfv_cache")))
        yield
