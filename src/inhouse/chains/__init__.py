"""Chains: LCEL runnables built from spec files in `chains/` (or your own folders).

Example:
    >>> from inhouse import load_settings, load_chain
    >>> settings = load_settings()
    >>> chat = load_chain("chat", settings)
    >>> chat.invoke("Hi, I am Ada.", {"configurable": {"session_id": "ada"}})  # doctest: +SKIP
    >>> load_chain("summarize", settings, max_tokens=80).invoke(long_text)  # doctest: +SKIP
    >>> load_chain("extract_invoice", settings).invoke({"text": scan})  # doctest: +SKIP

Add a chain by adding a ``NAME.toml`` to a folder listed in ``chains.paths``
(`inhouse.chains.spec` documents the fields).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from inhouse.chains.spec import ChainSpec, chain_names, find_spec, read_spec
from inhouse.errors import ConfigError

if TYPE_CHECKING:
    from langchain_core.runnables import Runnable

    from inhouse.settings.schema import Settings

SPEC_OVERRIDES = ("system", "template", "history")
GENERATION_OVERRIDES = ("temperature", "max_tokens", "stop")


def apply_overrides(spec: ChainSpec, overrides: dict[str, Any]) -> tuple[ChainSpec, dict]:
    """Spec fields and generation parameters from `overrides` put into the spec.

    Returns the new spec and the remaining options (for the kind's builder).
    """
    options = dict(overrides)
    fields = {k: options.pop(k) for k in SPEC_OVERRIDES if k in options}
    generation = {k: options.pop(k) for k in GENERATION_OVERRIDES if k in options}
    if generation:
        fields["generation"] = {**spec.generation.model_dump(), **generation}
    if not fields:
        return spec, options
    data = {**spec.model_dump(by_alias=True, exclude={"output_schema"}), **fields}
    data["schema"] = spec.output_schema
    try:
        updated = ChainSpec.model_validate(data, context={"folder": spec.path and spec.path.parent})
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        msg = f"load_chain({spec.name!r}): bad override {where}: {first['msg']}"
        raise ConfigError(msg) from None
    return updated.model_copy(update={"path": spec.path}), options


def load_chain(name: str, settings: Settings | None = None, **overrides: Any) -> Runnable:
    """The chain `name` (a spec name or a path to a ``.toml`` spec) as an LCEL `Runnable`.

    `overrides` may set spec fields (``system``, ``template``, ``history``), generation
    parameters (``temperature``, ``max_tokens``, ``stop``) and the kind's own options:
    ``model`` (a chat model to use instead of the configured one), ``session_id`` (chat:
    the default session), ``constrained`` (extract: False for the prompt-only baseline),
    ``retriever`` (rag).

    Raises:
        ConfigError: unknown chain (the message lists the available ones), a broken spec
            (file, field and problem), or an option the kind does not take.
    """
    from inhouse.chains.build import build
    from inhouse.settings import load_settings

    settings = settings or load_settings()
    spec, options = apply_overrides(find_spec(name, settings), overrides)
    return build(spec, settings, options)


__all__ = ["ChainSpec", "chain_names", "find_spec", "load_chain", "read_spec"]
