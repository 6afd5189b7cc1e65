"""How making a report can fail: the job's page tells the two apart (retry or not)."""


class ReportError(Exception):
    """A problem that trying again will not solve (the report cannot be made from this data)."""


class RetryableReportError(Exception):
    """A render failed; the task tries again with backoff, a bounded number of times."""
