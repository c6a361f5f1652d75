"""How a partner's interchanges reach the hub: a file dropped into its inbox folder, or the
raw interchange POSTed to its webhook.

A file is written under a hidden ``.part`` name, flushed and synced, then renamed: a rename
within one folder is atomic, so a hub that polls the folder never reads half a file.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Protocol

import httpx

__all__ = ["FolderDrop", "Transport", "WebhookPost"]


class Transport(Protocol):
    def send(self, name: str, body: bytes) -> str:
        """Deliver one interchange; a short outcome for the records (``file``, ``http 202``,
        ``error: ...``). Never raises for a hub that refuses or cannot be reached."""
        ...


class FolderDrop:
    def __init__(self, inbox: Path) -> None:
        self.inbox = inbox

    def send(self, name: str, body: bytes) -> str:
        self.inbox.mkdir(parents=True, exist_ok=True)
        partial = self.inbox / f".{name}.part"
        try:
            with open(partial, "wb") as file:
                file.write(body)
                file.flush()
                os.fsync(file.fileno())
            os.replace(partial, self.inbox / name)
        except OSError as failure:
            return f"error: cannot write {name} into {self.inbox}: {failure.strerror or failure}"
        return "file"


class WebhookPost:
    """POSTs the interchange as is (``application/edi-x12``) to the hub's
    ``/v1/webhooks/{system}``; ``headers`` carry what the hub authenticates (a token...)."""

    def __init__(
        self,
        url: str,
        headers: Mapping[str, str] | None = None,
        client: httpx.Client | None = None,
        content_type: str = "application/edi-x12",
    ) -> None:
        self.url = url
        self.headers = {"content-type": content_type, **(headers or {})}
        self._client = client or httpx.Client(timeout=5.0)

    def send(self, name: str, body: bytes) -> str:
        try:
            answer = self._client.post(self.url, content=body, headers=self.headers)
        except httpx.HTTPError as failure:
            return f"error: {type(failure).__name__}: {failure}"
        return f"http {answer.status_code}"

    def close(self) -> None:
        self._client.close()
