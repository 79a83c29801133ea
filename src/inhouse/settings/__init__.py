"""Settings: pydantic-settings models, TOML profiles, `.env` and environment overrides."""

from inhouse.settings.loader import builtin_config_dir, load_settings, profile_names, with_profile
from inhouse.settings.schema import (
    CloudSettings,
    EmbeddingSettings,
    LLMSettings,
    ModelSection,
    ModelsSettings,
    RouterSettings,
    Settings,
    VectorstoreSettings,
)

__all__ = [
    "CloudSettings",
    "EmbeddingSettings",
    "LLMSettings",
    "ModelSection",
    "ModelsSettings",
    "RouterSettings",
    "Settings",
    "VectorstoreSettings",
    "builtin_config_dir",
    "load_settings",
    "profile_names",
    "with_profile",
]
