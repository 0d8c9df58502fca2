"""The `tierledger` command line: the composition root for operators."""
