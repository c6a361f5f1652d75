"""The ``retention:`` section: how long the hub keeps the records that only grow.

```yaml
retention:
  delivery_minutes: 7d   # the per-minute delivery outcomes behind the flow-health charts
```

The worker's housekeeping (``orchestration.housekeeping``) deletes what is older, in batches.
"""

from __future__ import annotations

from datetime import timedelta

from pydantic import BaseModel, ConfigDict, Field

from logisync.config.monitors import Duration


class RetentionConfig(BaseModel):
    """How long records that grow with time are kept before the worker deletes them."""

    model_config = ConfigDict(extra="forbid", frozen=True, hide_input_in_errors=True)

    delivery_minutes: Duration = Field(
        default=timedelta(days=7),
        description="Per-minute delivery outcomes per target (the flow-health charts, about "
        "1,440 rows per target a day): kept this long, e.g. 7d, 36h",
    )
