"""16 concurrent requests on one loaded llama.cpp model, through a chain and through the
router, from threads and from asyncio: every one answered, none crashed or hung, and
each answer is about its own question's topic and no other's, so no output was
interleaved with another's. (Not byte-equal to the answer alone: llama.cpp reuses the
longest cached prompt prefix, which differs with the order of requests, and the
different batch split changes the last bits of the logits.)"""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

import pytest

from inhouse import load_chain, load_settings
from inhouse.router.hybrid import HybridRouter

pytestmark = [pytest.mark.integration, pytest.mark.slow]

TOPICS = "apples rivers clocks violins glaciers bridges owls maps candles deserts kites comets"
TOPICS = [*TOPICS.split(), "ferns", "lighthouses", "tea", "chess"]
PROMPTS = [f"Write one sentence about {topic}." for topic in TOPICS]
STEMS = [t.removesuffix("s") for t in TOPICS]


def check(answers: list[str]) -> None:
    assert len(answers) == 16 and all(a.strip() for a in answers)
    for i, answer in enumerate(answers):
        text = answer.lower()
        assert STEMS[i] in text, f"answer {i} is not about {TOPICS[i]}: {answer!r}"


@pytest.fixture(scope="module")
def settings():
    return load_settings(llm={"temperature": 0, "seed": 0, "max_tokens": 24})


def test_sixteen_concurrent_chain_requests(settings) -> None:
    chain = load_chain("chat", settings)
    alone = [chain.invoke(p, {"configurable": {"session_id": f"alone-{i}"}})
             for i, p in enumerate(PROMPTS)]  # fmt: skip
    check(alone)

    def ask(i: int) -> str:
        return chain.invoke(PROMPTS[i], {"configurable": {"session_id": f"thread-{i}"}})

    with ThreadPoolExecutor(16) as pool:
        threaded = list(pool.map(ask, range(16)))

    async def ask_all() -> list[str]:
        return await asyncio.gather(*(
            chain.ainvoke(p, {"configurable": {"session_id": f"async-{i}"}})
            for i, p in enumerate(PROMPTS)
        ))  # fmt: skip

    check(threaded)
    check(asyncio.run(ask_all()))


def test_sixteen_concurrent_router_requests(settings) -> None:
    router = HybridRouter.from_settings(settings)  # no cloud configured: all local
    batched = router.batch(PROMPTS, {"max_concurrency": 16})
    check([r.content for r in batched])
    assert {r.response_metadata["route"]["rules"][0] for r in batched} == {"bulk"}
    check(asyncio.run(_stream_all(router)))


async def _stream_all(router: HybridRouter) -> list[str]:
    async def one(prompt: str) -> str:
        return "".join([chunk.content async for chunk in router.astream(prompt)])

    return await asyncio.gather(*(one(p) for p in PROMPTS))
