"""``logisync check-config FILE``: validate a configuration the way a compiler reports.

Each problem is one line, ``file:line:column: sentence``, so editors and CI annotate the right
place; a valid file gets one ``OK:`` line summarising what it declares. Both go to standard
output, like ruff and mypy, so the report can be piped; the exit code says which it was.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from rich.console import Console

from logisync.config.loader import load_config
from logisync.config.model import HubConfig
from logisync.errors import InvalidConfig


def check_config_command(path: Path) -> int:
    """Print the report for ``path``; return 0 when it is valid, 1 when it is not."""
    # Markup and highlighting off: a problem quotes user text, which may contain [brackets].
    console = Console(soft_wrap=True, markup=False, highlight=False)
    try:
        config = load_config(path)
    except InvalidConfig as invalid:
        for problem in invalid.problems:
            console.print(str(problem), style="red")
        count = len(invalid.problems)
        console.print(f"{count} problem{'s' if count != 1 else ''} in {path}", style="bold red")
        return 1
    console.print(f"OK: {path}: {summary(config)}", style="green")
    return 0


def summary(config: HubConfig) -> str:
    """What the configuration declares, in one line; the store is shown without a password."""
    flows = len(config.flows)
    return (
        f"{len(config.systems)} systems ({', '.join(config.systems)}), "
        f"{len(config.ownership)} ownership rules, {flows} flow{'s' if flows != 1 else ''}, "
        f"store {_store_without_password(config.store)}"
    )


def _store_without_password(store: str) -> str:
    parts = urlsplit(store)
    if parts.password is None:
        return store
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@", 1)
    return parts._replace(netloc=netloc).geturl()
