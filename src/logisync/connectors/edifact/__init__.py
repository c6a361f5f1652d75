"""UN/EDIFACT in and out: ORDERS, DESADV, IFTSTA, INVOIC and CONTRL, mapped to canonical
events by our own code over a small ISO 9735 tokenizer (see ``syntax`` for why not pydifact)."""
