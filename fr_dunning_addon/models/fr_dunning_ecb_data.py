# Copyright 2026 fr_dunning_addon contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The ECB's main refinancing rate, read from the ECB Data Portal's answer.

Pure functions on text and dates: no database, no network. The model asks
the ECB (``query_url``) and hands the answer to ``semester_rate``; the tests
give it recorded answers.

The series is FM.D.U2.EUR.4F.KR.MRR_FR.LEV: main refinancing operations,
fixed rate tenders, level in percent per annum, one observation per day.

The answer is asked in SDMX-JSON (``format=jsondata``) rather than SDMX-CSV:
the only stored answer of this series we found is SDMX-JSON, so the parser is
tested on the ECB's own shape; the message names the series of each block of
observations, so the parser checks it read the series it asked for rather
than trusting the position of a column; and it is read with ``json`` from the
standard library.
"""

import json
import math
from datetime import date, timedelta
from urllib.parse import urlencode

from . import fr_dunning_law as law

ECB_DATA_API = "https://data-api.ecb.europa.eu/service/data"
FLOW = "FM"
SERIES_KEY = "D.U2.EUR.4F.KR.MRR_FR.LEV"
# Where a person reads the same rate.
ECB_PAGE = (
    "https://www.ecb.europa.eu/stats/policy_and_exchange_rates/key_ecb_interest_rates/html/index.en.html"
)
# The answer covers the year before the day asked: the daily series has an
# observation on the day itself, and a series of change dates would still
# hold the last change when the ECB changed its rate within the year.
LOOKBACK_DAYS = 366


class EcbDataError(ValueError):
    """The answer cannot be read, or is not the series asked for."""


class EcbNoData(EcbDataError):
    """The answer holds no observation on or before the day asked."""


def query_url(day, base=ECB_DATA_API, series_key=SERIES_KEY):
    """The address that asks the ECB for the rate that applies to the
    semester of ``day`` (the year of observations up to its reference day)."""
    reference = law.ecb_rate_reference_day(day)
    params = {
        "startPeriod": (reference - timedelta(days=LOOKBACK_DAYS)).isoformat(),
        "endPeriod": reference.isoformat(),
        "format": "jsondata",
        "detail": "dataonly",
    }
    return f"{base.rstrip('/')}/{FLOW}/{series_key}?{urlencode(params)}"


def _number(value):
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise TypeError(f"not a number: {value!r}")
    number = float(value)
    if not math.isfinite(number):
        raise ValueError(f"not a number: {value!r}")
    return number


def _series_observations(message, series_key):
    """(whether the series was found, [(date, rate)]) of an SDMX-JSON data message."""
    dimensions = message["structure"]["dimensions"]
    series_dimensions = dimensions["series"]
    observation_dimensions = dimensions["observation"]
    time_position = next(
        position for position, dim in enumerate(observation_dimensions) if dim["id"] == "TIME_PERIOD"
    )
    periods = observation_dimensions[time_position]["values"]
    found, observations = False, []
    for data_set in message.get("dataSets") or []:
        for key, series in (data_set.get("series") or {}).items():
            name = ".".join(
                series_dimensions[position]["values"][int(index)]["id"]
                for position, index in enumerate(key.split(":"))
            )
            if name != series_key:
                continue
            found = True
            for observation_key, values in (series.get("observations") or {}).items():
                if not values or values[0] is None:
                    continue
                period = periods[int(observation_key.split(":")[time_position])]["id"]
                observations.append((date.fromisoformat(period), _number(values[0])))
    return found, observations


def parse_observations(text, series_key=SERIES_KEY):
    """[(date, rate in percent)] of the series ``series_key``, by date.

    :raises EcbNoData: the answer is empty or holds no observation
    :raises EcbDataError: the answer is not an SDMX-JSON data message, or
        holds other series only
    """
    if not text or not text.strip():
        raise EcbNoData("empty answer")
    try:
        message = json.loads(text)
        if not message.get("dataSets"):
            raise EcbNoData("no data set in the answer")
        found, observations = _series_observations(message, series_key)
    except EcbDataError:
        raise
    except (AttributeError, IndexError, KeyError, StopIteration, TypeError, ValueError) as error:
        raise EcbDataError(f"not an SDMX-JSON data message: {error!r}") from None
    if not found:
        raise EcbDataError(f"the answer holds no series {series_key}")
    if not observations:
        raise EcbNoData(f"no observation of {series_key}")
    return sorted(observations)


def rate_in_force(observations, day):
    """(observation date, rate) of the last observation on or before ``day``:
    the rate in force that day, changed on the observation's date at the latest.

    :raises EcbNoData: every observation is later than ``day``
    """
    before = [observation for observation in observations if observation[0] <= day]
    if not before:
        raise EcbNoData(f"no observation on or before {day.isoformat()}")
    return max(before, key=lambda observation: observation[0])


def semester_rate(text, day, series_key=SERIES_KEY):
    """(observation date, rate) of the rate that applies to the semester of
    ``day``, read from the ECB's answer ``text``."""
    return rate_in_force(parse_observations(text, series_key), law.ecb_rate_reference_day(day))
