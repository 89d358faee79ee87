"""LMS protocols as pure code: Standard Webhooks signatures, outbound webhook events and their retry
rules, LTI Advantage score payloads and token requests. No Flask, no SQLAlchemy: the use cases in
``grader.services.lms`` hold the rows, ``grader.web.lms`` the HTTP routes."""
