"""Shop: the e-commerce backend (customers, catalog, stock, checkout, orders,
payments, shipping and notifications) in one deployable Flask application."""

__version__ = "3.7.2"
