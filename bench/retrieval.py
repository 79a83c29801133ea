"""Hybrid retrieval latency (`kb.retriever(k=10).invoke(q)`), memory, and where the time goes.

    .venv/bin/python bench/retrieval.py [--quick] [--queries N] [--sizes 5000,100000]

(a) ArguAna: the knowledge base `beir-arguana` under data_dir /tmp/beir-data (8,674
    documents, ~13k chunks), reused when present (built otherwise with
    `KnowledgeBase.add_texts`, like `inhouse eval retrieval --beir`: ~10 minutes here; a
    --quick run skips it instead). Queries: the first N test queries, cut to their first
    12 words ("short"), and whole (ArguAna queries are entire arguments, ~200 words).
(b) Synthetic knowledge bases of 5k and 100k chunks. Embedding 100k chunks for real
    would take hours on these cores, so the chunks are generated as text (a sentence
    from one of 200 templates taken from data/corpus, then ~140 words drawn from a Zipf
    distribution over a 30k-word vocabulary: data/corpus words, then made-up words) and
    stored with precomputed vectors: each template's real embedding plus a random
    perturbation (cosine ~0.75 to its template), normalised. They go in the way an
    ingestion would write them, minus the embedding: `kb.manifest.replace(...)`,
    `kb.dense.upsert(...)`, `kb._rebuild_sparse()`. Queries (real embeddings, real BM25)
    are 8 words of a template plus 3 vocabulary words. The built KBs are cached under
    /tmp/inhouse-bench/ (delete it, or pass --rebuild, to build them again).

Each corpus is measured in its own child process, so its RSS is its own. Latency is
measured first without instrumentation (short and full queries, or 5k and 100k,
interleaved ABBA per query), then again with perf_counter wrappers around each part of
the search (the breakdown), and, when pyinstrument is installed, profiled
(bench/results/retrieval_profile.txt).

Targets: ArguAna p50 <= 20 ms, p95 <= 50 ms; p50 at 100k <= 3 x p50 at 5k.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from _common import RESULTS, ROOT, median, parser, pct, pyplot, rss_mb, table, verdict, write

BEIR_DATA = Path("/tmp/beir-data")
BEIR_KB = "beir-arguana"
ARGUANA = ROOT.parent / "shared" / "data" / "arguana"
CACHE = Path("/tmp/inhouse-bench")
SYNTH_VERSION = "v1"
TEMPLATES = 200
VOCAB = 30_000
WORDS_PER_CHUNK = 140
CHUNKS_PER_FILE = 10

PARTS = [
    "query embedding",
    "Chroma count()",
    "Chroma query (HNSW)",
    "BM25: manifest lookup (kb.sparse)",
    "BM25: tokenize + stem",
    "BM25: bm25s scoring",
    "BM25: bm25s top-k",
    "BM25: bm25s retrieve rest",
    "BM25: search() rest",
    "fusion (rrf)",
    "Chroma get (vectors of fused ids)",
    "cosine in Python",
    "SQLite chunks fetch",
    "Document building",
    "_search rest",
    "LangChain invoke overhead",
]


# -- instrumentation ---------------------------------------------------------------------


class Instrument:
    """perf_counter wrappers around each part of one retriever's search."""

    def __init__(self, kb: Any) -> None:
        import inhouse.rag.retriever as rmod

        self.kb, self.rmod = kb, rmod
        self.t: dict[str, float] = {}
        self.undo: list[Callable[[], None]] = []
        sparse = kb.sparse
        self._patch_attr(kb, "embed_query", "embed_query")
        self._patch_attr(kb.dense, "count", "count")
        self._patch_attr(kb.dense, "search", "search")
        self._patch_attr(kb.dense, "vectors", "vectors")
        self._patch_attr(kb.manifest, "get", "manifest.get")
        self._patch_attr(kb.manifest, "chunks", "manifest.chunks")
        if sparse is not None:
            self._patch_attr(sparse, "search", "sparse.search")
            self._patch_attr(sparse, "tokens", "tokens")
            self._patch_attr(sparse.retriever, "retrieve", "retrieve")
            self._patch_attr(sparse.retriever, "get_scores", "get_scores")
            self._patch_attr(sparse.retriever, "_get_top_k_results", "topk")
        self._patch_attr(rmod, "rrf", "rrf")
        self._patch_attr(rmod, "_cosine", "cosine")
        for name in ("_search", "_documents", "_similarities"):
            self._patch_attr(rmod.HybridRetriever, name, name)

    def _patch_attr(self, obj: Any, attr: str, key: str) -> None:
        original = getattr(obj, attr)
        own = attr in vars(obj)  # else a method found on the class: shadow it, then unshadow
        saved = vars(obj).get(attr)
        t = self.t

        def timed(*args: Any, **kwargs: Any) -> Any:
            start = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                t[key] = t.get(key, 0.0) + time.perf_counter() - start

        setattr(obj, attr, timed)
        if own:
            self.undo.append(lambda: setattr(obj, attr, saved))
        else:
            self.undo.append(lambda: delattr(obj, attr))

    def restore(self) -> None:
        for undo in reversed(self.undo):
            undo()

    def run(self, retriever: Any, query: str) -> dict[str, float]:
        """One query; each part's time in ms."""
        self.t.clear()
        start = time.perf_counter()
        retriever.invoke(query)
        total = time.perf_counter() - start
        t = {k: v * 1000 for k, v in self.t.items()}
        g = t.get
        parts = {
            "query embedding": g("embed_query", 0),
            "Chroma count()": g("count", 0),
            "Chroma query (HNSW)": g("search", 0) - g("count", 0),
            "BM25: manifest lookup (kb.sparse)": g("manifest.get", 0),
            "BM25: tokenize + stem": g("tokens", 0),
            "BM25: bm25s scoring": g("get_scores", 0),
            "BM25: bm25s top-k": g("topk", 0) - g("get_scores", 0),
            "BM25: bm25s retrieve rest": g("retrieve", 0) - g("topk", 0),
            "BM25: search() rest": g("sparse.search", 0) - g("tokens", 0) - g("retrieve", 0),
            "fusion (rrf)": g("rrf", 0),
            "Chroma get (vectors of fused ids)": g("vectors", 0),
            "cosine in Python": g("cosine", 0),
            "SQLite chunks fetch": g("manifest.chunks", 0),
            "Document building": g("_documents", 0) - g("manifest.chunks", 0),
        }
        inside = sum(parts.values())
        parts["_search rest"] = g("_search", 0) - inside
        parts["LangChain invoke overhead"] = total * 1000 - g("_search", 0)
        parts["total"] = total * 1000
        return parts


def breakdown(kb: Any, retriever: Any, queries: list[str]) -> dict[str, list[float]]:
    inst = Instrument(kb)
    try:
        runs = [inst.run(retriever, q) for q in queries]
    finally:
        inst.restore()
    return {part: [r[part] for r in runs] for part in [*PARTS, "total"]}


def latency(retriever: Any, query: str) -> float:
    start = time.perf_counter()
    retriever.invoke(query)
    return (time.perf_counter() - start) * 1000


def embedding_steps(kb: Any, queries: list[str]) -> dict[str, Any]:
    """Query embedding split into tokenizer and model forward, against encode and the
    factory's embed_query, interleaved per query."""
    import torch

    model = kb.embedder._client  # the factory's SentenceTransformer

    def tokenize(q: str) -> None:
        model.tokenize([q])

    def forward_only(q: str, features: dict[str, Any]) -> None:
        with torch.inference_mode():
            model.forward(dict(features))

    ms: dict[str, list[float]] = {"tokenize": [], "forward": [], "encode": [], "embed_query": []}
    for q in queries:
        features = model.tokenize([q])
        steps = [
            ("tokenize", lambda q=q: tokenize(q)),
            ("forward", lambda q=q, f=features: forward_only(q, f)),
            ("encode", lambda q=q: model.encode(q, normalize_embeddings=True)),
            ("embed_query", lambda q=q: kb.embed_query(q)),
        ]
        for name, step in steps:
            start = time.perf_counter()
            step()
            ms[name].append((time.perf_counter() - start) * 1000)
    return {"threads": torch.get_num_threads(), "ms": ms}


def profile(label: str, retriever: Any, queries: list[str]) -> str | None:
    try:
        from pyinstrument import Profiler
    except ImportError:
        return None
    profiler = Profiler(interval=0.0005)
    profiler.start()
    for q in queries:
        retriever.invoke(q)
    profiler.stop()
    text = profiler.output_text(
        unicode=False,
        color=False,
        processor_options={
            "show_regex": r".*[\\/](bm25s|chromadb|langchain_core|sentence_transformers)[\\/].*",
            "filter_threshold": 0.005,
        },
    )
    return f"## {label} ({len(queries)} queries)\n\n{text}\n"


def disk_mb(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 2**20


# -- (a) ArguAna ---------------------------------------------------------------------------


def part_arguana(n: int, quick: bool, do_profile: bool) -> dict[str, Any]:
    from inhouse import KnowledgeBase, load_settings
    from inhouse.evaluate import retrieval as beir

    settings = load_settings(data_dir=str(BEIR_DATA))
    present = BEIR_KB in KnowledgeBase.names(settings)
    if not present and quick:
        return {"skipped": f"no knowledge base {BEIR_KB} under {BEIR_DATA} (--quick skips it)"}
    data = beir.load(ARGUANA)
    kb = KnowledgeBase.open(BEIR_KB, settings)
    built = None
    if not present or kb.manifest.dirty or kb.manifest.counts()[0] < 8000:
        print(f"building {BEIR_KB} (about 10 minutes)...", file=sys.stderr, flush=True)
        built = kb.add_texts(beir.corpus_items(data)).seconds
    kb.embed_query("warm up the model")
    rss_model = rss_mb()
    retriever = kb.retriever(k=10)
    full = [data.queries[q] for q in list(data.queries)[:n]]
    short = [" ".join(q.split()[:12]) for q in full]
    for q in short[:3] + full[:2]:
        retriever.invoke(q)
    rss_open = rss_mb()
    files, chunks = kb.manifest.counts()

    lat_short, lat_full = [], []
    for i in range(n):
        pair = [(lat_short, short[i]), (lat_full, full[i])]
        for sink, q in pair if i % 2 == 0 else pair[::-1]:
            sink.append(latency(retriever, q))
    result = {
        "docs": files,
        "chunks": chunks,
        "built_s": built,
        "rss_model_mb": rss_model,
        "rss_open_mb": rss_open,
        "disk_mb": disk_mb(kb.folder),
        "words_short": median([len(q.split()) for q in short]),
        "words_full": median([len(q.split()) for q in full]),
        "latency": {"short": lat_short, "full": lat_full},
        "breakdown": {
            "short": breakdown(kb, retriever, short),
            "full": breakdown(kb, retriever, full),
        },
        "embedding": embedding_steps(kb, short),
    }
    if do_profile:
        result["profile"] = profile(f"ArguAna, short queries, {chunks} chunks", retriever, short)
    return result


# -- (b) synthetic ------------------------------------------------------------------------


def corpus_words() -> tuple[list[str], list[str]]:
    """(vocabulary words, template sentences) from data/corpus's text files."""
    words: dict[str, None] = {}
    sentences: list[str] = []
    for path in sorted((ROOT / "data" / "corpus").rglob("*")):
        if path.suffix not in {".md", ".txt", ".html"}:
            continue
        text = re.sub(r"<[^>]+>|[#*|`_>\[\]]", " ", path.read_text(encoding="utf-8"))
        for w in re.findall(r"[A-Za-z]{3,}", text):
            words.setdefault(w.lower())
        for s in re.split(r"(?<=[.!?])\s+|\n+", text):
            s = " ".join(s.split())
            if 8 <= len(s.split()) <= 30 and s not in sentences:
                sentences.append(s)
    return list(words), sentences


def synthetic_parts(seed: int = 0) -> tuple[list[str], list[str], Any]:
    """(vocabulary, templates, Zipf probabilities), deterministic."""
    import numpy as np

    rng = np.random.default_rng(seed)
    real, sentences = corpus_words()
    rng.shuffle(real)
    syllables = ["ka", "lo", "mer", "tin", "sa", "vo", "ren", "di", "pol", "qua"]
    syllables += ["ster", "ul", "bri", "no", "fen", "gat", "hu", "zo", "pe", "rim"]
    made: set[str] = set(real)
    vocab = list(real)
    k = len(syllables) ** 2  # made-up words of 3+ syllables: the digits of k in base 20
    while len(vocab) < VOCAB:
        digits, m = [], k
        while m:
            m, d = divmod(m, len(syllables))
            digits.append(syllables[d])
        k += 1
        if (w := "".join(digits)) not in made:
            made.add(w)
            vocab.append(w)
    step = max(1, len(sentences) // TEMPLATES)
    templates = sentences[::step][:TEMPLATES]
    ranks = np.arange(1, VOCAB + 1)
    probs = 1.0 / (ranks + 2.7)
    return vocab, templates, probs / probs.sum()


def synthetic_folder(n: int) -> Path:
    return CACHE / f"synthetic-{SYNTH_VERSION}-{n}"


def build_synthetic(n: int, rebuild: bool) -> dict[str, Any]:
    """Make (or reuse) the n-chunk synthetic knowledge base."""
    import numpy as np

    from inhouse import KnowledgeBase, load_settings
    from inhouse.rag.manifest import Chunk, FileRecord

    tag = f"{SYNTH_VERSION}:{n}:{TEMPLATES}:{VOCAB}:{WORDS_PER_CHUNK}"
    folder = synthetic_folder(n)
    manifest = folder / "kb" / "synthetic" / "manifest.sqlite3"
    if not rebuild and manifest.exists():
        db = sqlite3.connect(manifest)
        meta = dict(db.execute("SELECT key, value FROM meta").fetchall())
        db.close()
        if meta.get("bench_synthetic") == tag and meta.get("dirty") == "0":
            return {"reused": True}
    # Delete before opening: Chroma caches one client per path for the whole process.
    shutil.rmtree(folder, ignore_errors=True)
    kb = KnowledgeBase.open("synthetic", load_settings(data_dir=str(folder)))
    started = time.perf_counter()
    rng = np.random.default_rng(n)
    vocab, templates, probs = synthetic_parts()
    vocab_arr = np.array(vocab)
    base = np.asarray(kb.embedder.embed_documents(templates), dtype=np.float32)
    dim = base.shape[1]
    spread = 0.9  # |noise| relative to the unit template vector: cosine ~ 1/sqrt(1 + 0.81)
    batch = 10_000
    for start in range(0, n, batch):
        count = min(batch, n - start)
        which = rng.integers(0, len(templates), size=count)
        noise = rng.standard_normal((count, dim)).astype(np.float32)
        noise /= np.linalg.norm(noise, axis=1, keepdims=True)
        vectors = base[which] + spread * noise
        vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
        words = vocab_arr[rng.choice(VOCAB, size=(count, WORDS_PER_CHUNK), p=probs)]
        items, ids, texts, metas = [], [], [], []
        for j in range(count):
            number = start + j
            doc, position = divmod(number, CHUNKS_PER_FILE)
            path = f"/synthetic/doc-{doc:06d}.txt"
            title = f"Synthetic document {doc}"
            body = " ".join(words[j])
            text = f"{title}\n{templates[which[j]]} {body}."
            digest = hashlib.sha256(path.encode()).hexdigest()
            if position == 0:
                items.append((FileRecord(path, digest, 0, 0, "", title, 0), []))
            cid = f"{digest[:16]}-{position:05d}"
            meta = {
                "source": path,
                "page": None,
                "title": title,
                "section": "",
                "sha256": digest,
                "modified": "2026-01-01T00:00:00Z",
                "position": position,
                "tags": "",
            }
            items[-1][1].append(Chunk(cid, text, meta))
            ids.append(cid)
            texts.append(text)
            metas.append({**meta, "kb": kb.name})
        items = [(FileRecord(r.path, r.sha256, 0, 0, "", r.title, len(c)), c) for r, c in items]
        kb.manifest.replace(items)
        kb.dense.upsert(ids, vectors.tolist(), texts, metas)
        print(f"  synthetic {n}: {start + count} chunks stored", file=sys.stderr, flush=True)
    kb._rebuild_sparse()
    kb.manifest.put("bench_synthetic", tag)
    seconds = time.perf_counter() - started
    kb.close()
    return {"reused": False, "build_s": seconds}


def synthetic_queries(count: int, seed: int = 7) -> list[str]:
    import numpy as np

    rng = np.random.default_rng(seed)
    vocab, templates, probs = synthetic_parts()
    queries = []
    for _ in range(count):
        template = templates[int(rng.integers(len(templates)))].split()
        start = int(rng.integers(0, max(1, len(template) - 8)))
        extra = [vocab[int(i)] for i in rng.choice(VOCAB, size=3, p=probs)]
        queries.append(" ".join(template[start : start + 8] + extra))
    return queries


def part_synthetic(sizes: list[int], n: int, do_profile: bool) -> dict[str, Any]:
    from inhouse import KnowledgeBase, load_settings

    queries = synthetic_queries(n)
    kbs, retrievers, out = {}, {}, {}
    first = None
    for size in sizes:
        kb = KnowledgeBase.open("synthetic", load_settings(data_dir=str(synthetic_folder(size))))
        if first is None:
            kb.embed_query("warm up the model")
            out["rss_model_mb"] = rss_mb()
            first = size
        retriever = kb.retriever(k=10)
        for q in queries[:3]:
            retriever.invoke(q)
        kbs[size], retrievers[size] = kb, retriever
        out[f"rss_after_{size}_mb"] = rss_mb()
        out[f"disk_{size}_mb"] = disk_mb(kb.folder)
        out[f"chunks_{size}"] = kb.manifest.counts()[1]
        out[f"vectors_{size}"] = kb.dense.count()
    lat: dict[int, list[float]] = {s: [] for s in sizes}
    for i, q in enumerate(queries):
        order = sizes if i % 2 == 0 else sizes[::-1]
        for size in order:
            lat[size].append(latency(retrievers[size], q))
    out["latency"] = {str(s): v for s, v in lat.items()}
    out["breakdown"] = {str(s): breakdown(kbs[s], retrievers[s], queries) for s in sizes}
    if do_profile:
        big = max(sizes)
        out["profile"] = profile(f"synthetic, {big} chunks", retrievers[big], queries)
    out["query_example"] = queries[0]
    return out


# -- the parent: run the parts, write the report ----------------------------------------


def child(args: list[str]) -> dict[str, Any]:
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as f:
        out = Path(f.name)
    cmd = [sys.executable, __file__, *args, "--out", str(out)]
    print(f"$ {' '.join(cmd[1:])}", file=sys.stderr, flush=True)
    subprocess.run(cmd, check=True)
    data = json.loads(out.read_text())
    out.unlink()
    return data


def summary_row(label: str, chunks: Any, values: list[float], target: str, ok: Any) -> list:
    return [label, chunks, len(values), median(values), pct(values, 95), max(values), target, ok]


def report(arg: Any, sizes: list[int], a: dict[str, Any], s: dict[str, Any]) -> None:
    rows, conditions, verdicts = [], {}, {}
    if "skipped" not in a:
        short, full = a["latency"]["short"], a["latency"]["full"]
        p50_ok, p95_ok = median(short) <= 20, pct(short, 95) <= 50
        verdicts["arguana_p50"], verdicts["arguana_p95"] = p50_ok, p95_ok
        rows.append(
            summary_row(
                f"ArguAna, short queries ({a['words_short']:.0f} words)",
                a["chunks"],
                short,
                "p50 <= 20, p95 <= 50",
                f"p50 {verdict(p50_ok)}, p95 {verdict(p95_ok)}",
            )
        )
        rows.append(
            summary_row(
                f"ArguAna, full queries ({a['words_full']:.0f} words)",
                a["chunks"],
                full,
                "(same)",
                f"p50 {verdict(median(full) <= 20)}, p95 {verdict(pct(full, 95) <= 50)}",
            )
        )
        conditions["ArguAna short"] = a["breakdown"]["short"]
        conditions["ArguAna full"] = a["breakdown"]["full"]
    small, big = min(sizes), max(sizes)
    for size in sizes:
        rows.append(
            summary_row(
                "synthetic, 11-word queries", s[f"chunks_{size}"], s["latency"][str(size)], "", ""
            )
        )
        conditions[f"synthetic {size // 1000}k"] = s["breakdown"][str(size)]
    growth = median(s["latency"][str(big)]) / median(s["latency"][str(small)])
    paired = median(
        [b / m for m, b in zip(s["latency"][str(small)], s["latency"][str(big)], strict=True)]
    )
    verdicts["scaling"] = growth <= 3
    names = list(conditions)
    brows = []
    for part in PARTS:
        cells = []
        for name in names:
            values = conditions[name][part]
            mean_total = sum(conditions[name]["total"]) / len(values)
            mean = sum(values) / len(values)
            cells.append(f"{median(values):.2f} / {mean:.2f} ({100 * mean / mean_total:.0f}%)")
        brows.append([part, *cells])
    totals = [conditions[n]["total"] for n in names]
    brows.append(["**total**", *[f"{median(t):.2f} / {sum(t) / len(t):.2f}" for t in totals]])
    mem = []
    if "skipped" not in a:
        mem.append(
            [
                f"ArguAna ({a['chunks']} chunks)",
                a["rss_model_mb"],
                a["rss_open_mb"],
                a["rss_open_mb"] - a["rss_model_mb"],
                a["disk_mb"],
            ]
        )
    before = s["rss_model_mb"]
    for size in sizes:
        after = s[f"rss_after_{size}_mb"]
        mem.append(
            [f"synthetic {size} chunks", before, after, after - before, s[f"disk_{size}_mb"]]
        )
        before = after
    arg_note = (
        f"ArguAna skipped: {a['skipped']}."
        if "skipped" in a
        else f"ArguAna: {a['docs']} documents, {a['chunks']} chunks (knowledge base"
        f" {BEIR_KB} under {BEIR_DATA}{', built in this run' if a['built_s'] else ', reused'})."
    )
    embedding_note = ""
    if "embedding" in a:
        e = a["embedding"]
        erows = [[what, median(v), pct(v, 95)] for what, v in e["ms"].items()]
        embedding_note = f"""
Query embedding, taken apart (ArguAna short queries, interleaved, torch
{e["threads"]} threads; *tokenize* and *forward* are the SentenceTransformer's own
`tokenize` and `forward` under `torch.inference_mode`, *encode* is
`SentenceTransformer.encode(q, normalize_embeddings=True)`, *embed_query* is the
factory's LangChain `HuggingFaceEmbeddings.embed_query` on the same model):

{table(["step", "p50 ms", "p95 ms"], erows)}
"""
    header = ["corpus / queries", "chunks", "queries", "p50 ms", "p95 ms", "max ms"]
    latency_table = table([*header, "target", "verdict"], rows)
    profiled = ""
    if a.get("profile") or s.get("profile"):
        profiled = "- A pyinstrument profile: bench/results/retrieval_profile.txt."
    md = f"""`kb.retriever(k=10).invoke(query)`: hybrid (dense Chroma + BM25, 100 candidates each,
RRF), ms per query. {arg_note} Synthetic chunks carry precomputed vectors (template
embeddings perturbed), not real ones; queries are embedded for real (see the script's
docstring). Short and full ArguAna queries alternate, as do the two synthetic sizes.

{latency_table}

Scaling: p50 at {big:,} chunks / p50 at {small:,} chunks = **{growth:.2f}** (paired median
{paired:.2f}; target <= 3: {verdict(growth <= 3)}).

Memory (RSS of the measuring process, MB; each corpus in its own process, sizes opened
in order in one process; "after" = opened and queried 3 times):

{table(["corpus", "RSS before", "RSS after", "added", "on disk MB"], mem)}

### Where the time goes

Median / mean ms per query for each part (the mean's share of the mean total in
brackets; a mean well above the median means occasional long stalls), from a second
pass over the same queries with perf_counter wrappers around each call:

{table(["part", *names], brows)}
{embedding_note}

- *query embedding*: `kb.embed_query` (sentence-transformers encode of one text).
- *Chroma count()*: `DenseIndex.search` calls `collection.count()` before every query.
- *Chroma query (HNSW)*: `collection.query(n_results=100, include=["distances"])`.
- *BM25 manifest lookup*: the `kb.sparse` property reads the index name from SQLite on
  every call.
- *BM25 tokenize + stem*: `bm25s.tokenize` + PyStemmer on the query; *scoring*:
  `BM25.get_scores`; *top-k*: the rest of `BM25._get_top_k_results` (numpy top-k);
  *retrieve rest*: the rest of `BM25.retrieve` (argument checks, and with `n_threads=1`,
  as `SparseIndex.search` passes it, a new `ThreadPoolExecutor` per query: bm25s
  only uses a plain `map` with `n_threads=0`); *search() rest*: vocabulary filter and
  the (id, score) list in `SparseIndex.search`.
- *Chroma get*: `DenseIndex.vectors` for fused ids that dense did not return (to report
  their cosine similarity); *cosine in Python*: `_cosine` on those.
- *SQLite chunks fetch*: `manifest.chunks` (text + JSON metadata of the top 10);
  *Document building*: the rest of `_documents`.
- *_search rest*: everything else inside `HybridRetriever._search` (dict building,
  slicing); *LangChain invoke overhead*: `invoke` total minus `_search` (callback
  manager, run tree, pydantic copies).
{profiled}
"""
    plt = pyplot()
    fig, axes = plt.subplots(1, 2, figsize=(13, 5))
    lat = {}
    if "skipped" not in a:
        lat["ArguAna\nshort"], lat["ArguAna\nfull"] = a["latency"]["short"], a["latency"]["full"]
    for size in sizes:
        lat[f"synthetic\n{size // 1000}k"] = s["latency"][str(size)]
    axes[0].boxplot(list(lat.values()), showfliers=False)
    axes[0].set_xticks(range(1, len(lat) + 1), list(lat))
    axes[0].axhline(20, color="green", ls="--", label="p50 target 20 ms")
    axes[0].axhline(50, color="red", ls="--", label="p95 target 50 ms")
    axes[0].set(ylabel="ms per query", title="hybrid retrieval latency (k=10)")
    axes[0].legend()
    bottom = [0.0] * len(names)
    colours = plt.get_cmap("tab20").colors
    for colour, part in zip(colours, PARTS, strict=False):
        values = [sum(conditions[n][part]) / len(conditions[n][part]) for n in names]
        if max(values) < 0.05:
            continue
        axes[1].bar(names, values, bottom=bottom, label=part, color=colour)
        bottom = [b + v for b, v in zip(bottom, values, strict=True)]
    axes[1].set(ylabel="mean ms per query", title="where the time goes")
    axes[1].legend(fontsize=7)
    axes[1].tick_params(axis="x", labelsize=8)
    profiles = [x for x in (a.get("profile"), s.get("profile")) if x]
    if profiles:
        (RESULTS / "retrieval_profile.txt").write_text("\n".join(profiles))
    for d in (a, s):
        d.pop("profile", None)
    write(
        "retrieval",
        md,
        {
            "arguana": a,
            "synthetic": s,
            "sizes": sizes,
            "growth": growth,
            "growth_paired": paired,
            "targets_met": verdicts,
        },
        fig,
    )


def main() -> None:
    p = parser(__doc__)
    p.add_argument("--queries", type=int, default=None, help="queries (200; quick 30)")
    p.add_argument("--sizes", default=None, help="synthetic sizes (5000,100000; quick 1000,5000)")
    p.add_argument("--rebuild", action="store_true", help="rebuild the synthetic KBs")
    p.add_argument("--no-profile", action="store_true", help="skip the pyinstrument pass")
    p.add_argument("--part", choices=["arguana", "build", "synthetic"], help=argparse_hidden())
    p.add_argument("--out", help=argparse_hidden())
    arg = p.parse_args()
    n = arg.queries or (30 if arg.quick else 200)
    sizes_arg = arg.sizes or ("1000,5000" if arg.quick else "5000,100000")
    sizes = [int(x) for x in sizes_arg.split(",")]
    do_profile = not arg.no_profile
    if arg.part:
        if arg.part == "arguana":
            result = part_arguana(n, arg.quick, do_profile)
        elif arg.part == "build":
            result = {str(size): build_synthetic(size, arg.rebuild) for size in sizes}
        else:
            result = part_synthetic(sizes, n, do_profile)
        Path(arg.out).write_text(json.dumps(result))
        return
    common = ["--queries", str(n), "--sizes", ",".join(map(str, sizes))]
    common += ["--quick"] if arg.quick else []
    common += ["--no-profile"] if arg.no_profile else []
    built = child(["--part", "build", *common, *(["--rebuild"] if arg.rebuild else [])])
    a = child(["--part", "arguana", *common])
    s = child(["--part", "synthetic", *common])
    s["built"] = built
    report(arg, sizes, a, s)


def argparse_hidden() -> str:
    import argparse

    return argparse.SUPPRESS


if __name__ == "__main__":
    main()
