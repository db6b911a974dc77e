"""Offline evaluations: `python -m eval.summary_eval` scores the voice-note summarizer."""
