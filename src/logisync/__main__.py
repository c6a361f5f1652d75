"""``python -m logisync`` is the ``logisync`` command."""

from logisync.cli import app

app()
