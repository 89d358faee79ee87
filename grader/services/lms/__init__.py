"""LMS integration: Standard Webhooks out and in, LTI 1.3 launch and grade passback (AGS).

Submodules are imported where needed, so ``import grader.lms`` stays light.
"""
