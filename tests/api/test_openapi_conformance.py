"""schemathesis against the running app's published OpenAPI document, over real HTTP.

Every check runs except two whose premise the API does not share, on purpose:
- positive_data_acceptance: the published CloudEvent schema cannot say every business rule
  (a subject that names the event's entity, a payload that matches the event type), so a
  schema-valid request may still be refused with 422 and a pointer to the rule it breaks;
- negative_data_rejection: a batch answers 202 with a verdict per event, so a batch holding
  invalid events is not refused as a whole.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from logisync.api.services import ApiSettings
from logisync.core.keys import READ, SUBMIT

from .conftest import RunningHub

SKIPPED_CHECKS = "positive_data_acceptance,negative_data_rejection"


def test_generated_requests_get_no_5xx_and_match_the_spec(
    start_hub: Callable[..., RunningHub], tmp_path: Path
) -> None:
    # schemathesis sends hundreds of requests without a valid key and expects 401 for each:
    # the lock-out after repeated failures (tests/api/test_auth.py) would answer 429 instead
    running = start_hub(ApiSettings(failed_logins=10**9))
    token, _ = running.key(scopes=frozenset({SUBMIT, READ}), rate_limit=1e6)
    command = [
        str(Path(sys.executable).with_name("schemathesis")),
        "run",
        f"{running.url}/openapi.json",
        "--header",
        f"Authorization: Bearer {token}",
        "--checks",
        "all",
        "--exclude-checks",
        SKIPPED_CHECKS,
        "--max-examples",
        "100",
        "--workers",
        "1",  # two workers share hypothesis between threads, which failed once in its AST code
        "--suppress-health-check",
        "all",
    ]
    if os.environ.get("CI"):
        command += ["--seed", "20261123"]  # the same requests on every CI run
    done = subprocess.run(
        command, capture_output=True, text=True, timeout=600, check=False, cwd=tmp_path
    )
    output = done.stdout + done.stderr
    assert done.returncode == 0, output[-6000:]
    generated = re.search(r"(\d+) generated", output)
    assert generated is not None, output[-3000:]
    assert int(generated.group(1)) >= 1000, output[-3000:]
