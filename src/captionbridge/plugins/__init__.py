"""The built-in plugins: one module per format or transform, registered like any other plugin."""
