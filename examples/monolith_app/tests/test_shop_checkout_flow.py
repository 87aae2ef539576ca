"""End-to-end: the whole shop through its HTTP API."""

from __future__ import annotations

from shop.notifications.channels import email, sms


def _ok(response, status=200):
    assert response.status_code == status, response.get_json()
    return response.get_json()


def _setup_shop(client):
    customer = _ok(
        client.post(
            "/api/customers",
            json={
                "email": "Ada@Example.com",
                "full_name": "Ada Lovelace",
                "phone": "+1 555 0100 200",
            },
        ),
        201,
    )
    address = _ok(
        client.post(
            f"/api/customers/{customer['id']}/addresses",
            json={
                "recipient": "Ada Lovelace",
                "line1": "12 Analytical St",
                "city": "Springfield",
                "postal_code": "12345",
                "country": "us",
            },
        ),
        201,
    )
    _ok(client.post("/api/catalog/categories", json={"name": "Kitchen Tools"}), 201)
    mug = _ok(
        client.post(
            "/api/catalog/products",
            json={
                "sku": "mug-01",
                "name": "Enamel Mug",
                "price": "19.99",
                "weight_grams": 500,
                "category": "kitchen-tools",
            },
        ),
        201,
    )
    kettle = _ok(
        client.post(
            "/api/catalog/products",
            json={
                "sku": "KET-02",
                "name": "Stovetop Kettle",
                "price": "45.00",
                "weight_grams": 1200,
            },
        ),
        201,
    )
    _ok(client.put(f"/api/inventory/{mug['id']}", json={"on_hand": 10}))
    _ok(client.put(f"/api/inventory/{kettle['id']}", json={"on_hand": 3}))
    return customer, address, mug, kettle


def test_customer_buys_pays_and_gets_shipment(client):
    customer, address, mug, kettle = _setup_shop(client)
    assert customer["email"] == "ada@example.com"
    assert customer["phone"] == "+15550100200"
    assert address["is_default"] is True
    assert mug["sku"] == "MUG-01" and mug["category"] == "kitchen-tools"

    # cart
    cart = _ok(client.post("/api/carts", json={"customer_id": customer["id"]}), 201)
    _ok(
        client.post(
            f"/api/carts/{cart['id']}/items", json={"product_id": mug["id"], "quantity": 2}
        ),
        201,
    )
    cart = _ok(
        client.post(f"/api/carts/{cart['id']}/items", json={"product_id": kettle["id"]}), 201
    )
    assert [(i["product_id"], i["quantity"]) for i in cart["items"]] == [
        (mug["id"], 2),
        (kettle["id"], 1),
    ]
    _ok(client.put(f"/api/carts/{cart['id']}/promo", json={"code": "welcome10"}))

    preview = _ok(client.get(f"/api/carts/{cart['id']}?country=US&shipping_method=express"))
    assert preview["prices"]["total"] == {"amount": "99.60", "currency": "USD"}

    # checkout: order + stock reservations + payment authorisation
    result = _ok(
        client.post(
            f"/api/carts/{cart['id']}/checkout",
            json={
                "address_id": address["id"],
                "shipping_method": "express",
                "payment": {"token": "tok_visa"},
            },
        ),
        201,
    )
    order, payment = result["order"], result["payment"]
    # 2 x 19.99 + 45.00 = 84.98; -10 % = 76.48 of goods
    # express, 2.2 kg -> 3 kg: 14.00 + 2 x 1.50 = 17.00; tax 8 % of 76.48 = 6.12
    assert order["subtotal"]["amount"] == "84.98"
    assert order["discount"]["amount"] == "8.50"
    assert order["shipping"]["amount"] == "17.00"
    assert order["tax"]["amount"] == "6.12"
    assert order["total"]["amount"] == "99.60"
    assert order["status"] == "pending_payment"
    assert order["number"].startswith("ORD-")
    assert order["ship_to"]["country"] == "US"
    assert payment["status"] == "authorized"
    assert payment["amount"] == order["total"]

    assert _ok(client.get(f"/api/carts/{cart['id']}"))["status"] == "checked_out"
    stock = _ok(client.get(f"/api/inventory/{mug['id']}"))
    assert stock == {"product_id": mug["id"], "on_hand": 10, "reserved": 2, "available": 8}

    # pay
    captured = _ok(client.post(f"/api/payments/{payment['id']}/capture"))
    assert captured["status"] == "captured"
    order = _ok(client.get(f"/api/orders/{order['id']}"))
    assert order["status"] == "paid"
    assert order["payment_reference"] == payment["provider_ref"]
    assert [p["status"] for p in order["payments"]] == ["captured"]

    # ship
    shipment = _ok(client.post("/api/shipping/shipments", json={"order_id": order["id"]}), 201)
    assert shipment["carrier"] == "RapidAir"
    assert shipment["tracking_number"].startswith("TRK-")
    assert shipment["cost"] == {"amount": "17.00", "currency": "USD"}
    assert shipment["estimated_days"] == 1

    order = _ok(client.get(f"/api/orders/{order['id']}"))
    assert order["status"] == "shipped"
    assert _ok(client.get(f"/api/inventory/{mug['id']}")) == {
        "product_id": mug["id"],
        "on_hand": 8,
        "reserved": 0,
        "available": 8,
    }
    assert _ok(client.get(f"/api/inventory/{kettle['id']}"))["on_hand"] == 2
    reservations = _ok(client.get(f"/api/inventory/reservations?order_id={order['id']}"))["items"]
    assert {r["status"] for r in reservations} == {"committed"}

    # a shipped order cannot be cancelled any more
    refused = client.post(f"/api/orders/{order['id']}/cancel", json={"reason": "changed my mind"})
    assert refused.status_code == 409
    assert refused.get_json()["error"] == "invalid_order_transition"

    _ok(client.post(f"/api/shipping/shipments/{shipment['id']}/delivered"))
    assert _ok(client.get(f"/api/orders/{order['id']}"))["status"] == "delivered"

    summary = _ok(client.get(f"/api/customers/{customer['id']}/summary"))
    assert summary["orders"] == 1
    assert summary["lifetime_value"] == {"amount": "99.60", "currency": "USD"}

    # notifications went through the outbox
    outbox = _ok(client.get("/api/notifications/outbox?status=pending"))["items"]
    assert [(m["event"], m["channel"]) for m in outbox] == [
        ("customer.registered", "email"),
        ("order.placed", "email"),
        ("payment.captured", "email"),
        ("order.shipped", "email"),
        ("order.shipped", "sms"),
    ]
    assert _ok(client.post("/api/notifications/outbox/flush")) == {"sent": 5, "failed": 0}
    assert email.SENT[0]["subject"] == "Welcome to the shop"
    assert sms.SENT[0]["to"] == "+15550100200"
    assert "tracking TRK-" in sms.SENT[0]["text"]


def test_declined_payment_rolls_back_the_whole_checkout(client):
    customer, address, mug, _ = _setup_shop(client)
    cart = _ok(client.post("/api/carts", json={"customer_id": customer["id"]}), 201)
    _ok(
        client.post(
            f"/api/carts/{cart['id']}/items", json={"product_id": mug["id"], "quantity": 3}
        ),
        201,
    )

    response = client.post(
        f"/api/carts/{cart['id']}/checkout",
        json={"address_id": address["id"], "payment": {"token": "tok_decline"}},
    )
    assert response.status_code == 402
    assert response.get_json()["error"] == "payment_failed"

    # nothing of the order, the reservations or the payment survived
    assert _ok(client.get(f"/api/orders?customer_id={customer['id']}"))["items"] == []
    assert _ok(client.get(f"/api/inventory/{mug['id']}"))["reserved"] == 0
    assert _ok(client.get(f"/api/carts/{cart['id']}"))["status"] == "open"
    events = [m["event"] for m in _ok(client.get("/api/notifications/outbox"))["items"]]
    assert "order.placed" not in events

    # the same cart goes through with a working card
    result = _ok(
        client.post(f"/api/carts/{cart['id']}/checkout", json={"address_id": address["id"]}),
        201,
    )
    assert result["order"]["status"] == "pending_payment"


def test_cannot_put_more_in_the_cart_than_is_in_stock(client):
    customer, _, _, kettle = _setup_shop(client)
    cart = _ok(client.post("/api/carts", json={"customer_id": customer["id"]}), 201)
    response = client.post(
        f"/api/carts/{cart['id']}/items", json={"product_id": kettle["id"], "quantity": 4}
    )
    assert response.status_code == 409
    assert response.get_json()["error"] == "out_of_stock"


def test_api_validation_errors(client):
    assert client.post("/api/customers", json={"email": "nope"}).status_code == 422
    _ok(client.post("/api/customers", json={"email": "a@b.io", "full_name": "A"}), 201)
    duplicate = client.post("/api/customers", json={"email": "A@B.io", "full_name": "A again"})
    assert duplicate.status_code == 409
    assert client.get("/api/orders/999").status_code == 404
    bad_price = client.post("/api/catalog/products", json={"sku": "X", "name": "X", "price": "-1"})
    assert bad_price.status_code == 422
    assert client.get("/api/shipping/quote?country=DE&method=teleport").status_code == 422
