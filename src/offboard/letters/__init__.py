"""Letter templates: finding them, rendering them safely, checking, exporting and sending."""
