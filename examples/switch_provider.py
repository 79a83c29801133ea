"""The same three lines give an Ollama, llama.cpp, Hugging Face or OpenAI-compatible model.

Only configuration changes:
    python examples/switch_provider.py                        # default profile: llama.cpp
    INHOUSE_PROFILE=huggingface python examples/switch_provider.py
    INHOUSE_PROFILE=ollama python examples/switch_provider.py # needs `ollama serve`
    INHOUSE_PROFILE=openai INHOUSE_LLM__BASE_URL=http://127.0.0.1:8000/v1 \
        python examples/switch_provider.py                    # any OpenAI-compatible server
"""

from inhouse import chat_model, load_settings

settings = load_settings()
model = chat_model(settings)
reply = model.invoke("Name one colour of the rainbow.")

print(f"{settings.llm.provider}: {type(model).__name__}: {reply.content}")
