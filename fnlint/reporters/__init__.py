"""Reporters turn findings and model summaries into text; they never analyze."""
