"""Shipped letter templates and stage checklists (user-editable copies override them)."""
