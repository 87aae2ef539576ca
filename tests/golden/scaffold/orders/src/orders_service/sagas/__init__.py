"""The sagas the orders service runs: one per transaction of the monolith over several services.

- `checkout`: 3 steps, replacing `shop.orders.checkout`
"""
