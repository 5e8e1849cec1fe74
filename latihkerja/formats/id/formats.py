"""Indonesian date and time formats (FORMAT_MODULE_PATH): times with a dot, as PUEBI writes them (08.00)."""

TIME_FORMAT = "H.i"
DATETIME_FORMAT = "j F Y, H.i"
SHORT_DATETIME_FORMAT = "j M Y H.i"
