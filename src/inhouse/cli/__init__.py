"""The `inhouse` command line (Typer + Rich)."""
