"""Ensembles of runs: ``simulate``, chunking, the Parquet/DuckDB store, Dask and resume."""
