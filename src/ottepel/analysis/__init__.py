"""What the ensembles say: comparison, assessment, validation, calibration, sensitivity and
the HTML report."""
