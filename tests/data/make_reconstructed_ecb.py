# Copyright 2026 fr_dunning_addon contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Writes ecb_fm_d_mrr_fr_2024-06-01_2026-01-02_reconstructed.json.

RECONSTRUCTED, not recorded: no network here, and no stored answer of the
daily series was found. The shape is the ECB Data Portal's SDMX-JSON answer
with ``detail=dataonly`` (that of the recorded answer
ecb_fm_b_mrr_fr_last_2026-09-28.json, without attributes); the values are
the ECB's published main refinancing rates (fixed rate tenders), one
observation per calendar day, each day at the rate of the last change on or
before it.

    python3 tests/data/make_reconstructed_ecb.py
"""

import json
from datetime import date, timedelta
from pathlib import Path

# The ECB's decisions, by the day they took effect.
CHANGES = [
    (date(2023, 9, 20), 4.50),
    (date(2024, 6, 12), 4.25),
    (date(2024, 9, 18), 3.65),
    (date(2024, 10, 23), 3.40),
    (date(2024, 12, 18), 3.15),
    (date(2025, 2, 5), 2.90),
    (date(2025, 3, 12), 2.65),
    (date(2025, 4, 23), 2.40),
    (date(2025, 6, 11), 2.15),
]
FIRST, LAST = date(2024, 6, 1), date(2026, 1, 2)
SERIES = [
    ("FREQ", "Frequency", "D", "Daily"),
    ("REF_AREA", "Reference area", "U2", "Euro area (changing composition)"),
    ("CURRENCY", "Currency", "EUR", "Euro"),
    ("PROVIDER_FM", "Financial market provider", "4F", "ECB"),
    ("INSTRUMENT_FM", "Financial market instrument", "KR", "Key interest rate"),
    (
        "PROVIDER_FM_ID",
        "Financial market provider identifier",
        "MRR_FR",
        "Main refinancing operations - fixed rate tenders (fixed rate) (date of changes)",
    ),
    ("DATA_TYPE_FM", "Financial market data type", "LEV", "Level"),
]


def main():
    days = [FIRST + timedelta(days=n) for n in range((LAST - FIRST).days + 1)]
    rates = [max((c for c in CHANGES if c[0] <= day), key=lambda c: c[0])[1] for day in days]
    message = {
        "_fixture": "RECONSTRUCTED by tests/data/make_reconstructed_ecb.py from the ECB's published "
        "main refinancing rates; not an answer recorded from the ECB.",
        "header": {
            "id": "reconstructed",
            "test": True,
            "prepared": "2026-01-02T00:00:00.000+01:00",
            "sender": {"id": "ECB"},
        },
        "dataSets": [
            {
                "action": "Replace",
                "validFrom": "2026-01-02T00:00:00.000+01:00",
                "series": {
                    "0:0:0:0:0:0:0": {
                        "observations": {str(n): [rate] for n, rate in enumerate(rates)},
                    }
                },
            }
        ],
        "structure": {
            "links": [
                {
                    "title": "Financial market data",
                    "rel": "dataflow",
                    "href": "https://data-api.ecb.europa.eu:443/service/dataflow/ECB/FM/1.0",
                }
            ],
            "name": "Financial market data",
            "dimensions": {
                "series": [
                    {"id": dim, "name": name, "values": [{"id": value, "name": label}]}
                    for dim, name, value, label in SERIES
                ],
                "observation": [
                    {
                        "id": "TIME_PERIOD",
                        "name": "Time period or range",
                        "role": "time",
                        "values": [{"id": day.isoformat(), "name": day.isoformat()} for day in days],
                    }
                ],
            },
            "attributes": {"series": [], "observation": []},
        },
    }
    path = Path(__file__).with_name(f"ecb_fm_d_mrr_fr_{FIRST}_{LAST}_reconstructed.json")
    path.write_text(json.dumps(message, indent=1) + "\n")


if __name__ == "__main__":
    main()
