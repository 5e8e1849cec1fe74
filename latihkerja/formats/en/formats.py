"""English date and time formats (FORMAT_MODULE_PATH): day first as on the Indonesian pages, times with a colon."""

TIME_FORMAT = "H:i"
DATETIME_FORMAT = "j F Y, H:i"
SHORT_DATETIME_FORMAT = "j M Y H:i"
