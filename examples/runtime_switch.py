"""Switch provider per call at run time with LangChain's configurable alternatives.

Models already loaded are kept: switching back and forth never reloads them.
Run: python examples/runtime_switch.py llamacpp huggingface
"""

import sys

from inhouse import chat_model, load_settings

model = chat_model(load_settings(llm={"max_tokens": 24}), configurable=True)

if __name__ == "__main__":
    for provider in sys.argv[1:] or ["llamacpp"]:
        reply = model.invoke(
            "Say hello.", config={"configurable": {"provider": provider}}
        )
        print(f"{provider}: {reply.content}")
