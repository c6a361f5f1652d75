from datetime import UTC, datetime, timedelta

from logisync.core.delivery.latency import BUCKETS, bucket_of, tally

T0 = datetime(2026, 3, 1, tzinfo=UTC)


def test_a_latency_falls_in_the_smallest_bucket_that_holds_it() -> None:
    assert bucket_of(0.0) == 0.005
    assert bucket_of(0.005) == 0.005  # bounds are inclusive, as Prometheus' le
    assert bucket_of(0.0051) == 0.01
    assert bucket_of(7200) == float("inf")
    assert list(BUCKETS) == sorted(BUCKETS)


def test_tally_counts_per_target_and_bucket_and_sums_seconds() -> None:
    buckets, totals = tally(
        [
            ("odoo", T0, T0 + timedelta(milliseconds=40)),
            ("odoo", T0, T0 + timedelta(milliseconds=45)),
            ("wms", T0, T0 + timedelta(seconds=20)),
            ("wms", T0 + timedelta(seconds=1), T0),  # clocks apart: never negative
        ]
    )
    assert buckets == {("odoo", 0.05): 2, ("wms", 30.0): 1, ("wms", 0.005): 1}
    assert totals["odoo"][0] == 2 and abs(totals["odoo"][1] - 0.085) < 1e-9
    assert totals["wms"] == (2, 20.0)


def test_quantiles_read_the_bucket_that_holds_them() -> None:
    from logisync.core.delivery.latency import quantile

    histogram = [(0.1, 50), (1.0, 40), (10.0, 9), (float("inf"), 1)]
    assert quantile(histogram, 0.5) == 0.1
    assert quantile(histogram, 0.9) == 1.0
    assert quantile(histogram, 0.95) == 10.0
    assert quantile(histogram, 0.999) == float("inf")
    assert quantile(reversed(histogram), 0.5) == 0.1  # bucket order does not matter
    assert quantile([], 0.5) is None
    assert quantile([(1.0, 0)], 0.5) is None
