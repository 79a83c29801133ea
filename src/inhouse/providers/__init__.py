"""Providers: one small module per backend, registered by name in `registry`."""
