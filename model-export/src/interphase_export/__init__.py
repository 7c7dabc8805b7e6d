"""Export nequip (Allegro / NequIP) models to the Interphase ONNX contract v1."""

__version__ = "0.1.0"
