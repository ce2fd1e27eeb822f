"""pytest configuration for the export tool's tests: the `full` marker (every torchvision classifier at its default
size, hours on 2 cores) is deselected unless asked for with `-m full` or EXPORT_TEST_FULL=1."""
import os

import pytest


def pytest_configure(config):
    config.addinivalue_line("markers", "full: every torchvision classifier at its default size (slow; -m full)")


def pytest_collection_modifyitems(config, items):
    if os.environ.get("EXPORT_TEST_FULL") or "full" in (config.getoption("-m") or ""):
        return
    skip = pytest.mark.skip(reason="slow: run with -m full or EXPORT_TEST_FULL=1")
    for item in items:
        if "full" in item.keywords:
            item.add_marker(skip)
