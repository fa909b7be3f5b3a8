"""Validation of model outputs against historical patterns (pattern-oriented modelling)."""
