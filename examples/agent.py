"""A LangChain agent with two tools, on the local model.

Run: python examples/agent.py ["What is the status of order A-1001, and its total in USD?"]

`create_agent` (LangChain 1.x, `pip install langchain`) calls `bind_tools` on the chat
model; on llama.cpp and transformers the calls are decoded under a grammar built from
the tools' schemas, so even the bundled 135M model calls a tool that exists with
arguments that fit it. What it does with the results is up to the model.
"""

import sys

from langchain.agents import create_agent
from langchain.agents.middleware import wrap_model_call
from langchain_core.messages import AIMessage, ToolMessage
from langchain_core.tools import tool

from inhouse import chat_model, load_settings

ORDERS = {
    "A-1001": ("shipped", 120.0, "EUR"),
    "B-2002": ("processing", 75.5, "GBP"),
    "C-3003": ("delivered", 42.0, "USD"),
}
TO_USD = {"USD": 1.0, "EUR": 1.08, "GBP": 1.27}


@tool
def order_status(order_id: str) -> str:
    """Look up an order by its id (such as A-1001): its status, total and currency."""
    found = ORDERS.get(order_id.strip().upper())
    if found is None:
        return f"no order {order_id!r}; known orders: {', '.join(ORDERS)}"
    status, total, currency = found
    return f"order {order_id}: {status}, total {total} {currency}"


@tool
def convert_currency(amount: float, from_currency: str, to_currency: str) -> str:
    """Convert an amount of money between currencies (USD, EUR, GBP)."""
    rates = {k: TO_USD.get(k.strip().upper()) for k in (from_currency, to_currency)}
    if None in rates.values():
        return f"unknown currency; known: {', '.join(TO_USD)}"
    value = amount * rates[from_currency] / rates[to_currency]
    return f"{amount} {from_currency} = {value:.2f} {to_currency}"


TOOLS = [order_status, convert_currency]
SYSTEM = (
    "You help customers with their orders. Look the order up with order_status, convert"
    " its total with convert_currency, then answer in one sentence."
)


@wrap_model_call
def each_tool_once(request, handler):
    """Ask for the next tool not called yet, then for the answer.

    For servers that do not choose tools themselves: llama_cpp.server with the model's
    own chat template honours only a named ``tool_choice``."""
    called = {c["name"] for m in request.messages if isinstance(m, AIMessage) for c in m.tool_calls}
    left = [t for t in request.tools if t.name not in called]
    if left:
        return handler(request.override(tool_choice=left[0].name))
    return handler(request.override(tools=[]))


def build(model=None, *, guided=False):
    """The agent over `model` (by default the configured local chat model); `guided`
    adds `each_tool_once`."""
    model = model or chat_model(load_settings(llm={"max_tokens": 256}))
    middleware = [each_tool_once] if guided else []
    return create_agent(model, tools=TOOLS, system_prompt=SYSTEM, middleware=middleware)


def run(agent, question: str) -> list:
    """The agent's messages for one question, until it answers."""
    return agent.invoke({"messages": [("user", question)]}, {"recursion_limit": 12})["messages"]


if __name__ == "__main__":
    default = "What is the status of order A-1001, and what is its total in USD?"
    question = sys.argv[1] if len(sys.argv) > 1 else default
    for message in run(build(), question):
        if isinstance(message, AIMessage) and message.tool_calls:
            for call in message.tool_calls:
                print(f"call: {call['name']}({call['args']})")
        elif isinstance(message, ToolMessage):
            print(f"result: {message.content}")
        elif isinstance(message, AIMessage):
            print(f"answer: {message.content}")
