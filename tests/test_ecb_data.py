# Copyright 2026 fr_dunning_addon contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Reading the ECB's main refinancing rate from the ECB Data Portal's answers
(tests/data/README.md says which answer is recorded and which reconstructed).

Code de commerce L441-10 II: the rate of a semester is the ECB's rate in force
on 1 January (first semester) or 1 July (second semester)."""

import json
from datetime import date
from pathlib import Path

from odoo.addons.fr_dunning_addon.models import fr_dunning_ecb_data as ecb
from odoo.addons.fr_dunning_addon.models import fr_dunning_law as law

from .common import FrDunningCase

DATA = Path(__file__).parent / "data"
RECORDED_B = DATA / "ecb_fm_b_mrr_fr_last_2026-09-28.json"
RECONSTRUCTED_D = DATA / "ecb_fm_d_mrr_fr_2024-06-01_2026-01-02_reconstructed.json"


def sdmx_message(observations, series_key=ecb.SERIES_KEY):
    """An SDMX-JSON answer of one series with ``observations`` [(day, rate)],
    one per change (the shape of the recorded answer, data only)."""
    dimension_ids = [
        "FREQ",
        "REF_AREA",
        "CURRENCY",
        "PROVIDER_FM",
        "INSTRUMENT_FM",
        "PROVIDER_FM_ID",
        "DATA_TYPE_FM",
    ]
    return json.dumps(
        {
            "header": {"id": "test", "test": True, "sender": {"id": "ECB"}},
            "dataSets": [
                {
                    "action": "Replace",
                    "series": {
                        "0:0:0:0:0:0:0": {
                            "observations": {str(n): [rate] for n, (_day, rate) in enumerate(observations)}
                        }
                    },
                }
            ],
            "structure": {
                "dimensions": {
                    "series": [
                        {"id": dim, "values": [{"id": value}]}
                        for dim, value in zip(dimension_ids, series_key.split("."), strict=True)
                    ],
                    "observation": [
                        {
                            "id": "TIME_PERIOD",
                            "role": "time",
                            "values": [{"id": day.isoformat()} for day, _rate in observations],
                        }
                    ],
                }
            },
        }
    )


class TestEcbData(FrDunningCase):
    def test_reference_day(self):
        # L441-10 II: 1 January for the first semester, 1 July for the second.
        self.assertEqual(law.ecb_rate_reference_day(date(2026, 3, 31)), date(2026, 1, 1))
        self.assertEqual(law.ecb_rate_reference_day(date(2026, 6, 30)), date(2026, 1, 1))
        self.assertEqual(law.ecb_rate_reference_day(date(2026, 7, 1)), date(2026, 7, 1))
        self.assertEqual(law.ecb_rate_reference_day(date(2026, 12, 31)), date(2026, 7, 1))

    def test_query_url(self):
        # The year of observations up to 1 July 2026: 366 days before is 30/06/2025.
        self.assertEqual(
            ecb.query_url(date(2026, 8, 15)),
            "https://data-api.ecb.europa.eu/service/data/FM/D.U2.EUR.4F.KR.MRR_FR.LEV"
            "?startPeriod=2025-06-30&endPeriod=2026-07-01&format=jsondata&detail=dataonly",
        )
        self.assertEqual(
            ecb.query_url(date(2027, 1, 1), "http://127.0.0.1:8080/data/"),
            "http://127.0.0.1:8080/data/FM/D.U2.EUR.4F.KR.MRR_FR.LEV"
            "?startPeriod=2025-12-31&endPeriod=2027-01-01&format=jsondata&detail=dataonly",
        )

    def test_recorded_answer(self):
        """The stored answer of the business-daily twin of the series, with
        the ECB's full shape (attributes, observation arrays)."""
        text = RECORDED_B.read_text()
        b_key = "B.U2.EUR.4F.KR.MRR_FR.LEV"
        self.assertEqual(ecb.parse_observations(text, b_key), [(date(2026, 9, 16), 2.65)])
        # Not the daily series the addon asks for: refused, not read.
        with self.assertRaisesRegex(ecb.EcbDataError, "no series D.U2.EUR.4F.KR.MRR_FR.LEV"):
            ecb.parse_observations(text)
        # Its only observation is later than 1 July 2026: no rate for 2026 S2 in it.
        with self.assertRaises(ecb.EcbNoData):
            ecb.semester_rate(text, date(2026, 8, 1), b_key)
        # A change on a day is in force that day.
        self.assertEqual(
            ecb.rate_in_force(ecb.parse_observations(text, b_key), date(2026, 9, 16)),
            (date(2026, 9, 16), 2.65),
        )

    def test_value_in_force_on_the_first_day(self):
        """The daily series (reconstructed from the published rates): each
        semester's rate is the one of its first day, whatever day it is asked,
        and it is the one of the shipped table (shared/legal-rates.csv)."""
        text = RECONSTRUCTED_D.read_text()
        shipped = {
            rate.date_start: rate.ecb_rate
            for rate in self.env["fr.dunning.legal.rate"].search([("date_start", ">=", date(2024, 7, 1))])
        }
        # 4.25 % from 12/06/2024; 3.15 % from 18/12/2024; 2.15 % from 11/06/2025.
        for asked_on, first_day, rate in (
            (date(2024, 7, 1), date(2024, 7, 1), 4.25),
            (date(2024, 11, 20), date(2024, 7, 1), 4.25),  # 3.40 % that day: not the semester's rate
            (date(2025, 1, 1), date(2025, 1, 1), 3.15),
            (date(2025, 3, 31), date(2025, 1, 1), 3.15),
            (date(2025, 7, 1), date(2025, 7, 1), 2.15),
            (date(2026, 1, 2), date(2026, 1, 1), 2.15),
        ):
            with self.subTest(asked_on=asked_on):
                self.assertEqual(ecb.semester_rate(text, asked_on), (first_day, rate))
                self.assertEqual(shipped[first_day], rate)
        self.assertEqual(len(ecb.parse_observations(text)), 581, "one a day from 01/06/2024 to 02/01/2026")

    def test_change_on_the_first_day(self):
        """A hypothetical change taking effect on 1 July is the second
        semester's rate; one on 2 July is not; the first semester keeps the
        last change before 1 January."""
        text = sdmx_message([(date(2025, 6, 11), 2.15), (date(2026, 7, 1), 2.40), (date(2026, 7, 2), 2.65)])
        self.assertEqual(ecb.semester_rate(text, date(2026, 7, 1)), (date(2026, 7, 1), 2.40))
        self.assertEqual(ecb.semester_rate(text, date(2026, 12, 31)), (date(2026, 7, 1), 2.40))
        self.assertEqual(ecb.semester_rate(text, date(2026, 6, 30)), (date(2025, 6, 11), 2.15))
        # The observations come in any order.
        shuffled = sdmx_message(
            [(date(2026, 7, 2), 2.65), (date(2026, 7, 1), 2.40), (date(2025, 6, 11), 2.15)]
        )
        self.assertEqual(ecb.semester_rate(shuffled, date(2026, 7, 1)), (date(2026, 7, 1), 2.40))

    def test_empty_answer(self):
        for text in ("", "  \n", json.dumps({"header": {}, "dataSets": []}), sdmx_message([])):
            with self.subTest(text=text[:40]), self.assertRaises(ecb.EcbNoData):
                ecb.semester_rate(text, date(2026, 7, 1))
        # Observations, but only after the day asked.
        with self.assertRaisesRegex(ecb.EcbNoData, "on or before 2026-07-01"):
            ecb.semester_rate(sdmx_message([(date(2026, 7, 2), 2.65)]), date(2026, 7, 1))

    def test_malformed_answer(self):
        recorded = RECORDED_B.read_text()
        for text in (
            "<html><body>Service Unavailable</body></html>",
            recorded[: len(recorded) // 2],  # cut in the middle
            "[]",
            json.dumps({"dataSets": [{"series": {"0": {"observations": {"0": [2.15]}}}}]}),
            sdmx_message([(date(2026, 7, 1), "2,15")]),
            sdmx_message([(date(2026, 7, 1), True)]),
            sdmx_message([(date(2026, 7, 1), "NaN")]),
            sdmx_message([(date(2026, 7, 1), 2.15)]).replace("2026-07-01", "2026-S2"),
        ):
            with self.subTest(text=text[:60]), self.assertRaises(ecb.EcbDataError) as caught:
                ecb.semester_rate(text, date(2026, 7, 1))
            self.assertNotIsInstance(caught.exception, ecb.EcbNoData)
