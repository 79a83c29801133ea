"""Evaluation runs over the layers below: one module per evaluation.

- `retrieval`: BM25, dense and hybrid retrieval on a BEIR-format folder (nDCG@10,
  Recall@100, MRR@10);
- `rag`: source hit rate, MRR and refusals of the rag chain on a QA set;
- `extract`: schema-valid rate and field accuracy of the extract chains
  (`scoring` compares one object with its gold answer);
- `router`: per-entity recall and precision, leaks, false alarms and latency of the
  router's policy on a labelled set.

This package sits above chains, extract, rag and router, and below the CLI; nothing
below it imports it (the import-linter contract in pyproject.toml holds that).
"""
