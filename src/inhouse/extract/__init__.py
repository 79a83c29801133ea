"""Structured extraction: text in, a schema-valid object out.

Example:
    >>> from inhouse import load_settings
    >>> from inhouse.chains.schemas import Invoice
    >>> from inhouse.extract import extract
    >>> extract("ACME Ltd invoice 7, total EUR 12.50", Invoice).total  # doctest: +SKIP
    12.5

`extraction_chain` builds the runnable over any chat model; `extract` uses the
configured one. Output is constrained by each provider's native JSON-schema decoding,
validated, repaired once, and raises `ExtractionError` (with `.raw_output`) otherwise.
"""

from inhouse.extract.chain import extract, extraction_chain
from inhouse.extract.errors import ExtractionError

__all__ = ["ExtractionError", "extract", "extraction_chain"]
