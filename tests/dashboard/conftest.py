def pytest_configure(config):
    # Also belongs in pyproject.toml's markers; registered here so --strict-markers accepts it.
    config.addinivalue_line(
        "markers", "browser: drives headless Chromium (Debian's chromium + playwright)"
    )
