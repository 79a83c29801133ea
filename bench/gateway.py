"""The gateway (`inhouse serve`) against raw `python -m llama_cpp.server`, over HTTP.

    .venv/bin/python bench/gateway.py [--quick] [--tokens N] [--rounds R]

Both servers run as their own process on loopback with the same GGUF (SmolLM2-135M
Q4_1), the same context length and thread count; the client sends the same messages with
the same sampling parameters (temperature 0, seed 0, top_p 0.95, `max_tokens`), one
request at a time, alternating which server goes first (ABBA), and checks that both
answered with the same number of tokens. Measured:

1. **total**: a non-streaming chat completion, client-side wall time (target: gateway /
   raw <= 1.05);
2. **first token**: a streaming chat completion, time to the first non-empty content
   delta (target: gateway <= raw + 5 ms);
3. **prefix reuse**: a conversation whose system prompt and history hold ~1,000 tokens
   (unique per round, so nothing is cached before turn 1); turn 2 repeats it and adds a
   question. Time to the first token of turn 2 / turn 1 (target: <= 0.3);
4. **32 concurrent streaming clients**, each with its own question: errors (target 0),
   queue wait p50/p95 (the gateway's ``x-inhouse-queue-ms`` header), time to first
   token p50/p95, and the gateway process's memory (RSS) before and after.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import httpx
from _common import (
    ROOT,
    interleaved,
    median,
    parser,
    pct,
    pyplot,
    smollm2_path,
    table,
    verdict,
    write,
)

N_CTX = 4096
QUESTIONS = [
    "Explain why teams run language models on their own hardware.",
    "Write a short story about a lighthouse keeper and a storm.",
    "Describe how a warehouse should plan its pallet deliveries.",
    "List the steps to reset a forgotten VPN password.",
    "What makes a good onboarding checklist for new hires?",
    "Summarise the benefits of hybrid working for a small firm.",
    "Give advice on writing a clear travel expenses policy.",
    "Describe a backup and recovery plan for a small office.",
    "How should a company handle gifts from suppliers?",
    "Write a polite email asking a landlord to repair the heating.",
    "Explain the difference between a lease and a licence.",
    "What should the minutes of a board meeting contain?",
]
TOPICS = [
    "apples", "rivers", "clocks", "violins", "glaciers", "bridges", "owls", "maps",
    "candles", "deserts", "kites", "comets", "ferns", "lighthouses", "tea", "chess",
]  # fmt: skip


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_ready(url: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit(f"server exited: {log.read_text()[-2000:]}")
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    sys.exit(f"server did not start: {log.read_text()[-2000:]}")


def start_raw(folder: Path, threads: int) -> tuple[subprocess.Popen, str]:
    port, log = free_port(), folder / "raw.log"
    command = [sys.executable, "-m", "llama_cpp.server", "--model", str(smollm2_path()),
               "--host", "127.0.0.1", "--port", str(port), "--n_ctx", str(N_CTX),
               "--n_threads", str(threads), "--verbose", "false",
               "--interrupt_requests", "false"]  # fmt: skip
    process = subprocess.Popen(command, stdout=log.open("wb"), stderr=subprocess.STDOUT)
    wait_ready(f"http://127.0.0.1:{port}/v1/models", process, log)
    return process, f"http://127.0.0.1:{port}/v1"


def start_gateway(folder: Path, threads: int, max_tokens: int) -> tuple[subprocess.Popen, str]:
    port, log = free_port(), folder / "gateway.log"
    config = folder / "config"
    config.mkdir()
    (config / "bench.toml").write_text(
        f"[llm]\ncontext_length = {N_CTX}\nthreads = {threads}\ntemperature = 0.0\nseed = 0\n"
        f"max_tokens = {max_tokens}\n[server]\nport = {port}\nmax_queue = 64\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("INHOUSE_")}
    env["INHOUSE_DATA_DIR"] = str(folder / "data")
    command = [sys.executable, "-m", "inhouse", "--config-dir", str(config), "--profile",
               "bench", "serve"]  # fmt: skip
    process = subprocess.Popen(command, stdout=log.open("wb"), stderr=subprocess.STDOUT, env=env)
    wait_ready(f"http://127.0.0.1:{port}/health", process, log)
    return process, f"http://127.0.0.1:{port}/v1"


def body(model: str, messages: list[dict], tokens: int, stream: bool) -> dict[str, Any]:
    return {"model": model, "messages": messages, "max_tokens": tokens, "temperature": 0,
            "seed": 0, "top_p": 0.95, "stream": stream}  # fmt: skip


def complete(client: httpx.Client, url: str, model: str, messages: list, tokens: int) -> dict:
    started = time.perf_counter()
    reply = client.post(f"{url}/chat/completions", json=body(model, messages, tokens, False))
    reply.raise_for_status()
    data = reply.json()
    return {"seconds": time.perf_counter() - started, "tokens":
            data["usage"]["completion_tokens"], "text": data["choices"][0]["message"]["content"]}


def first_token(client: httpx.Client, url: str, model: str, messages: list, tokens: int) -> dict:
    started, first, queue_ms = time.perf_counter(), None, None
    with client.stream("POST", f"{url}/chat/completions",
                       json=body(model, messages, tokens, True)) as reply:  # fmt: skip
        queue_ms = reply.headers.get("x-inhouse-queue-ms")
        for line in reply.iter_lines():
            if not line.startswith("data: {"):
                continue
            event = json.loads(line[6:])
            if "error" in event:
                raise RuntimeError(event["error"])
            delta = (event.get("choices") or [{}])[0].get("delta", {})
            if first is None and delta.get("content"):
                first = time.perf_counter() - started
    return {"first": first, "total": time.perf_counter() - started,
            "queue_ms": float(queue_ms) if queue_ms else None}  # fmt: skip


def long_prefix(round_: int) -> list[dict]:
    """~1,000 tokens of system prompt and history, unique to the round."""
    policy = " ".join(
        f"Rule {round_}.{i}: invoices above {100 + 7 * i} euros from supplier {round_ * 31 + i}"
        " need a second approval, and receipts are kept for ten years." for i in range(40)
    )
    return [{"role": "system", "content": f"You are the finance assistant. {policy}"},
            {"role": "user", "content": "Summarise the approval rules in one line."},
            {"role": "assistant", "content": "Large invoices need a second approval."}]


def rss_mb(pid: int) -> float:
    import psutil

    process = psutil.Process(pid)
    return sum(p.memory_info().rss for p in [process, *process.children(True)]) / 2**20


def main() -> None:
    p = parser(__doc__)
    p.add_argument("--tokens", type=int, default=None, help="tokens per reply (64; quick 16)")
    p.add_argument("--rounds", type=int, default=None, help="rounds (12; quick 3)")
    args = p.parse_args()
    tokens = args.tokens or (16 if args.quick else 64)
    rounds = args.rounds or (3 if args.quick else 12)
    threads = os.cpu_count() or 1
    folder = Path(tempfile.mkdtemp(prefix="bench-gateway-"))
    raw_process, raw_url = start_raw(folder, threads)
    gw_process, gw_url = start_gateway(folder, threads, tokens)
    client = httpx.Client(timeout=300)
    try:
        for url, model in ((raw_url, "smollm2"), (gw_url, "auto")):  # warm both up
            complete(client, url, model, [{"role": "user", "content": "Hello"}], 4)

        def ask(url: str, model: str, call: Any) -> Any:
            return lambda i: call(client, url, model,
                                  [{"role": "user", "content": QUESTIONS[i % 12]}], tokens)

        raw_total, gw_total = interleaved(rounds, ask(raw_url, "smollm2", complete),
                                          ask(gw_url, "auto", complete))  # fmt: skip
        raw_first, gw_first = interleaved(rounds, ask(raw_url, "smollm2", first_token),
                                          ask(gw_url, "auto", first_token))  # fmt: skip
        same = all(a["tokens"] == b["tokens"] for a, b in zip(raw_total, gw_total, strict=True))
        same_text = sum(a["text"] == b["text"] for a, b in zip(raw_total, gw_total, strict=True))

        turn1, turn2 = [], []
        for i in range(max(3, rounds // 2)):
            prefix = long_prefix(i)
            first = first_token(client, gw_url, "auto", [*prefix, {"role": "user", "content":
                                "Who approves large invoices?"}], 8)  # fmt: skip
            second = first_token(client, gw_url, "auto", [*prefix, {"role": "user", "content":
                                 "How long are receipts kept?"}], 8)  # fmt: skip
            turn1.append(first["first"])
            turn2.append(second["first"])

        rss_before = rss_mb(gw_process.pid)
        results: list[dict] = []
        errors: list[str] = []

        def one(i: int) -> None:
            try:
                results.append(first_token(
                    httpx.Client(timeout=600), gw_url, "auto",
                    [{"role": "user", "content": f"Write one sentence about {TOPICS[i % 16]}."}],
                    16))  # fmt: skip
            except Exception as exc:  # counted, reported
                errors.append(f"{type(exc).__name__}: {exc}")

        clients = 8 if args.quick else 32
        workers = [threading.Thread(target=one, args=(i,)) for i in range(clients)]
        started = time.perf_counter()
        for w in workers:
            w.start()
        for w in workers:
            w.join()
        load_seconds = time.perf_counter() - started
        rss_after = rss_mb(gw_process.pid)
    finally:
        client.close()
        for process in (raw_process, gw_process):
            process.terminate()
            process.wait(timeout=30)

    ratio = median([g["seconds"] for g in gw_total]) / median([r["seconds"] for r in raw_total])
    first_delta_ms = 1000 * (median([g["first"] for g in gw_first])
                             - median([r["first"] for r in raw_first]))  # fmt: skip
    paired_ms = 1000 * median([g["first"] - r["first"]
                               for g, r in zip(gw_first, raw_first, strict=True)])  # fmt: skip
    prefix_ratio = median(turn2) / median(turn1)
    waits = [r["queue_ms"] for r in results if r["queue_ms"] is not None]
    firsts = [1000 * r["first"] for r in results if r["first"] is not None]
    met = {"total": ratio <= 1.05, "first_token": first_delta_ms <= 5,
           "prefix": prefix_ratio <= 0.3, "load": not errors}  # fmt: skip
    rows = [
        ["total time, gateway / raw llama_cpp.server", f"{ratio:.3f}", "<= 1.05",
         verdict(met["total"])],
        ["first token, gateway - raw (median of each)", f"{first_delta_ms:+.1f} ms",
         "<= +5 ms", verdict(met["first_token"])],
        ["first token, paired median difference", f"{paired_ms:+.1f} ms", "", ""],
        ["turn 2 / turn 1 first token, ~1,000-token shared prefix", f"{prefix_ratio:.3f}",
         "<= 0.3", verdict(met["prefix"])],
        [f"{clients} concurrent streaming clients: errors", str(len(errors)), "0",
         verdict(met["load"])],
        ["  queue wait p50 / p95", f"{pct(waits, 50):.0f} / {pct(waits, 95):.0f} ms", "", ""],
        ["  first token p50 / p95", f"{pct(firsts, 50):.0f} / {pct(firsts, 95):.0f} ms", "",
         ""],
        ["  wall time for all", f"{load_seconds:.1f} s", "", ""],
        ["  gateway RSS before / after", f"{rss_before:.0f} / {rss_after:.0f} MB", "", ""],
    ]  # fmt: skip
    notes = (
        f"\n\n{rounds} rounds, {tokens} tokens per reply, {threads} threads on both servers;"
        f" same token counts on both sides: {same}; identical texts: {same_text} of {rounds}."
        f" Raw medians: total {median([r['seconds'] for r in raw_total]) * 1000:.0f} ms,"
        f" first token {median([r['first'] for r in raw_first]) * 1000:.1f} ms. Prefix:"
        f" turn 1 {median(turn1) * 1000:.0f} ms, turn 2 {median(turn2) * 1000:.0f} ms."
        + (f"\n\nErrors: {errors[:3]}" if errors else "")
    )
    markdown = table(["what", "measured", "target", "verdict"], rows) + notes
    plt = pyplot()
    figure, axes = plt.subplots(1, 2, figsize=(9, 3.2))
    axes[0].boxplot([[r["seconds"] for r in raw_total], [g["seconds"] for g in gw_total]],
                    tick_labels=["raw", "gateway"])  # fmt: skip
    axes[0].set_title("total time (s)")
    axes[1].boxplot([[1000 * r["first"] for r in raw_first], [1000 * g["first"] for g in gw_first]],
                    tick_labels=["raw", "gateway"])  # fmt: skip
    axes[1].set_title("first token (ms)")
    data = {"ratio": ratio, "first_token_delta_ms": first_delta_ms, "paired_ms": paired_ms,
            "prefix_ratio": prefix_ratio, "errors": len(errors), "clients": clients,
            "queue_wait_ms": {"p50": pct(waits, 50), "p95": pct(waits, 95)},
            "first_token_ms": {"p50": pct(firsts, 50), "p95": pct(firsts, 95)},
            "rss_mb": {"before": rss_before, "after": rss_after}, "targets_met": met}  # fmt: skip
    write("gateway", markdown, data, figure)


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT / "bench"))
    main()
