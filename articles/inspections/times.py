"""Publication times that do not match reality (filled in below)."""


def connect_signals():
    pass
