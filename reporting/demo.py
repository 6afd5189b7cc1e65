"""Demo programme targets: the brochure's headline forms for the first call, so that the officer's home
shows how the programme stands against them (and the scale benchmark measures the home with them)."""

import datetime
from decimal import Decimal

from baseline.models import Indicator
from enterprises.models import Call

from .models import Target, TargetMetric
from .services import save_target

# (what is counted, the indicator's code for "% improving", the target)
TARGETS = [
    (TargetMetric.ENTERPRISES_REACHED, None, Decimal(40)),
    (TargetMetric.WORKERS_REACHED, None, Decimal(20000)),
    (TargetMetric.WOMEN_PARTICIPANTS_SHARE, None, Decimal(40)),
    (TargetMetric.KPI_IMPROVING, "defect_rate", Decimal(60)),
    (TargetMetric.KPI_IMPROVING, "accident_frequency", Decimal(50)),
]


def seed(ctx):
    officer = ctx.users.get("officer")
    call = Call.objects.order_by("opens_on", "pk").first()
    if officer is None or call is None:
        return
    indicators = {i.code: i for i in Indicator.objects.filter(code__in=[code for _m, code, _v in TARGETS if code])}
    deadline = datetime.date(call.opens_on.year + 2, 12, 31)
    made = 0
    for metric, code, value in TARGETS:
        indicator = indicators.get(code) if code else None
        if code and indicator is None:
            continue
        if Target.objects.filter(call=call, metric=metric, indicator=indicator).exists():
            continue
        save_target(by=officer, call=call, metric=metric, indicator=indicator, value=value, deadline=deadline)
        made += 1
    ctx.made["targets"] = made
