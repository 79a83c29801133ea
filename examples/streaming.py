"""Stream tokens as they are generated, synchronously and with asyncio.

Run: python examples/streaming.py
"""

import asyncio

from inhouse import chat_model, load_settings

model = chat_model(load_settings(llm={"max_tokens": 48}))


def stream_sync(question: str) -> int:
    chunks = 0
    for chunk in model.stream(question):
        print(chunk.content, end="", flush=True)
        chunks += 1
    print()
    return chunks


async def stream_async(question: str) -> int:
    chunks = 0
    async for chunk in model.astream(question):
        print(chunk.content, end="", flush=True)
        chunks += 1
    print()
    return chunks


if __name__ == "__main__":
    sync_chunks = stream_sync("Count from one to five.")
    async_chunks = asyncio.run(stream_async("Name three fruits."))
    print(f"[streamed {sync_chunks} and {async_chunks} chunks]")
