"""The OpenAI-compatible privacy gateway's logic, without HTTP (`inhouse.server` adds it).

Modules: `keys` (API keys, hashed, with grants), `protocol` (the OpenAI wire format),
`service` (`Gateway`: access, routing every request through the router, knowledge
bases as models), `queue` (first come, first served on the local model), `metrics`
(Prometheus), `errors` (OpenAI-style error bodies).
"""
