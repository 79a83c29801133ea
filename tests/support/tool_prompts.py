"""Generated tool-choice prompts: five tools and prompts that each call for one of them.

`prompts(100, seed=0)` is reproducible: the same seed gives the same prompts. Each prompt
names the tool it is about in words (never by its name), so which tool a model picks can
be scored; the arguments it gives are checked against the tool's own JSON schema.

Example:
    >>> [p.tool for p in prompts(3)]
    ['set_timer', 'convert_currency', 'get_weather']
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any, Literal

from langchain_core.tools import tool


@tool
def get_weather(city: str, unit: Literal["celsius", "fahrenheit"] = "celsius") -> str:
    """Get the current weather in a city."""
    return f"sunny in {city}, 21 degrees {unit}"


@tool
def convert_currency(amount: float, from_currency: str, to_currency: str) -> str:
    """Convert an amount of money from one currency to another."""
    return f"{amount} {from_currency} is {amount * 1.1:.2f} {to_currency}"


@tool
def set_timer(minutes: int, label: str) -> str:
    """Set a countdown timer for a number of minutes, with a label."""
    return f"timer '{label}' set for {minutes} minutes"


@tool
def send_email(to: str, subject: str, body: str) -> str:
    """Send an email to an address, with a subject and a body."""
    return f"sent to {to}"


@tool
def search_products(query: str, max_price: float, in_stock_only: bool = True) -> str:
    """Search the shop's products by keywords, up to a maximum price."""
    return f"3 products for {query!r} under {max_price}"


TOOLS = [get_weather, convert_currency, set_timer, send_email, search_products]

CITIES = ["Paris", "Tokyo", "Lima", "Oslo", "Cairo", "Denver", "Hanoi", "Madrid"]
CURRENCIES = ["EUR", "USD", "GBP", "JPY", "CHF"]
TASKS = ["pasta", "tea", "laundry", "the meeting", "a stretch break", "bread"]
PEOPLE = ["ana@example.com", "li@example.org", "sam@example.net"]
TOPICS = ["the quarterly report", "lunch on Friday", "the new office", "holiday plans"]
PRODUCTS = ["running shoes", "a desk lamp", "headphones", "a rain jacket", "a teapot"]

TEMPLATES: dict[str, list[str]] = {
    "get_weather": [
        "What's the weather like in {city} right now?",
        "Is it raining in {city} today? Tell me the temperature in {unit}.",
        "How warm is it in {city}?",
    ],
    "convert_currency": [
        "How much is {amount} {a} in {b}?",
        "Convert {amount} {a} to {b}, please.",
        "I have {amount} {a}. What is that in {b}?",
    ],
    "set_timer": [
        "Set a timer for {minutes} minutes for {task}.",
        "Remind me in {minutes} minutes about {task} with a countdown.",
        "Start a {minutes}-minute countdown called {task}.",
    ],
    "send_email": [
        "Email {person} about {topic}.",
        "Send a message to {person} with the subject {topic}.",
        "Write to {person} by email: we need to talk about {topic}.",
    ],
    "search_products": [
        "Find {product} under {price} dollars in the shop.",
        "Do you sell {product} for less than {price}?",
        "Search the store for {product}, at most {price}.",
    ],
}


@dataclass(frozen=True)
class ToolPrompt:
    text: str
    tool: str
    """The tool the prompt asks for."""


def prompts(n: int = 100, seed: int = 0) -> list[ToolPrompt]:
    """`n` prompts, the tools in turn in a seeded order, the wording and values drawn."""
    rng = random.Random(seed)
    names = list(TEMPLATES)
    out = []
    for i in range(n):
        if i % len(names) == 0:
            rng.shuffle(names)
        name = names[i % len(names)]
        a, b = rng.sample(CURRENCIES, 2)
        values: dict[str, Any] = {
            "city": rng.choice(CITIES),
            "unit": rng.choice(["celsius", "fahrenheit"]),
            "amount": rng.choice([5, 12.5, 40, 99, 250, 1000]),
            "a": a,
            "b": b,
            "minutes": rng.randint(1, 90),
            "task": rng.choice(TASKS),
            "person": rng.choice(PEOPLE),
            "topic": rng.choice(TOPICS),
            "product": rng.choice(PRODUCTS),
            "price": rng.choice([20, 35, 60, 150]),
        }
        out.append(ToolPrompt(rng.choice(TEMPLATES[name]).format(**values), name))
    return out


def schemas() -> dict[str, dict[str, Any]]:
    """Each tool's argument schema (JSON schema), by tool name."""
    from langchain_core.utils.function_calling import convert_to_openai_tool

    specs = [convert_to_openai_tool(t)["function"] for t in TOOLS]
    return {s["name"]: s["parameters"] for s in specs}
