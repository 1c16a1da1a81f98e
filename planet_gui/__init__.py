"""PLANET Uploader: put research data into the PLANET data lake with metadata it can trust."""

__version__ = "0.1.0"
