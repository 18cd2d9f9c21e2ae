"""Widgets that are not screens: any screen may use them."""
