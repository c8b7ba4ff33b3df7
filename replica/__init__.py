"""A local stand-in for www.ybstv.net: generated pages, truth records, an HTTP server with faults.

    from replica import Replica, truth_records
    rep = Replica(articles=300, seed=1, faults="transient,gone", js_bodies=0.1)
    records = rep.truth_records("http://127.0.0.1:8001")

`python -m replica serve --port 0` / `python -m replica truth --site URL -o truth.jsonl`.
"""

from replica.generate import FAULTS, Replica, parse_faults, truth_records

__all__ = ["FAULTS", "Replica", "parse_faults", "truth_records"]
