"""Each carrier's wire shapes: tracking answers (and pushes for UPS and FedEx), one module each.

Every renderer takes the scans that are visible now (oldest first) and returns a JSON-ready
dict; none reads a clock or an RNG, so the same scans always render the same bytes.
"""
