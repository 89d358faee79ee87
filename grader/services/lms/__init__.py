"""LMS use cases: inbound submissions, LTI launches, the tool's keys, course LMS settings, and the
outbox of webhook deliveries and score posts. Routes are in ``grader.web.lms``; the pure protocol
code is in ``grader.lms_protocol``. Submodules are imported where needed."""
