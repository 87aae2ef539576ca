"""Routes, routers and mounts of Flask, Flask-RESTX and FastAPI apps, read without running them."""

from __future__ import annotations

import textwrap

from decompose.extraction.module import extract
from decompose.graph.routes import resolve_routes
from decompose.model import ModuleFacts


def facts(source: str, module: str = "app.views") -> ModuleFacts:
    result = extract(textwrap.dedent(source).lstrip("\n").encode(), module, "x.py", False)
    assert isinstance(result, ModuleFacts), result
    return result


def test_flask_routes_keep_method_path_and_typed_parameters() -> None:
    found = facts(
        """
        from flask import Blueprint
        bp = Blueprint("carts", __name__, url_prefix="/api/carts")

        @bp.get("/<int:cart_id>")
        def get_cart(cart_id: int):
            return CartSchema().dump(load(cart_id))

        @bp.route("/<int:cart_id>/items", methods=["POST", "DELETE"])
        def items(cart_id):
            pass

        def helper():
            pass
        """
    )
    routes = [(r.method, r.path, r.router, r.handler, r.line) for r in found.routes]
    assert routes == [
        ("GET", "/<int:cart_id>", "bp", "get_cart", 5),
        ("POST", "/<int:cart_id>/items", "bp", "items", 9),
        ("DELETE", "/<int:cart_id>/items", "bp", "items", 9),
    ]
    assert [(p.name, p.annotation) for p in found.routes[0].params] == [("cart_id", "int")]
    assert found.routes[0].uses == ("CartSchema",)
    assert [(r.name, r.kind, r.prefix) for r in found.routers] == [
        ("bp", "blueprint", "/api/carts")
    ]


def test_a_decorator_naming_code_is_no_route() -> None:
    # `mock.patch` is an attribute named like an HTTP method, with a string argument: a
    # dotted name of code, which no framework takes for a URL.
    found = facts(
        """
        from unittest import mock
        from fastapi import APIRouter
        router = APIRouter()

        @mock.patch("shop.orders.charge")
        def test_checkout(charge):
            assert Order.objects.count() == 1

        @router.patch("/orders/{order_id}")
        def update(order_id: int):
            pass
        """
    )
    assert [(r.method, r.path, r.handler) for r in found.routes] == [
        ("PATCH", "/orders/{order_id}", "update")
    ]


def test_restx_resources_route_each_http_method() -> None:
    found = facts(
        """
        from flask_restx import Namespace, Resource
        users_namespace = Namespace("users")

        @users_namespace.route("/<int:user_id>")
        class UserPublic(Resource):
            def get(self, user_id):
                pass

            def patch(self, user_id):
                pass

            def helper(self):
                pass
        """
    )
    assert [(r.method, r.handler, [p.name for p in r.params]) for r in found.routes] == [
        ("GET", "UserPublic.get", ["user_id"]),
        ("PATCH", "UserPublic.patch", ["user_id"]),
    ]
    assert [(r.name, r.prefix) for r in found.routers] == [("users_namespace", "/users")]


def test_full_paths_follow_mounts_through_imports() -> None:
    users = facts(
        """
        from flask_restx import Namespace, Resource
        users_namespace = Namespace("users")

        @users_namespace.route("/me")
        class Me(Resource):
            def get(self):
                pass
        """,
        "app.api.users",
    )
    api = facts(
        """
        from flask import Blueprint
        from flask_restx import Api
        from app.api.users import users_namespace

        api = Blueprint("api", __name__, url_prefix="/api/v1")
        API = Api(api, version="v1")
        API.add_namespace(users_namespace, "/people")
        """,
        "app.api",
    )
    shop = facts(
        """
        from fastapi import APIRouter
        router = APIRouter(prefix="/orders")

        @router.get("/{order_id}")
        async def get_order(order_id: int) -> Order:
            pass
        """,
        "app.shop",
    )
    main = facts(
        """
        from fastapi import FastAPI
        from app import shop

        def create_app():
            app = FastAPI()
            app.include_router(shop.router, prefix="/v2")
        """,
        "app.main",
    )

    resolved = resolve_routes([users, api, shop, main])

    assert [r.path for r in resolved["app.api.users"]] == ["/api/v1/people/me"]
    assert [r.path for r in resolved["app.shop"]] == ["/v2/orders/{order_id}"]
    assert set(resolved) == {"app.api.users", "app.shop"}


def test_django_url_confs_and_drf_routers_route_to_the_view_modules() -> None:
    views = facts(
        """
        from rest_framework import generics, viewsets

        class OrderViewSet(viewsets.ModelViewSet):
            serializer_class = OrderSerializer

        class TagViewSet(viewsets.ReadOnlyModelViewSet):
            pass

        class OrderDetail(generics.RetrieveUpdateAPIView):
            pass

        class Export(View):
            def post(self, request):
                pass

        def order_report(request, year):
            pass
        """,
        "shop.orders.views",
    )
    urls = facts(
        """
        from django.urls import include, path, re_path
        from rest_framework.routers import DefaultRouter
        from . import views

        router = DefaultRouter()
        router.register(r"orders", views.OrderViewSet)
        router.register("tags", views.TagViewSet, basename="tag")

        urlpatterns = [
            path("detail/<int:pk>/", views.OrderDetail.as_view()),
            re_path(r"^report/(?P<year>[0-9]+)/$", views.order_report),
            path("export/", views.Export.as_view()),
            path("api/", include(router.urls)),
        ]
        """,
        "shop.orders.urls",
    )
    root = facts(
        """
        from django.urls import include, path
        urlpatterns = [path("shop/", include("shop.orders.urls"))]
        """,
        "shop.urls",
    )

    resolved = resolve_routes([views, urls, root])

    assert set(resolved) == {"shop.orders.views"}
    routes = [(r.method, r.path, r.handler) for r in resolved["shop.orders.views"]]
    assert routes == [  # in the URL conf's order: the router's registrations come first
        ("GET", "/shop/api/orders/", "OrderViewSet.list"),
        ("POST", "/shop/api/orders/", "OrderViewSet.create"),
        ("GET", "/shop/api/orders/<pk>/", "OrderViewSet.retrieve"),
        ("PUT", "/shop/api/orders/<pk>/", "OrderViewSet.update"),
        ("PATCH", "/shop/api/orders/<pk>/", "OrderViewSet.partial_update"),
        ("DELETE", "/shop/api/orders/<pk>/", "OrderViewSet.destroy"),
        ("GET", "/shop/api/tags/", "TagViewSet.list"),
        ("GET", "/shop/api/tags/<pk>/", "TagViewSet.retrieve"),
        ("GET", "/shop/detail/<int:pk>/", "OrderDetail.get"),
        ("PUT", "/shop/detail/<int:pk>/", "OrderDetail.put"),
        ("PATCH", "/shop/detail/<int:pk>/", "OrderDetail.patch"),
        ("GET", "/shop/report/<int:year>/", "order_report"),
        ("POST", "/shop/export/", "Export.post"),
    ]
    by_handler = {r.handler: r for r in resolved["shop.orders.views"]}
    assert by_handler["OrderViewSet.create"].uses == ("OrderSerializer",)
    assert [p.name for p in by_handler["order_report"].params] == ["year"]


def test_regex_patterns_become_parameters_or_are_left_out() -> None:
    from decompose.extraction.urls import plain_path

    assert plain_path(r"^(\d+)/(.*)$") == "<int:arg1>/<arg2>"  # positional groups
    assert plain_path(r"^orders/(?P<pk>[0-9]+)/$") == "orders/<int:pk>/"
    assert plain_path(r"^robots\.txt$") == "robots.txt"
    assert plain_path(r"^a/(?:b|c)/$") is None  # no single path stands for it
