import datetime

import factory

from enterprises import demo
from enterprises.models import Call


class CallFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Call

    title = factory.Sequence(lambda n: f"Pakistan SCORE Programme call {n}")
    country = "PK"
    opens_on = factory.LazyFunction(lambda: datetime.date.today() - datetime.timedelta(days=10))
    closes_on = factory.LazyFunction(lambda: datetime.date.today() + datetime.timedelta(days=30))
    contact_name = "Sadia Hameed"
    contact_email = "hameeds@ilo.org"
    contact_phone = "0300-8486929"
    first_batch_capacity = 20


# A complete, eligible expression of interest, as the services take it: the demo's own builder.
eoi_data = demo.eoi_data


def make_enterprise(officer, *, number="5000-1", call=None, **overrides):
    """An enterprise registered from a screened, eligible EOI (stage: screened)."""
    from enterprises.path import services as path_services
    from enterprises.screening.services import submit_expression_of_interest

    call = call or CallFactory()
    data = eoi_data(registration_number=number, legal_name=overrides.pop("legal_name", f"Enterprise {number}"))
    data.update(overrides)
    eoi = submit_expression_of_interest(call, data)
    return path_services.register_enterprise(eoi, by=officer)
