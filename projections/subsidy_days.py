"""Live subsidies by business date as the node knows them now: a kept sum per day.

A roll-up at a past date with everything known — the usual question — need not read
every decision ever made. Each open version of a decision adds its count, amount and
shares on its decision day and takes them away on its revocation day, so what is live
on a date is the sum of the days up to it. The view keeps those sums per deciding
node, period, program and day, updated in each step's transaction (with the rows and
the tracking position, so exactly once); a question at an earlier knowledge point
reads the decisions themselves (``queries.ROLLUP_SUBSIDIES``).
"""

from __future__ import annotations

from projections.tables import SHARES

MONEY = ("amount_fen", *SHARES)
KEY = ("origin", "period", "program", "day")
COLUMNS = (
    ", ".join(f"{c} TEXT NOT NULL" for c in KEY)
    + ", n BIGINT NOT NULL, "
    + ", ".join(f"{c} BIGINT NOT NULL" for c in MONEY)
    + f", PRIMARY KEY ({', '.join(KEY)})"
)
"""The table's columns: the group and day, then the count and money added that day."""

_OPENED_OR_CLOSED = f"""
    SELECT 1 AS sign, origin, period, program, effective_on, revoked_on,
           {", ".join(MONEY)}
    FROM {{view_subsidies}}
    WHERE id BETWEEN (:after + 1) * 16 AND :last * 16 + 15 AND until_pos IS NULL
    UNION ALL
    SELECT -1, origin, period, program, effective_on, revoked_on, {", ".join(MONEY)}
    FROM {{view_subsidies}}
    WHERE until_pos > :after AND until_pos <= :last AND pos <= :after"""
"""Versions opened in (:after, :last] and still open (+), and versions open before
that the range closed (−): the change the range made to what is known."""

STEP = f"""
    INSERT INTO {{view_subsidy_days}} AS t ({", ".join(KEY)}, n, {", ".join(MONEY)})
    SELECT * FROM (
        SELECT origin, period, program, day, SUM(n) AS n,
               {", ".join(f"SUM({c}) AS {c}" for c in MONEY)}
        FROM (
            SELECT origin, period, program, effective_on AS day, sign AS n,
                   {", ".join(f"sign * {c} AS {c}" for c in MONEY)}
            FROM changed
            UNION ALL
            SELECT origin, period, program, revoked_on, -sign,
                   {", ".join(f"-sign * {c}" for c in MONEY)}
            FROM changed WHERE revoked_on IS NOT NULL
        ) d
        GROUP BY origin, period, program, day
    ) g WHERE day IS NOT NULL
    ON CONFLICT ({", ".join(KEY)}) DO UPDATE SET n = t.n + excluded.n,
        {", ".join(f"{c} = t.{c} + excluded.{c}" for c in MONEY)}"""
STEP = f"WITH changed AS ({_OPENED_OR_CLOSED}) {STEP}"
"""Adds a step's change (positions (:after, :last]) to the daily sums."""

FILL = f"""
    INSERT INTO {{view_subsidy_days}} ({", ".join(KEY)}, n, {", ".join(MONEY)})
    SELECT origin, period, program, day, SUM(n),
           {", ".join(f"SUM({c})" for c in MONEY)}
    FROM (
        SELECT origin, period, program, effective_on AS day, COUNT(*) AS n,
               {", ".join(f"SUM({c}) AS {c}" for c in MONEY)}
        FROM {{view_subsidies}} WHERE until_pos IS NULL
        GROUP BY origin, period, program, effective_on
        UNION ALL
        SELECT origin, period, program, revoked_on, -COUNT(*),
               {", ".join(f"-SUM({c})" for c in MONEY)}
        FROM {{view_subsidies}} WHERE until_pos IS NULL AND revoked_on IS NOT NULL
        GROUP BY origin, period, program, revoked_on
    ) d
    GROUP BY origin, period, program, day"""
"""Fills the empty table from every open version at once (a rebuild: the roll-up's
covering index yields them already grouped, where ``STEP`` would sort them)."""

ROLLUP = f"""
    SELECT t.opened, t.closed, s.* FROM (
        SELECT (SELECT MAX(id) FROM {{view_subsidies}}) / 16 AS opened,
               (SELECT MAX(until_pos) FROM {{view_subsidies}}
                WHERE until_pos IS NOT NULL) AS closed
    ) t
    LEFT JOIN (
        SELECT origin, period, program, SUM(n) AS n,
               {", ".join(f"SUM({c}) AS {c}" for c in MONEY)}
        FROM {{view_subsidy_days}} WHERE day <= :d
        GROUP BY origin, period, program HAVING SUM(n) <> 0) s ON 1 = 1"""
"""The last positions at which a subsidy version opened and closed, beside the sums
live on :d per deciding node, period and program (the columns of
``queries.ROLLUP_SUBSIDIES``): the sums answer any knowledge point at or after that
position. One statement, so both come from one snapshot."""
