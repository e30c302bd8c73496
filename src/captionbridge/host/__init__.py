"""The plugin host: the plugin manager factory, entry points and what plugins registered."""
