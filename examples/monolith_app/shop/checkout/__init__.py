"""Shopping carts and checkout."""

CART_OPEN = "open"
CART_CHECKED_OUT = "checked_out"
