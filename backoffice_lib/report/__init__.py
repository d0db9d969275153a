"""What the reports show and how they are exported.

One module per job: ``html`` (escaped tables and the page shell), ``tiles`` (KPI tiles),
``charts`` (matplotlib in the report's locale), ``display`` (what a notebook cell shows,
and the data the close reads back), ``excel`` (formatted workbooks), ``export_html``
(managers' HTML from an executed notebook), ``index`` (the landing page of a close).
"""
