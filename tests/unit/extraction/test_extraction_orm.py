"""Django and SQLAlchemy models, relations and tables."""

from __future__ import annotations

import textwrap

from decompose.extraction.module import extract
from decompose.model import ModuleFacts


def models(source: str, module: str = "shop.orders.models"):  # type: ignore[no-untyped-def]
    result = extract(textwrap.dedent(source).lstrip("\n").encode(), module, "x.py", False)
    assert isinstance(result, ModuleFacts), result
    return {m.name: m for m in result.models}


def test_django_models_and_every_relation_form() -> None:
    found = models(
        """
        from django.db import models
        from shop.customers.models import Customer

        class Order(models.Model):
            customer = models.ForeignKey(Customer, on_delete=models.CASCADE)
            product = models.ForeignKey("catalog.Product", on_delete=models.PROTECT)
            parent = models.ForeignKey("self", null=True, on_delete=models.CASCADE)
            invoice = models.OneToOneField(to="billing.Invoice", on_delete=models.CASCADE)
            tags = models.ManyToManyField("Tag")

            class Meta:
                db_table = "shop_order"

        class Base(models.Model):
            class Meta:
                abstract = True

        class NotAModel:
            x = 1
        """
    )
    assert set(found) == {"Order", "Base"}
    order = found["Order"]
    assert order.framework == "django" and order.table == "shop_order"
    relations = {r.field: (r.kind, r.target, r.line) for r in order.relations}
    assert relations == {
        "customer": ("foreign_key", "Customer", 5),
        "product": ("foreign_key", "catalog.Product", 6),
        "parent": ("foreign_key", "self", 7),
        "invoice": ("one_to_one", "billing.Invoice", 8),
        "tags": ("many_to_many", "Tag", 9),
    }
    assert found["Base"].abstract


def test_sqlalchemy_declarative_models() -> None:
    found = models(
        """
        from sqlalchemy import Column, ForeignKey, Integer
        from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

        class Base(DeclarativeBase):
            pass

        class Order(Base):
            __tablename__ = "orders"
            id: Mapped[int] = mapped_column(primary_key=True)
            customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"))
            legacy_id = Column(Integer, ForeignKey("legacy_orders.id"))
            customer: Mapped["Customer"] = relationship(back_populates="orders")
            lines: Mapped[list["OrderLine"]] = relationship()
            payment = relationship("Payment", uselist=False)
        """
    )
    order = found["Order"]
    assert order.framework == "sqlalchemy" and order.table == "orders"
    relations = {r.field: (r.kind, r.target) for r in order.relations}
    assert relations == {
        "customer_id": ("foreign_key", "customers.id"),
        "legacy_id": ("foreign_key", "legacy_orders.id"),
        "customer": ("relationship", "Customer"),
        "lines": ("relationship", "OrderLine"),
        "payment": ("relationship", "Payment"),
    }
    assert found["Base"].abstract


def test_transactions_and_the_names_they_touch() -> None:
    source = """
    from django.db import transaction
    from shop.orders.models import Order
    from shop.stock.models import Stock

    def checkout(cart):
        with transaction.atomic():
            Order.objects.create()
            Stock.objects.filter().update()
        log(cart)

    @transaction.atomic
    def refund(order):
        Order.objects.get()
    """
    result = extract(
        textwrap.dedent(source).lstrip("\n").encode(), "shop.checkout", "shop/checkout.py", False
    )
    assert isinstance(result, ModuleFacts)
    blocks = [(t.line, t.function, t.names) for t in result.transactions]
    assert blocks == [(6, "checkout", ("Order", "Stock")), (12, "refund", ("Order",))]


def test_a_transaction_keeps_the_order_it_uses_things_in() -> None:
    source = """
    from shop.db import session
    from shop.stock import service as stock
    from shop.orders.models import Order, Line

    def place(cart):
        with session.begin():
            stock.reserve(cart)
            order = Order(lines=[Line()])
            stock.reserve(cart.extra)
            Order.objects.filter().update()
            stock.release.later(cart)
    """
    result = extract(
        textwrap.dedent(source).lstrip("\n").encode(), "shop.checkout", "shop/checkout.py", False
    )
    assert isinstance(result, ModuleFacts)
    [block] = result.transactions
    assert block.names == ("Line", "Order", "stock")
    assert block.uses == ("stock.reserve", "Order", "Line", "Order.objects", "stock.release")


def test_queries_and_table_columns_in_class_bodies_are_no_models() -> None:
    found = models(
        """
        import django_tables2 as tables
        from shop import models

        class ProviderTable(tables.Table):
            name = tables.Column(linkify=True)

        class ProjectViewSet:
            queryset = models.Project.objects.all()

        class Availability(Base):
            code = ""
        """
    )
    assert found == {}


def test_a_subclass_of_a_model_of_the_module_inherits_its_table() -> None:
    found = models(
        """
        from flask_sqlalchemy import SQLAlchemy
        db = SQLAlchemy()

        class Submissions(db.Model):
            id = db.Column(db.Integer, primary_key=True)

        class Solves(Submissions):
            __mapper_args__ = {"polymorphic_identity": "correct"}
        """
    )
    assert set(found) == {"Submissions", "Solves"}
    (relation,) = found["Solves"].relations
    assert (relation.kind, relation.target) == ("inherits", "Submissions")


def test_models_defined_under_a_module_level_condition() -> None:
    found = models(
        """
        from django.db import models

        if not registered("Order"):
            class Order(models.Model):
                number = models.CharField(max_length=9)
        """
    )
    assert set(found) == {"Order"}


def test_committing_functions_and_django_views_are_transactions() -> None:
    source = """
    from app import db
    from app.models import Order, Stock

    def place(cart):
        Order.create(cart)
        db.session.add(Stock())
        db.session.commit()
        db.session.commit()

    class Api:
        def save(self):
            get_session().commit()

    class OrderView(View):
        def post(self, request):
            Order.objects.create()

    def report(request, year):
        return Stock.objects.all()

    def helper(session):
        session.flush()
    """
    result = extract(
        textwrap.dedent(source).lstrip("\n").encode(), "app.views", "app/views.py", False
    )
    assert isinstance(result, ModuleFacts)
    found = [(t.line, t.function, t.names, t.kind) for t in result.transactions]
    assert found == [
        (4, "place", ("Order", "Stock", "db"), "commit"),
        (11, "Api.save", (), "commit"),
        (15, "OrderView.post", ("Order",), "request"),
        (18, "report", ("Stock",), "request"),
    ]
    assert not result.atomic_requests


def test_atomic_requests_keeps_view_transactions_and_its_absence_drops_them() -> None:
    from decompose.graph.transactions import project_transactions

    views = extract(
        b"def index(request):\n    return Order.objects.all()\n", "a.views", "a/views.py", False
    )
    settings = extract(
        b'DATABASES = {"default": {"ENGINE": "x", "ATOMIC_REQUESTS": True}}\n',
        "a.settings",
        "a/settings.py",
        False,
    )
    assert isinstance(views, ModuleFacts) and isinstance(settings, ModuleFacts)
    assert settings.atomic_requests

    assert len(project_transactions([views, settings])[0].transactions) == 1
    assert project_transactions([views])[0].transactions == ()
