"""An instructor's first launch from an LMS course not mapped yet, when they already teach grader
courses: the launch waits (its validated claims signed into the choice page) until they choose a
new course or one of theirs, then goes on as it would have (``launch.finish_launch``).

The choice is checked again when it arrives: the account still active, the launch an instructor's,
the chosen course one they teach. If someone mapped the LMS course meanwhile (another instructor,
or this page sent twice), that mapping wins and the choice is not applied.
"""

from __future__ import annotations

from typing import Any, Mapping

from grader.db.models import User
from grader.db.models.lms import LtiPlatform
from grader.db.session import Session
from grader.services.errors import ServiceError
from grader.services.lms.contexts import context_of, create_course, link_launch_context, mapped_course
from grader.services.lms.launch import Launch, LaunchError, finish_launch, role_of

NEW = "new"


def choose_course(session: Session, *, platform_id: int, user_id: int, claims: Mapping[str, Any],
                  choice: str) -> Launch:
    """Map the launch's LMS course as chosen (``NEW``, or the id of a course the user teaches) and
    finish the launch; LaunchError (a page that explains) otherwise."""
    platform = session.get(LtiPlatform, platform_id)
    user = session.get(User, user_id)
    if platform is None or user is None or not user.is_active:
        raise LaunchError("This launch can no longer be completed: open the tool from the LMS again.", status=403)
    if role_of(claims) != "instructor" or not context_of(claims):
        raise LaunchError("Only an instructor of the LMS course can connect it to the grader.", status=403)
    course_id = mapped_course(session, platform, claims, staff=True)
    if course_id is None:
        if choice == NEW:
            course_id = create_course(session, platform, claims)
        elif choice.isdigit():
            try:
                course_id = link_launch_context(session, platform, claims, user.id, int(choice))
            except ServiceError as exc:
                raise LaunchError(exc.message, status=exc.status) from None
        else:
            raise LaunchError("Choose a new course or one of your courses.", status=400)
    return finish_launch(session, platform, claims, user, course_id=course_id)
