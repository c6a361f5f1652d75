"""The hub's one configuration file: YAML in, a validated ``HubConfig`` out.

``load_config(path)`` reads the file, applies ``LOGISYNC_*`` environment overrides (today only
``LOGISYNC_STORE``, which replaces ``store``) and raises ``InvalidConfig`` listing every problem
as ``file:line:column: sentence``. ``HubConfig.rules()`` gives the core its frozen rules;
``resolve_secret`` reads a secret reference (``env:NAME``, ``file:/path``) when a connector
needs it. ``logisync check-config FILE`` is ``check_config_command``.
"""

from logisync.config.check import check_config_command
from logisync.config.loader import STORE_VARIABLE, load_config, parse_config
from logisync.config.model import (
    DEFAULT_STORE,
    FieldOwnership,
    FlowConfig,
    HubConfig,
    OwnershipEntry,
    SystemConfig,
)
from logisync.config.secret_refs import SECRET_KEYS, is_secret_reference, resolve_secret

__all__ = [
    "DEFAULT_STORE",
    "SECRET_KEYS",
    "STORE_VARIABLE",
    "FieldOwnership",
    "FlowConfig",
    "HubConfig",
    "OwnershipEntry",
    "SystemConfig",
    "check_config_command",
    "is_secret_reference",
    "load_config",
    "parse_config",
    "resolve_secret",
]
