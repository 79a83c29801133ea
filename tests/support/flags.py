"""The test run's own switches, read once from the environment and then removed from it.

``INHOUSE_TEST_FULL=1`` (`make test-all`), ``INHOUSE_TEST_SEED``,
``INHOUSE_TEST_OLLAMA_MODEL``, ``INHOUSE_TEST_ARTIFACTS`` and ``INHOUSE_SCREENSHOT_DIR``
share the settings' ``INHOUSE_`` prefix, and `load_settings` takes an unknown
``INHOUSE_*`` variable for a typo. The root conftest imports this module first, so no
fixture of any scope (a module-scoped one runs before the per-test `isolated_env`) and
no test sees them in `os.environ`: tests read them here.
"""

from __future__ import annotations

import os

_NAMES = ("INHOUSE_TEST_", "INHOUSE_SCREENSHOT_DIR")
FLAGS: dict[str, str] = {
    name: os.environ.pop(name) for name in list(os.environ) if name.startswith(_NAMES)
}
FULL = FLAGS.get("INHOUSE_TEST_FULL") == "1"
"""The whole suite (`make test-all`), not the default subset."""


def flag(name: str, default: str = "") -> str:
    """The value of the test switch `name` (``INHOUSE_TEST_SEED``, ...), or `default`."""
    return FLAGS.get(name, default)
