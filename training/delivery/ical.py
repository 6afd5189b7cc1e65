"""A small iCalendar (RFC 5545) writer: enough for a read-only feed of classroom sessions and visits.

Times are written in UTC (the "Z" form), so no VTIMEZONE block is needed; text is escaped and lines
are folded at 75 octets, and lines end with CRLF, as the RFC asks.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

PRODID = "-//ILO SCORE//SCORE Portal//EN"


@dataclass(frozen=True)
class Event:
    uid: str
    start: datetime.datetime | None  # aware; None for an event of a whole day
    end: datetime.datetime | None  # aware
    summary: str
    location: str = ""
    description: str = ""
    url: str = ""
    day: datetime.date | None = None  # an event of the whole day (a visit without times, a planned one)


def escape(text: str) -> str:
    return (
        str(text)
        .replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def fold(line: str) -> str:
    """Split a content line into pieces of at most 75 octets, never inside a UTF-8 character."""
    pieces, current, size = [], "", 0
    limit = 75
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            pieces.append(current)
            current, size, limit = "", 0, 74  # continuation lines start with a space
        current += char
        size += width
    pieces.append(current)
    return "\r\n ".join(pieces)


def utc(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")


def calendar(events: Iterable[Event], *, name: str, stamp: datetime.datetime) -> str:
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape(name)}",
    ]
    for event in events:
        lines += [
            "BEGIN:VEVENT",
            f"UID:{event.uid}",
            f"DTSTAMP:{utc(stamp)}",
        ]
        if event.day:
            following = event.day + datetime.timedelta(days=1)
            lines += [f"DTSTART;VALUE=DATE:{event.day:%Y%m%d}", f"DTEND;VALUE=DATE:{following:%Y%m%d}"]
        else:
            lines += [f"DTSTART:{utc(event.start)}", f"DTEND:{utc(event.end)}"]
        lines.append(f"SUMMARY:{escape(event.summary)}")
        if event.location:
            lines.append(f"LOCATION:{escape(event.location)}")
        if event.description:
            lines.append(f"DESCRIPTION:{escape(event.description)}")
        if event.url:
            lines.append(f"URL:{event.url}")
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)
