"""The package root exports exactly what __all__ says (httpx's test_exported_members)."""

import backoffice_lib


def test_all_names_resolve():
    missing = [name for name in backoffice_lib.__all__ if not hasattr(backoffice_lib, name)]
    assert missing == []


def test_errors_share_one_root():
    for name in backoffice_lib.__all__:
        obj = getattr(backoffice_lib, name)
        if isinstance(obj, type) and issubclass(obj, Exception):
            assert issubclass(obj, backoffice_lib.BackofficeError), name
