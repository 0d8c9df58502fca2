"""One module per fact type, each defining its class and its ``FACT_TYPE`` entry."""
