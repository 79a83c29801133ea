"""Chain spec files: one TOML file per chain, validated strictly.

A spec lives in the built-in `chains/` folder or in a folder named in
``settings.chains.paths`` (searched first, so a user's spec replaces a built-in one of
the same name). Example ``chains/summarize.toml``::

    name = "summarize"
    kind = "chat"
    description = "Summarise a text in a few sentences."
    history = false
    system = "You write short, faithful summaries."
    template = "Summarise this text:\\n\\n{text}"

    [generation]
    temperature = 0.0
    max_tokens = 200

An ``extract`` spec also names its output ``schema``: a Pydantic model as
``"module:Class"``, a JSON Schema file next to the spec (``"invoice.schema.json"``), or an
inline JSON Schema table; and optional few-shot ``[[examples]]`` (``input`` text and
``output`` object).

Example:
    >>> from inhouse import load_settings
    >>> spec = find_spec("summarize", load_settings())
    >>> spec.kind
    'chat'
"""

from __future__ import annotations

import difflib
import importlib
import json
import string
from pathlib import Path
from typing import Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from inhouse.errors import ConfigError
from inhouse.settings.loader import read_toml
from inhouse.settings.schema import Settings

SUFFIX = ".toml"
REQUIRED_INPUTS = {"extract": ("text",), "rag": ("context", "question")}


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Generation(Strict):
    """Generation parameters applied over ``settings.llm`` for this chain (empty: keep)."""

    temperature: float | None = Field(default=None, ge=0, le=2, description="Sampling heat.")
    max_tokens: int | None = Field(default=None, gt=0, description="Most tokens to generate.")
    stop: list[str] | None = Field(default=None, description="Stop sequences.")


class Example(Strict):
    """One few-shot example of an extract chain."""

    input: str = Field(description="The input text.")
    output: dict[str, Any] = Field(description="The object to extract from it.")


class ChainSpec(Strict):
    """One chain: what it does, its prompts and its parameters."""

    name: str = Field(description="The chain's name; must match the file name.")
    kind: Literal["chat", "extract", "rag"] = Field(description="Which builder makes it.")
    description: str = Field(description="One line shown in listings.")
    system: str | None = Field(default=None, description="The system prompt.")
    template: str = Field(
        default="{input}", description="The user message; {names} are the chain's inputs."
    )
    history: bool = Field(
        default=True, description="chat: keep a per-session history (stored in SQLite)."
    )
    generation: Generation = Field(default_factory=Generation)
    output_schema: Any = Field(
        default=None,
        alias="schema",
        description="extract: `module:Class`, a JSON Schema file name, or an inline schema.",
    )
    examples: list[Example] = Field(default_factory=list, description="extract: few-shot.")
    path: Path | None = Field(default=None, exclude=True, description="Where it was read.")

    @property
    def inputs(self) -> list[str]:
        """The names the template expects, in order."""
        names = [f for _, f, _, _ in string.Formatter().parse(self.template) if f]
        return list(dict.fromkeys(names))

    @field_validator("template")
    @classmethod
    def _template_parses(cls, value: str) -> str:
        try:
            names = [f for _, f, _, _ in string.Formatter().parse(value) if f is not None]
        except ValueError as exc:
            msg = f"not a valid template ({exc}); write literal braces as {{{{ and }}}}"
            raise ValueError(msg) from None
        if not any(names):
            msg = "the template names no input; add one such as {input}"
            raise ValueError(msg)
        return value

    @field_validator("output_schema", mode="before")
    @classmethod
    def _resolve_schema(cls, value: Any, info: ValidationInfo) -> Any:
        if value is None:
            return None
        folder = (info.context or {}).get("folder") or Path.cwd()
        return resolve_schema(value, Path(folder))

    @model_validator(mode="after")
    def _fits_kind(self) -> ChainSpec:
        if self.kind == "extract" and self.output_schema is None:
            msg = (
                "field 'schema': extract chains need one (`module:Class`, a .json file name"
                " or a table)"
            )
            raise ValueError(msg)
        if self.kind != "extract" and (self.output_schema is not None or self.examples):
            msg = f"fields 'schema' and 'examples' belong to extract chains, not {self.kind}"
            raise ValueError(msg)
        needed = REQUIRED_INPUTS.get(self.kind)
        if needed and set(self.inputs) != set(needed):
            names = " and ".join("{" + n + "}" for n in needed)
            msg = f"field 'template': {self.kind} templates take exactly {names}"
            raise ValueError(msg)
        if isinstance(self.output_schema, type):
            for number, example in enumerate(self.examples):
                _check_example(self.output_schema, example, number)
        return self


def _check_example(model: type[BaseModel], example: Example, number: int) -> None:
    try:
        model.model_validate(example.output)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        msg = f"field 'examples.{number}.output' does not fit the schema at {where}: {first['msg']}"
        raise ValueError(msg) from None


def resolve_schema(value: Any, folder: Path) -> type[BaseModel] | dict[str, Any]:
    """A Pydantic model class (``"module:Class"``) or a JSON Schema dict (file or inline)."""
    if isinstance(value, type) and issubclass(value, BaseModel):
        return value
    if isinstance(value, dict):
        if "type" not in value and "properties" not in value and "$ref" not in value:
            msg = "an inline JSON Schema needs at least `type` or `properties`"
            raise ValueError(msg)
        return value
    if not isinstance(value, str):
        msg = f"expected `module:Class`, a .json file name or a table, got {value!r}"
        raise ValueError(msg)
    if value.endswith(".json"):
        return _schema_file(folder / value)
    return _import_model(value)


def _schema_file(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        msg = f"cannot read JSON Schema file {path}: {exc.strerror}"
        raise ValueError(msg) from None
    except json.JSONDecodeError as exc:
        msg = f"JSON Schema file {path} is not valid JSON: {exc}"
        raise ValueError(msg) from None
    if not isinstance(data, dict):
        msg = f"JSON Schema file {path} must hold an object"
        raise ValueError(msg)
    return data


def _import_model(dotted: str) -> type[BaseModel]:
    module_name, _, attr = dotted.partition(":")
    if not module_name or not attr:
        msg = f"{dotted!r} is not `module:Class` (e.g. inhouse.chains.schemas:Invoice)"
        raise ValueError(msg)
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        msg = f"cannot import module {module_name!r} ({exc})"
        raise ValueError(msg) from None
    found = getattr(module, attr, None)
    if not (isinstance(found, type) and issubclass(found, BaseModel)):
        msg = f"{dotted!r} is not a Pydantic model class"
        raise ValueError(msg)
    return found


# -- finding and reading spec files --------------------------------------------------------


def builtin_chains_dir() -> Path:
    """The specs shipped with inhouse: `chains/` in a checkout, `_chains/` in a wheel."""
    package = Path(__file__).resolve().parents[1]
    for candidate in (package / "_chains", package.parents[1] / "chains"):
        if candidate.is_dir():
            return candidate
    return package / "_chains"


def spec_dirs(settings: Settings) -> list[Path]:
    """Folders searched for specs, first match winning: the user's, then the built-in one."""
    return [*settings.chains.paths, builtin_chains_dir()]


def spec_files(settings: Settings) -> dict[str, Path]:
    """Every chain name that can be loaded, with the file that defines it."""
    found: dict[str, Path] = {}
    for folder in reversed(spec_dirs(settings)):
        if folder.is_dir():
            found.update({p.stem: p for p in sorted(folder.glob(f"*{SUFFIX}"))})
    return dict(sorted(found.items()))


def chain_names(settings: Settings) -> list[str]:
    """The names `load_chain` accepts."""
    return list(spec_files(settings))


def find_spec(name: str, settings: Settings) -> ChainSpec:
    """The validated spec for a chain name, or for a path to a spec file."""
    if name.endswith(SUFFIX) and Path(name).expanduser().is_file():
        return read_spec(Path(name).expanduser())
    files = spec_files(settings)
    if name not in files:
        close = difflib.get_close_matches(name, files, n=1)
        hint = f"did you mean {close[0]!r}? " if close else ""
        where = ", ".join(str(d) for d in spec_dirs(settings))
        msg = (
            f"unknown chain {name!r}; {hint}available: {', '.join(files) or 'none'}"
            f" (spec files in {where})"
        )
        raise ConfigError(msg)
    return read_spec(files[name])


def read_spec(path: Path) -> ChainSpec:
    """Read and validate one spec file.

    Raises:
        ConfigError: one line naming the file, the field and the problem.
    """
    data = read_toml(path, "chain spec")
    try:
        spec = ChainSpec.model_validate(data, context={"folder": path.parent})
    except ValidationError as exc:
        raise ConfigError(_describe(path, exc)) from None
    if spec.name != path.stem:
        msg = (
            f"chain spec {path}: field 'name': {spec.name!r} does not match the file name;"
            f" set name = {path.stem!r} or rename the file"
        )
        raise ConfigError(msg)
    return spec.model_copy(update={"path": path})


def _known_fields(loc: tuple[Any, ...]) -> list[str]:
    model: type[BaseModel] = ChainSpec
    if loc[:1] == ("generation",):
        model = Generation
    elif loc[:1] == ("examples",):
        model = Example
    return [info.alias or name for name, info in model.model_fields.items() if name != "path"]


def _describe(path: Path, exc: ValidationError) -> str:
    error = exc.errors()[0]
    loc = tuple(error["loc"])
    field = ".".join(str(p) for p in loc)
    if error["type"] == "extra_forbidden":
        close = difflib.get_close_matches(str(loc[-1]), _known_fields(loc), n=1)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        problem = f"unknown field{hint}"
    elif error["type"] == "missing":
        problem = "required field is missing"
    else:
        problem = str(error["msg"]).removeprefix("Value error, ")
        if "input" in error and not isinstance(error["input"], dict | list):
            problem += f" (got {error['input']!r})"
    more = f" (and {len(exc.errors()) - 1} more)" if len(exc.errors()) > 1 else ""
    where = f"field {field!r}: " if loc else ""
    return f"chain spec {path}: {where}{problem}{more}"
