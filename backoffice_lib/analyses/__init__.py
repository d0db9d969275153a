"""What each notebook of ``notebooks/`` calls: one module (or package) per analysis.

A notebook stays thin (a parameters cell, then one library call per line): the glue
between the run's parameters, the KPI functions and what a cell shows lives here, in
tested code. ``costs`` serves ``notebooks/costs.ipynb``.
"""
