"""The error an extraction raises when the model's output never validates."""

from __future__ import annotations

from inhouse.errors import InhouseError


class ExtractionError(InhouseError):
    """The model's output did not validate against the schema, even after one repair.

    `raw_output` is the model's last answer (the CLI shows it); `attempts` is how many
    answers were asked for (2 when the repair ran).

    >>> err = ExtractionError("Invoice", "total: Field required", raw_output="{}", attempts=2)
    >>> str(err).split(";")[0]
    'no valid Invoice after 2 attempts: total: Field required'
    """

    def __init__(self, schema: str, problem: str, *, raw_output: str, attempts: int) -> None:
        super().__init__(
            f"no valid {schema} after {attempts} attempt{'s' * (attempts != 1)}: {problem};"
            " see the raw output, try a larger model or simplify the schema"
        )
        self.schema = schema
        self.problem = problem
        self.raw_output = raw_output
        self.attempts = attempts
