"""The `tierledger` command line and the demo."""
