"""Crash safety: SIGKILL the worker at random points of a 2,000-mail campaign, restart it.

Every active subscriber must get the campaign; nobody may get it more than once per
kill (delivery is at least once, and rows sent but not yet recorded are the only
repeats); nothing is lost. The worker runs as a real ``treatwise`` process sending
over SMTP to an aiosmtpd sink started by the test.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from crashkit import crash_scenario
from nlkit import CountingSink

from treatwise.newsletter.context import Newsletter


@pytest.mark.slow
def test_sigkill_at_random_points_loses_nothing(
    nl: Newsletter, db_url: str, counting_sink: tuple[CountingSink, str], tmp_path: Path
) -> None:
    sink, smtp_url = counting_sink
    crash_scenario(nl, db_url, smtp_url, sink, tmp_path)
