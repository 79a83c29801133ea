"""`llm.prompt_cache_mb`: interleaved conversations each reuse their own processed prefix.

Measured with llama.cpp's own counters (prompt tokens evaluated), never with a clock.
"""

from __future__ import annotations

import pytest
from langchain_core.messages import AIMessage, HumanMessage, SystemMessage

from inhouse import chat_model, load_settings

pytestmark = pytest.mark.integration

SYSTEM = "You are a helpful assistant for the {team} team. " + " ".join(
    f"Rule {i}: keep answers short and polite, and cite the handbook section {i}."
    for i in range(12)
)


def prompt_tokens_evaluated(model: object) -> int:
    """Prompt tokens llama.cpp has evaluated on this model's context so far."""
    import llama_cpp

    client = model.client  # type: ignore[attr-defined]
    return int(llama_cpp.llama_perf_context(client._ctx.ctx).n_p_eval)


def second_turn_cost(cache_mb: int) -> tuple[int, int]:
    """(prompt tokens of conversation A's second turn, tokens evaluated for it)."""
    settings = load_settings(
        "llamacpp", llm={"temperature": 0.0, "max_tokens": 8, "prompt_cache_mb": cache_mb}
    )
    model = chat_model(settings)
    a = [SystemMessage(SYSTEM.format(team="billing")), HumanMessage("Who are you?")]
    b = [SystemMessage(SYSTEM.format(team="shipping")), HumanMessage("What do you do?")]
    a.append(AIMessage(str(model.invoke(a).content)))
    model.invoke(b)  # another conversation runs in between and replaces the live state
    a.append(HumanMessage("And what is rule 3?"))
    before = prompt_tokens_evaluated(model)
    model.invoke(a)
    evaluated = prompt_tokens_evaluated(model) - before
    prompt = model.get_num_tokens_from_messages(a)
    return prompt, evaluated


def test_without_a_cache_the_interleaved_turn_evaluates_its_whole_prefix_again() -> None:
    prompt, evaluated = second_turn_cost(0)
    assert prompt > 200
    # Only the part shared with conversation B's prompt (the chat template's first tokens
    # and the system text before the team name) is kept.
    assert evaluated > prompt // 2


def test_with_a_cache_the_interleaved_turn_evaluates_only_its_new_tokens() -> None:
    prompt, evaluated = second_turn_cost(64)
    assert prompt > 200
    assert evaluated < 40, f"evaluated {evaluated} of {prompt} prompt tokens"
