"""Spreadsheets in and out: registers clerks keep (XLSX, CSV), read and written."""
