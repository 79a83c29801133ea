"""A LangChain app that gets its model from inhouse: prompt | model | parser (LCEL).

Run: python examples/langchain_app.py "What is a context window?"
"""

import sys

from langchain_core.output_parsers import StrOutputParser
from langchain_core.prompts import ChatPromptTemplate

from inhouse import chat_model, load_settings

prompt = ChatPromptTemplate.from_messages(
    [
        ("system", "You are a concise assistant. Answer in one sentence."),
        ("human", "{question}"),
    ]
)
chain = prompt | chat_model(load_settings()) | StrOutputParser()

if __name__ == "__main__":
    question = sys.argv[1] if len(sys.argv) > 1 else "What is the capital of France?"
    print(chain.invoke({"question": question}))
