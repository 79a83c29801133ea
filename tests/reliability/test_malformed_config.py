"""Generated malformed profiles, environment values and chain specs: each one ends in one
line on stderr that names the offending field (or file), exit code 2, no traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.cli import run

# (profile TOML, a fragment the one-line error must contain)
PROFILES = [
    ("[llm]\nprovider = 'olama'\n", "llm.provider"),
    ("[llm]\nmax_tokens = 'many'\n", "llm.max_tokens"),
    ("[llm]\nmax_tokens = -5\n", "llm.max_tokens"),
    ("[llm]\ntemperature = 9\n", "llm.temperature"),
    ("[llm]\ntop_p = 0\n", "llm.top_p"),
    ("[llm]\ncontext_length = 0\n", "llm.context_length"),
    ("[llm]\ntemprature = 0.1\n", "llm.temprature"),
    ("[llm]\nstop = 'x'\n", "llm.stop"),
    ("[embeddings]\nprovider = 'nope'\n", "embeddings.provider"),
    ("[embeddings]\nbatch_size = 0\n", "embeddings.batch_size"),
    ("[cloud]\ntimeout = 'soon'\n", "cloud.timeout"),
    ("[vectorstore]\nport = 70000\n", "vectorstore.port"),
    ("[rag]\nchunk_size = 4\n", "rag.chunk_size"),
    ("[rag]\nfusion = 'magic'\n", "rag.fusion"),
    ("[rag]\nmin_similarity = 3\n", "rag.min_similarity"),
    ("[rag]\nbm25_b = 2\n", "rag.bm25_b"),
    ("[rag]\ntop_k = 0\n", "rag.top_k"),
    ("[router]\ncomplexity_threshold = 1.5\n", "router.complexity_threshold"),
    ("[router]\ncustom_patterns = ['([unclosed']\n", "router.custom_patterns"),
    ("[router]\nbulk_batch_size = 0\n", "router.bulk_batch_size"),
    ("[router]\nenabled = 'sometimes'\n", "router.enabled"),
    ("[routr]\nenabled = true\n", "routr"),
    ("log_level = 'LOUD'\n", "log_level"),
    ("[llm\nprovider = 'llamacpp'\n", "bad.toml"),  # TOML syntax
    ("llm = 3\n", "llm"),
]

# Chain specs in a folder named by chains.paths: (file text, fragment)
SPECS = [
    ('name = "x"\ndescription = "d"\nkind = "chit"\ntemplate = "{text}"\n', "kind"),
    ('name = "x"\ndescription = "d"\nkind = "chat"\ntemplate = 5\n', "template"),
    (
        'name = "x"\ndescription = "d"\nkind = "chat"\ntemplate = "{text}"\n'
        '[generation]\ntemperature = "hot"\n',
        "temperature",
    ),
    ('name = "x"\ndescription = "d"\nkind = "extract"\ntemplate = "{text}"\n', "schema"),
    ('name = "x"\ndescription = "d"\nkind = "chat"\ntemplate = "{text"\n', "template"),
    (
        'name = "x"\ndescription = "d"\nkind = "chat"\ntemplate = "{text}"\nunknown_field = 1\n',
        "unknown_field",
    ),
    ('name = "x\nkind = "chat"\n', "x.toml"),  # TOML syntax
]


@pytest.mark.parametrize(("profile", "fragment"), PROFILES, ids=[f for _, f in PROFILES])
def test_malformed_profile(capsys, tmp_path: Path, profile: str, fragment: str) -> None:
    (tmp_path / "bad.toml").write_text(profile)
    code, out, err = run(capsys, "--config-dir", str(tmp_path), "--profile", "bad",
                         "config", "show")  # fmt: skip
    assert code == 2, out
    assert fragment in err and "Traceback" not in err + out
    assert len(err.strip().splitlines()) == 1, err


@pytest.mark.parametrize(("spec", "fragment"), SPECS, ids=[f for _, f in SPECS])
def test_malformed_chain_spec(capsys, monkeypatch, tmp_path: Path, spec: str,
                             fragment: str) -> None:  # fmt: skip
    (tmp_path / "x.toml").write_text(spec)
    monkeypatch.setenv("INHOUSE_CHAINS__PATHS", f'["{tmp_path}"]')
    code, out, err = run(capsys, "extract", "--chain", "x", "-")
    assert code == 2, out
    assert fragment in err and "x.toml" in err and "Traceback" not in err + out
    assert len(err.strip().splitlines()) == 1, err


def test_there_are_at_least_thirty() -> None:
    assert len(PROFILES) + len(SPECS) >= 30
