"""The client screen: a header, a box for a damaged record's broken fields, and ten tabs,
each a widget of its own (its keys, its drawing). screen.py holds them together."""
