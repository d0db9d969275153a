"""load_tables and list_sheets: the entry points of the close and of notebooks."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from backoffice_lib import MissingFileError
from backoffice_lib.loading import list_sheets, load_tables


@pytest.fixture
def inputs(tmp_path: Path) -> Path:
    """A folder with a budget and a cost-centre file."""
    (tmp_path / "budget.csv").write_text(
        "Période;Centre de coût;Catégorie;Montant\n2026-10;CC010;Achats;500\n", encoding="utf-8")
    (tmp_path / "centres.csv").write_text(
        "Code;Libellé;Direction;Type de fonction\nCC010;Achats;Finance;back\n", encoding="utf-8")
    return tmp_path


def test_load_tables_resolves_relative_paths_against_base_dir(inputs):
    result = load_tables({"budget": "budget.csv",
                          "cost_centers": {"path": "centres.csv", "header_row": 1}},
                         base_dir=inputs, cache=False)
    assert set(result) == {"budget", "cost_centers"}
    assert result["budget"]["amount"].tolist() == [Decimal("500.00")]
    assert result["budget"]["category"].tolist() == ["Achats"]
    assert result["cost_centers"]["office"].tolist() == ["back"]


def test_load_tables_missing_file_names_it(inputs):
    with pytest.raises(MissingFileError, match=r"absent\.csv"):
        load_tables({"budget": "absent.csv"}, base_dir=inputs, cache=False)


def test_list_sheets_of_a_text_file(inputs):
    (sheet,) = list_sheets(inputs / "budget.csv")
    assert (sheet.name, sheet.visible, sheet.rows, sheet.cols) == ("budget", True, 2, 4)


def test_load_table_parquet_as_canonical_table(tmp_path):
    import pandas as pd

    from backoffice_lib import load_table
    from backoffice_lib.tables import MONEY

    path = tmp_path / "budget.parquet"
    pd.DataFrame({"period": ["2026-10"], "cost_center": ["00420"], "category": ["Achats"],
                  "amount": [1234.5]}).to_parquet(path)
    result = load_table(path, table="budget", cache=False)
    assert result["cost_center"].tolist() == ["00420"]
    assert result["amount"].dtype == MONEY
    assert str(result["amount"].iloc[0]) == "1234.50"
    assert list(result.index) == [1]
    assert result.attrs["source"].format == "parquet"


def test_start_reader_starts_the_process_the_next_workbook_read_uses(tmp_path):
    import pandas as pd

    from backoffice_lib.loading import load_table, start_reader
    from backoffice_lib.loading.isolation import worker

    path = tmp_path / "centres.xlsx"
    pd.DataFrame({"Code": ["CC010"], "Libellé": ["Achats"], "Direction": ["Finance"],
                  "Type de fonction": ["back"]}).to_excel(path, index=False, engine="openpyxl")
    start_reader()
    started = worker().pid
    assert started is not None
    frame = load_table(path, table="cost_centers", cache=False)
    assert frame["cost_center"].tolist() == ["CC010"]
    assert worker().pid == started                       # no second start
