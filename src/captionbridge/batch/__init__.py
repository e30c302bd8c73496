"""Converting many files: discovery of inputs and outputs, and runs on executors."""
