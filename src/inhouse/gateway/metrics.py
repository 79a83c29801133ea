"""The gateway's Prometheus metrics (text format at ``GET /metrics``).

Labels carry model ids, route targets, rule names, status codes and key *names*; never a
key, a prompt or an entity value.

Example:
    >>> metrics = Metrics()
    >>> metrics.request("auto", "local", ["sensitive"], 200, "alice")
    >>> b'inhouse_requests_total{key="alice",model="auto",route="local",status="200"} 1.0' \\
    ...     in metrics.render()
    True
"""

from __future__ import annotations

from collections.abc import Sequence

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
_FAST = (0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0)
_SLOW = (0.01, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 120.0, 300.0)


class Metrics:
    """One registry per gateway (so tests and several apps in a process do not mix)."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        r = self.registry
        self.requests = Counter(
            "inhouse_requests", "Requests by model, route target, status and key name.",
            ["model", "route", "status", "key"], registry=r,
        )  # fmt: skip
        self.rules = Counter(
            "inhouse_route_rules", "Router rules that fired, per request.", ["rule"], registry=r
        )
        self.sensitive_local = Counter(
            "inhouse_sensitive_kept_local", "Requests kept on the local model as sensitive.",
            registry=r,
        )  # fmt: skip
        self.tokens = Counter(
            "inhouse_tokens", "Tokens in (prompt) and out (completion).", ["direction"],
            registry=r,
        )  # fmt: skip
        for direction in ("in", "out"):
            self.tokens.labels(direction=direction)  # shown as 0 before the first request
        self.decision = Histogram(
            "inhouse_decision_seconds", "Router decision time.", buckets=_FAST, registry=r
        )
        self.queue_wait = Histogram(
            "inhouse_queue_wait_seconds", "Time waiting for the local model.", buckets=_SLOW,
            registry=r,
        )  # fmt: skip
        self.first_token = Histogram(
            "inhouse_first_token_seconds", "Time to the first streamed token.", buckets=_SLOW,
            registry=r,
        )  # fmt: skip
        self.total = Histogram(
            "inhouse_request_seconds", "Total request time.", buckets=_SLOW, registry=r
        )
        self.cancelled = Counter(
            "inhouse_streams_cancelled", "Streams whose generation stopped because the client"
            " went away or the request timed out.", registry=r,
        )  # fmt: skip
        self.queue_depth = Gauge(
            "inhouse_queue_depth", "Requests waiting for the local model.", registry=r
        )

    def request(
        self, model: str, route: str, rules: Sequence[str], status: int, key: str
    ) -> None:
        self.requests.labels(model=model, route=route, status=str(status), key=key).inc()
        for rule in rules:
            self.rules.labels(rule=rule).inc()
        if "sensitive" in rules:
            self.sensitive_local.inc()

    def render(self) -> bytes:
        return generate_latest(self.registry)
