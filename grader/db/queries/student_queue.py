"""One student's submissions in line: graded one at a time, in the order they were made
(``grader.services.grading``: a later one waits behind the student's own, never anyone else's).

The rule is applied by ``grading_turn``: the claim refuses a submission while an earlier one of
the same student is in ``UNFINISHED``, and the save returns the student's next queued one.
"""

from __future__ import annotations

UNFINISHED = ("queued", "grading")
