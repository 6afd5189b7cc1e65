import datetime

import factory

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


def eoi_data(**overrides) -> dict:
    """A complete, eligible expression of interest, as the services take it."""
    data = {
        "legal_name": "Indus Knitwear (Pvt) Ltd",
        "registration_number": "1234567-8",
        "address": "Plot 12, Sundar Industrial Estate",
        "city": "Lahore",
        "province": "punjab",
        "year_established": 1998,
        "products": "Knitted T-shirts and polo shirts",
        "export_markets": "EU, UK",
        "main_buyers": "Two European retailers",
        "sub_sector": "rmg_knitwear",
        "sub_sector_other": "",
        "workforce_total": 620,
        "workforce_permanent": 410,
        "workforce_contract": 210,
        "workforce_women": 250,
        "workforce_men": 370,
        "workforce_managers": 45,
        "workforce_workers": 575,
        "hr_officer": "in_place",
        "compliance_officer": "in_place",
        "industrial_engineer": "in_place",
        "ceo_available": True,
        "nominee_name": "",
        "nominee_position": "",
        "nominee_has_authority": False,
        "shares_order_status": True,
        "shares_baseline_data": True,
        "contact_name": "Ayesha Malik",
        "contact_position": "HR Manager",
        "contact_email": "ayesha@indusknit.example.pk",
        "contact_phone": "0300-8486929",
        "consent": True,
    }
    data.update(overrides)
    return data


def make_enterprise(officer, *, number="5000-1", call=None, **overrides):
    """An enterprise registered from a screened, eligible EOI (stage: screened)."""
    from enterprises.path import services as path_services
    from enterprises.screening.services import submit_expression_of_interest

    call = call or CallFactory()
    data = eoi_data(registration_number=number, legal_name=overrides.pop("legal_name", f"Enterprise {number}"))
    data.update(overrides)
    eoi = submit_expression_of_interest(call, data)
    return path_services.register_enterprise(eoi, by=officer)
