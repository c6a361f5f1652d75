"""Which IANA time zone a scan happened in, from its country and state or province.

Some carriers give local times without an offset (DHL's unified API sometimes). The zone of
the scan's location turns them into UTC: one zone for most countries; the large ones (US, CA,
AU, BR, MX) by state or province. When neither gives a zone -- an unknown country, a US scan
without its state -- ``zone_for`` answers ``None``; the parser then reads the local time as
UTC and leaves ``location.timezone`` empty, so the event shows that its time was not placed:
an hours-off time is better than a lost scan.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


def _codes(names: str) -> list[str]:
    return names.split()


_SINGLE_ZONE = {
    "AE": "Asia/Dubai", "AR": "America/Argentina/Buenos_Aires", "AT": "Europe/Vienna",
    "BE": "Europe/Brussels", "BG": "Europe/Sofia", "CH": "Europe/Zurich", "CN": "Asia/Shanghai",
    "CO": "America/Bogota", "CZ": "Europe/Prague", "DE": "Europe/Berlin", "DK": "Europe/Copenhagen",
    "EE": "Europe/Tallinn", "EG": "Africa/Cairo", "ES": "Europe/Madrid", "FI": "Europe/Helsinki",
    "FR": "Europe/Paris", "GB": "Europe/London", "GR": "Europe/Athens", "HK": "Asia/Hong_Kong",
    "HR": "Europe/Zagreb", "HU": "Europe/Budapest", "IE": "Europe/Dublin", "IL": "Asia/Jerusalem",
    "IN": "Asia/Kolkata", "IS": "Atlantic/Reykjavik", "IT": "Europe/Rome", "JP": "Asia/Tokyo",
    "KR": "Asia/Seoul", "LT": "Europe/Vilnius", "LU": "Europe/Luxembourg", "LV": "Europe/Riga",
    "MA": "Africa/Casablanca", "MY": "Asia/Kuala_Lumpur", "NG": "Africa/Lagos",
    "NL": "Europe/Amsterdam", "NO": "Europe/Oslo", "NZ": "Pacific/Auckland", "PE": "America/Lima",
    "PH": "Asia/Manila", "PK": "Asia/Karachi", "PL": "Europe/Warsaw", "PR": "America/Puerto_Rico",
    "PT": "Europe/Lisbon", "RO": "Europe/Bucharest", "RS": "Europe/Belgrade", "SA": "Asia/Riyadh",
    "SE": "Europe/Stockholm", "SG": "Asia/Singapore", "SI": "Europe/Ljubljana",
    "SK": "Europe/Bratislava", "TH": "Asia/Bangkok", "TR": "Europe/Istanbul", "TW": "Asia/Taipei",
    "UA": "Europe/Kyiv", "VN": "Asia/Ho_Chi_Minh", "ZA": "Africa/Johannesburg",
}  # fmt: skip

_US = {
    **dict.fromkeys(
        _codes("CT DE DC FL GA IN KY ME MD MA MI NH NJ NY NC OH PA RI SC VT VA WV"),
        "America/New_York",
    ),
    **dict.fromkeys(
        _codes("AL AR IL IA KS LA MN MS MO NE ND OK SD TN TX WI"),
        "America/Chicago",
    ),
    **dict.fromkeys(_codes("CO MT NM UT WY ID"), "America/Denver"),
    "AZ": "America/Phoenix",
    **dict.fromkeys(_codes("CA NV OR WA"), "America/Los_Angeles"),
    "AK": "America/Anchorage",
    "HI": "Pacific/Honolulu",
    "PR": "America/Puerto_Rico",
}
_CA = {
    **dict.fromkeys(_codes("ON QC"), "America/Toronto"),
    **dict.fromkeys(_codes("NS NB PE"), "America/Halifax"),
    "NL": "America/St_Johns",
    "MB": "America/Winnipeg",
    "SK": "America/Regina",
    "AB": "America/Edmonton",
    "BC": "America/Vancouver",
    "YT": "America/Whitehorse",
    "NT": "America/Yellowknife",
    "NU": "America/Iqaluit",
}
_AU = {
    **dict.fromkeys(_codes("NSW ACT"), "Australia/Sydney"),
    "VIC": "Australia/Melbourne",
    "QLD": "Australia/Brisbane",
    "SA": "Australia/Adelaide",
    "WA": "Australia/Perth",
    "TAS": "Australia/Hobart",
    "NT": "Australia/Darwin",
}
_BR = {
    **dict.fromkeys(
        _codes("SP RJ MG ES PR SC RS GO DF BA SE AL PE PB RN CE PI MA PA AP TO"),
        "America/Sao_Paulo",
    ),
    **dict.fromkeys(_codes("MS MT"), "America/Cuiaba"),
    **dict.fromkeys(_codes("AM RO RR"), "America/Manaus"),
    "AC": "America/Rio_Branco",
}
_MX = {
    "BC": "America/Tijuana",
    **dict.fromkeys(_codes("SON"), "America/Hermosillo"),
    **dict.fromkeys(_codes("BCS SIN NAY CHH"), "America/Mazatlan"),
    "ROO": "America/Cancun",
}
_BY_REGION = {"US": _US, "CA": _CA, "AU": _AU, "BR": _BR, "MX": _MX}


def zone_for(country: str | None, region: str | None = None) -> ZoneInfo | None:
    """The zone of a place, or ``None`` when the country (and region) do not pin one down."""
    if not country:
        return None
    country = country.strip().upper()
    name: str | None = _SINGLE_ZONE.get(country)
    regions = _BY_REGION.get(country)
    if regions is not None:
        key = (region or "").strip().upper()
        name = regions.get(key)
        if country == "MX" and key and name is None:
            name = "America/Mexico_City"  # the states not listed are all on central time
    if name is None:
        return None
    try:
        return ZoneInfo(name)
    except ZoneInfoNotFoundError:
        return None
