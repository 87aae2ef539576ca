"""Typed fields of models and data classes: what a scaffold declares on the wire."""

from __future__ import annotations

import textwrap

from pydantic import TypeAdapter

from decompose.extraction.module import extract
from decompose.model import DataField, DataShape, ModuleFacts


def facts(source: str) -> ModuleFacts:
    result = extract(textwrap.dedent(source).lstrip("\n").encode(), "app.models", "x.py", False)
    assert isinstance(result, ModuleFacts), result
    return result


def fields(source: str, name: str) -> dict[str, dict[str, object]]:
    found = facts(source)
    owner = next((m for m in found.models if m.name == name), None) or next(
        d for d in found.definitions if d.name == name
    )
    shown = TypeAdapter(DataField)
    return {
        f.name: shown.dump_python(f, exclude_defaults=True, exclude={"name"}) for f in owner.fields
    }


def test_sqlalchemy_2_columns_keep_type_nullability_length_and_keys() -> None:
    found = fields(
        """
        from sqlalchemy import Enum, ForeignKey, String
        from sqlalchemy.orm import Mapped, mapped_column, relationship

        class Order(Base):
            __tablename__ = "orders"
            id: Mapped[int] = mapped_column(primary_key=True)
            number: Mapped[str] = mapped_column(String(20), unique=True)
            customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"))
            note: Mapped[str | None] = mapped_column(String(200))
            paid_at: Mapped[Optional[datetime]]
            total_cents: Mapped[int]
            currency: Mapped[str] = mapped_column(String(3), default="USD")
            state: Mapped[str] = mapped_column(Enum("new", "paid", name="state"))
            customer: Mapped["Customer"] = relationship()
        """,
        "Order",
    )
    assert found == {
        "id": {"type": "int", "primary_key": True, "read_only": True},
        "number": {"type": "str", "max_length": 20},
        "customer_id": {"type": "int", "references": "customers.id"},
        "note": {"type": "str", "nullable": True, "required": False, "max_length": 200},
        "paid_at": {"type": "datetime", "nullable": True, "required": False},
        "total_cents": {"type": "int"},
        "currency": {"type": "str", "required": False, "default": "'USD'", "max_length": 3},
        "state": {"type": "str", "choices": ("new", "paid")},
    }


def test_classic_columns_are_nullable_unless_told() -> None:
    found = fields(
        """
        from flask_sqlalchemy import SQLAlchemy
        db = SQLAlchemy()

        class Users(db.Model):
            id = db.Column(db.Integer, primary_key=True)
            name = db.Column(db.String(128), nullable=False)
            team_id = db.Column(db.Integer, db.ForeignKey("teams.id"))
            score = db.Column(db.Numeric(10, 2))
            data = db.Column(db.JSON)
        """,
        "Users",
    )
    assert found == {
        "id": {"type": "int", "primary_key": True, "read_only": True},
        "name": {"type": "str", "max_length": 128},
        "team_id": {
            "type": "int",
            "nullable": True,
            "required": False,
            "references": "teams.id",
        },
        "score": {"type": "Decimal", "nullable": True, "required": False},
        "data": {"nullable": True, "required": False},
    }


def test_django_fields_and_relations_as_ids() -> None:
    found = fields(
        """
        from django.db import models

        class Order(models.Model):
            number = models.CharField(max_length=20, unique=True)
            status = models.CharField(max_length=10, choices=[("new", "New"), ("paid", "Paid")])
            customer = models.ForeignKey("customers.Customer", on_delete=models.CASCADE)
            tags = models.ManyToManyField("Tag", blank=True)
            total = models.DecimalField(max_digits=10, decimal_places=2, null=True)
            created = models.DateTimeField(auto_now_add=True)
        """,
        "Order",
    )
    assert found == {
        "id": {"type": "int", "primary_key": True, "read_only": True},
        "number": {"type": "str", "max_length": 20},
        "status": {"type": "str", "max_length": 10, "choices": ("new", "paid")},
        "customer_id": {"type": "int", "references": "customers.Customer"},
        "tags": {"type": "list[int]", "required": False, "references": "Tag", "many": True},
        "total": {"type": "Decimal", "nullable": True, "required": False},
        "created": {"type": "datetime", "required": False, "read_only": True},
    }


def test_dataclasses_attrs_and_pydantic_models_declare_their_fields() -> None:
    source = """
        from dataclasses import dataclass, field
        import attr
        from pydantic import BaseModel, Field

        @dataclass(frozen=True)
        class Line:
            sku: str
            quantity: int = 1
            tags: list[str] = field(default_factory=list)
            LIMIT: ClassVar[int] = 3

        @attr.s
        class Point:
            x = attr.ib(type=int)
            y = attr.ib(type=int, default=0)

        class Item(BaseModel):
            name: str = Field(max_length=40)
            note: str | None = None

        class Special(Item):
            level: int
        """
    assert fields(source, "Line") == {
        "sku": {"type": "str"},
        "quantity": {"type": "int", "required": False, "default": "1"},
        "tags": {"type": "list[str]", "required": False},
    }
    assert fields(source, "Point") == {
        "x": {"type": "int"},
        "y": {"type": "int", "required": False, "default": "0"},
    }
    assert fields(source, "Item") == {
        "name": {"type": "str", "max_length": 40},
        "note": {"type": "str", "nullable": True, "required": False, "default": "None"},
    }
    shapes = {d.name: d.shape for d in facts(source).definitions}
    assert shapes["Special"] is DataShape.PYDANTIC and shapes["Line"] is DataShape.DATACLASS


def test_serializers_keep_their_model_and_declared_fields() -> None:
    source = """
        from marshmallow import fields, validate
        from rest_framework import serializers

        class UserSchema(ma.ModelSchema):
            class Meta:
                model = Users
                dump_only = ("id", "created")

            name = field_for(Users, "name", required=True, validate=[validate.Length(max=128)])
            role = fields.Str(validate=validate.OneOf(["admin", "user"]))

        class OrderSerializer(serializers.ModelSerializer):
            total = serializers.DecimalField(max_digits=10, decimal_places=2, read_only=True)
            lines = LineSerializer(many=True)

            class Meta:
                model = Order
                fields = ["id", "number", "total", "lines"]
        """
    found = {d.name: d for d in facts(source).definitions}
    user = found["UserSchema"]
    assert (user.shape, user.model) == (DataShape.MARSHMALLOW, "Users")
    assert fields(source, "UserSchema") == {
        "name": {"max_length": 128},
        "role": {"type": "str", "required": False, "choices": ("admin", "user")},
        "id": {"required": False, "read_only": True},
        "created": {"required": False, "read_only": True},
    }
    order = found["OrderSerializer"]
    assert (order.shape, order.model) == (DataShape.DRF, "Order")
    assert order.meta_fields == ("id", "number", "total", "lines")
    assert fields(source, "OrderSerializer") == {
        "total": {"type": "Decimal", "required": False, "read_only": True},
        "lines": {"type": "list[LineSerializer]"},
    }


def test_decorators_and_their_factories_are_marked() -> None:
    source = """
        from functools import wraps

        def admins_only(f):
            @wraps(f)
            def wrapper(*args, **kwargs):
                return f(*args, **kwargs)
            return wrapper

        def timed_cache(seconds: int = 60):
            def decorator(function):
                return function
            return decorator

        def register(handler: Callable[[int], None]) -> None:
            pass

        def attach_fields(form_cls, **kwargs):
            pass

        def get_user(user_id: int) -> dict:
            return {}
        """
    wraps = {d.name: d.wraps for d in facts(source).definitions}
    assert wraps == {
        "admins_only": True,
        "timed_cache": True,
        "register": True,
        "attach_fields": True,
        "get_user": False,
    }
