"""Every docstring example in the package runs, or says it does not (`# doctest: +SKIP`).

Examples that need a model, a server or a knowledge base are marked +SKIP; the rest run
here, so none can go stale silently.
"""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import inhouse

MODULES = sorted(
    info.name
    for info in pkgutil.walk_packages(inhouse.__path__, prefix="inhouse.")
    if info.name != "inhouse.__main__"
)


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_run(name: str) -> None:
    module = importlib.import_module(name)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    for test in doctest.DocTestFinder(exclude_empty=True).find(module, name):
        if test.filename and not test.filename.endswith(".py"):
            continue
        runner.run(test)
    result = runner.summarize(verbose=False)
    assert result.failed == 0, f"{result.failed} docstring example(s) in {name} failed"


def test_every_module_is_collected() -> None:
    assert {"inhouse.tokens", "inhouse.evaluate.router", "inhouse.settings.provider_names"} <= set(
        MODULES
    )
