"""Output schemas of the shipped extract chains.

Lists are flat and de-duplicable so that texts longer than the context window can be
extracted piecewise and merged (list fields concatenated and de-duplicated).
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class Contacts(BaseModel):
    """People, email addresses, phone numbers and organisations named in a text."""

    model_config = ConfigDict(extra="forbid")

    people: list[str] = Field(
        default_factory=list, description="Full names of people, as written in the text."
    )
    emails: list[str] = Field(default_factory=list, description="Email addresses.")
    phones: list[str] = Field(
        default_factory=list, description="Phone numbers, as written in the text."
    )
    organizations: list[str] = Field(
        default_factory=list, description="Companies, agencies and other organisations."
    )


class LineItem(BaseModel):
    """One billed line of an invoice."""

    model_config = ConfigDict(extra="forbid")

    description: str = Field(description="What was billed.")
    quantity: float = Field(description="How many units (1 when not stated).")
    unit_price: float = Field(description="Price of one unit, without currency sign.")
    amount: float = Field(description="Line total, without currency sign.")


class Invoice(BaseModel):
    """The key facts of an invoice.

    Lists come last: a model cut off at its token limit then loses line items, not the
    total (see `inhouse.jsontext`).
    """

    model_config = ConfigDict(extra="forbid")

    vendor: str = Field(description="Who issued the invoice (the seller).")
    invoice_number: str | None = Field(default=None, description="The invoice number or id.")
    date: str | None = Field(default=None, description="Invoice date as YYYY-MM-DD.")
    currency: str = Field(description="ISO 4217 code such as EUR, USD, GBP.")
    subtotal: float | None = Field(default=None, description="Total before tax.")
    tax: float | None = Field(default=None, description="Tax amount.")
    total: float = Field(description="Amount due, including tax.")
    line_items: list[LineItem] = Field(default_factory=list, description="Billed lines.")
