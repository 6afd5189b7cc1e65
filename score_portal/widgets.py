"""The browser's own date and time pickers. They send and show ISO values (2027-01-04, 09:30),
whatever the page's language, so the fields' formats are fixed here once."""

from django import forms


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%H:%M")
