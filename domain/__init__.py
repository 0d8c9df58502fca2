"""The ledger's domain: codes, money, grades, facts and the node journal."""
