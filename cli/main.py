"""`tierledger`: init nodes, record and import facts, read logs, verify chains."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated, Any

import typer

from cli import (
    audit_cli,
    click_words,
    export_cli,
    facts_cli,
    find_cli,
    import_cli,
    ops_cli,
    record_cli,
    sync_cli,
    template_cli,
    tokens_cli,
    users_cli,
    views_cli,
)
from cli import demo as demo_module
from cli.choices import format_option
from cli.i18n import _, say
from cli.labels import tier_label
from cli.nodes import (
    NodeArg,
    cli_actor,
    current_store,
    open_ledger,
    open_node,
    reports_errors,
)
from cli.output import (
    console,
    err_console,
    facts_table,
    org_document,
    print_json,
    registry_table,
)
from domain.codes import NodeCode, official_name
from domain.errors import NodeExistsError
from domain.messages import Text
from domain.text import parse_text
from domain.values import parse_date, today_in_china
from infrastructure import recorders
from infrastructure.keys import create_key
from infrastructure.settings import Settings
from infrastructure.stores import Store
from projections.documents import fact_document

click_words.install()
app = typer.Typer(
    name="tierledger",
    add_completion=False,  # shell set-up is an administrator's job, not a clerk's
    help=_(
        "The ledger of the district – street – community social-organization network."
    ),
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,  # help shows [env …] and [default …] as written
)
Format = Annotated[str, format_option("table", "json")]
Personal = Annotated[
    bool,
    typer.Option("--with-personal-data", help=_("Show phone and ID numbers unmasked.")),
]


@app.callback()
@reports_errors
def main(
    ctx: typer.Context,
    home: Annotated[
        Path | None,
        typer.Option(
            help=_("Folder of node stores (env TIERLEDGER_HOME, default .tierledger).")
        ),
    ] = None,
    database_url: Annotated[
        str | None,
        typer.Option(
            help=_("PostgreSQL URL; one schema per node (env TIERLEDGER_DATABASE_URL).")
        ),
    ] = None,
) -> None:
    """Choose where node ledgers live (SQLite files by default, or PostgreSQL)."""
    overrides: dict[str, Any] = {}
    if home is not None:
        overrides["home"] = home
    if database_url is not None:
        overrides["database_url"] = database_url
    ctx.obj = Store.from_settings(Settings(**overrides))


@app.command()
@reports_errors
def init(
    ctx: typer.Context,
    node: NodeArg,
    name: Annotated[
        str | None,
        typer.Option(help=_("Node name (defaults to the official division name).")),
    ] = None,
    effective_on: Annotated[
        str | None, typer.Option(help=_("Opening date, ISO."))
    ] = None,
) -> None:
    """Create a node's ledger and key pair and record its genesis fact."""
    code = NodeCode.parse(node)
    label = parse_text(
        official_name(code) if name is None else name, "name", max_len=100
    )
    day = (
        parse_date(effective_on, "effective_on")
        if effective_on
        else today_in_china().isoformat()
    )
    store = current_store(ctx)
    if store.exists(code) or store.key_path(code).exists():
        raise NodeExistsError(
            Text(
                "node {node} already exists in {place}",
                node=code,
                place=store.describe(),
            )
        )
    store.ensure_database()  # before the key: a refusal leaves nothing to clean up
    public_key = create_key(store.key_path(code))
    with open_node(ctx, node, create=True) as opened:
        receipt = opened.ledger.open(label, public_key, day, actor=cli_actor())
    done = Text(
        "initialised {tier} node {code} {label}: seq {seq} {hash}",
        tier=tier_label(code.tier),
        code=code,
        label=label,
        seq=receipt.seq,
        hash=receipt.hash,
    )
    console.print(say(done), markup=False)


@app.command()
@reports_errors
def log(
    ctx: typer.Context,
    node: NodeArg,
    after: Annotated[int, typer.Option(help=_("Show facts after this seq."))] = 0,
    limit: Annotated[
        int | None, typer.Option(help=_("At most this many facts."))
    ] = None,
    output: Format = "table",
    personal: Personal = False,
) -> None:
    """List a node's facts in seq order."""
    with open_ledger(ctx, node) as ledger:
        facts = list(ledger.facts(after=after, limit=limit))
        title = f"{ledger.node_name()} {node}"
    if output == "json":
        for fact in facts:
            print_json(fact_document(fact, personal=personal))
    else:
        console.print(facts_table(facts, title))


@app.command()
@reports_errors
def head(ctx: typer.Context, node: NodeArg) -> None:
    """Print the node's head as JSON: {"node", "seq", "hash"}."""
    with open_ledger(ctx, node) as ledger:
        current = ledger.head()
    print_json({"node": current.node, "seq": current.seq, "hash": current.hash})


@app.command()
@reports_errors
def verify(
    ctx: typer.Context,
    node: NodeArg,
    drop_snapshots: Annotated[
        bool,
        typer.Option(
            help=_("First discard stored snapshots (a cache the facts rebuild).")
        ),
    ] = False,
) -> None:
    """Recompute every chain held here; exit 1 naming the first bad seq."""
    with open_node(ctx, node) as opened:
        sync = opened.sync
        if drop_snapshots:
            assert sync.ledger.snapshots is not None
            recorder = sync.ledger.snapshots.recorder
            dropped = recorders.drop_snapshots(recorder, sync.ledger.journal_id)
            discarded = Text("discarded {n} stored snapshot(s)", n=dropped)
            console.print(say(discarded), markup=False)
        # Recorded: the views answer by what it found. The domain's reports, not
        # the read model: their summaries name signed and witnessed seqs.
        reports = opened.views.verify(sync.verify_all)
    for report in reports.values():
        if report.ok:
            console.print(say(report.summary()), markup=False)
            continue
        err_console.print(say(report.summary()), markup=False)
        for problem in report.problems[1:10]:
            also = Text("  also {problem}", problem=problem.text)
            err_console.print(say(also), markup=False)
    if not all(report.ok for report in reports.values()):
        raise typer.Exit(1)


@app.command()
@reports_errors
def show(
    ctx: typer.Context,
    node: NodeArg,
    org: Annotated[
        str,
        typer.Argument(help=_("org_id, USCC, filing number or NODE:filing-number.")),
    ],
    output: Format = "table",
    personal: Personal = False,
) -> None:
    """Show an organization's current state and every fact about it."""
    with open_ledger(ctx, node) as ledger:
        state, facts = ledger.organization(org)
    if output == "json":
        print_json(org_document(state, facts, personal=personal))
        return
    console.print(registry_table([state], state["name"]))
    console.print(facts_table(facts, _("facts")))


@app.command()
@reports_errors
def registry(ctx: typer.Context, node: NodeArg, output: Format = "table") -> None:
    """List every organization this node's journal knows."""
    with open_ledger(ctx, node) as ledger:
        orgs = ledger.registry()
        title = say(
            Text(
                "{name} {node}: {count} organizations",
                name=ledger.node_name(),
                node=node,
                count=len(orgs),
            )
        )
    if output == "json":
        print_json([org_document(o, []) for o in orgs])
    else:
        console.print(registry_table(orgs, title))


@app.command()
@reports_errors
def demo(
    ctx: typer.Context,
    home: Annotated[
        Path,
        typer.Option(
            help=_("Folder for the demo's stores (wiped first if it is a demo folder).")
        ),
    ] = Path("tierledger-demo"),
    serve: Annotated[
        bool,
        typer.Option(
            "--serve",
            help=_(
                "Keep the network running afterwards, with demo accounts, to see it "
                "in a browser (Ctrl-C stops it)."
            ),
        ),
    ] = False,
) -> None:
    """Run a network on loopback — 镇海区, 招宝山街道, three communities, each with its
    store and API: facts posted, synced upward, reconciled at the district."""
    demo_module.run(home, current_store(ctx).database_url, serve=serve)


app.command(help=record_cli.record_help())(record_cli.record)
app.command("import", help=import_cli.HELP)(import_cli.import_file)
app.command("export", help=export_cli.HELP)(export_cli.export)
app.command("template", help=template_cli.HELP)(template_cli.template)
app.command()(facts_cli.facts)
app.add_typer(sync_cli.sync_app, name="sync")
app.add_typer(tokens_cli.token_app, name="token")
app.add_typer(users_cli.user_app, name="user")
app.command()(sync_cli.enroll)
app.command()(sync_cli.checkpoint)
app.command()(ops_cli.serve)
app.command()(ops_cli.key)
app.command()(views_cli.view)
app.command(help=find_cli.HELP)(find_cli.find)
app.command()(views_cli.rebuild)
app.add_typer(audit_cli.policy_app, name="policy")
app.add_typer(audit_cli.audit_app, name="audit")
app.command()(audit_cli.reconcile)
click_words.translate_commands(app)


def run() -> None:
    """Console-script entry point."""
    # Whatever this process creates (stores, keys, tokens, bundles, receipts) holds
    # facts, personal data or secrets: owner-only, whatever the caller's umask.
    os.umask(0o077)
    app()
