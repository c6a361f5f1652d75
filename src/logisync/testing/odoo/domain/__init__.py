"""Odoo's search-domain language, evaluated in Python for the Odoo test server's ORM.

The engine calls ``parse`` once per ``search``/``search_read``/``search_count``/
``name_search`` call or record rule, then ``matches`` per candidate record (or
``filter_records`` for both at once). Records are seen through the small ``DomainRecord``
protocol, so this package knows nothing of how the engine stores them.

Semantics follow Odoo (``odoo/osv/expression.py``, ``odoo/orm/domains.py``): prefix
``'&' '|' '!'`` with implicit AND, every operator of ODOO.md §3 including ``any``/``not any``
and ``not =like``/``not =ilike``, dotted paths through many2one and x2many fields, and
Odoo's ``False`` semantics (``('order_line', '=', False)`` means "no lines"). Which
operators are accepted, and the text of every parse error, follow the ``version`` given to
``parse``; where evaluation differs between versions it follows Odoo 18+: ``'!'`` is the
exact complement, ``''``/``0`` count as unset, names are compared exactly.

What this package does not do: the ``active_test`` filter on the searched model itself. The
engine adds ``('active', '=', True)`` to the domain when the model has an ``active`` field,
the context does not turn ``active_test`` off, and ``mentions(node, 'active')`` is false
(Odoo's rule). ``matches(..., active_test=...)`` only governs the records reached *through*
x2many fields, which Odoo searches with the caller's ``active_test``. Unknown fields are
reported when a record is evaluated, so a search over no records cannot report them.
"""

from __future__ import annotations

from logisync.testing.odoo.domain._matching import filter_records, matches
from logisync.testing.odoo.domain._nodes import (
    OPERATORS,
    And,
    Constant,
    Leaf,
    Node,
    Not,
    Or,
    mentions,
    operators_for,
)
from logisync.testing.odoo.domain._parsing import parse
from logisync.testing.odoo.domain._record import FIELD_TYPES, DomainRecord

__all__ = [
    "FIELD_TYPES",
    "OPERATORS",
    "And",
    "Constant",
    "DomainRecord",
    "Leaf",
    "Node",
    "Not",
    "Or",
    "filter_records",
    "matches",
    "mentions",
    "operators_for",
    "parse",
]
