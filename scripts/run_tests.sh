#!/usr/bin/env bash
# make test: from nothing to pytest's summary, then clean up.
#  1. check that Odoo 18.0 is importable;
#  2. start the private PostgreSQL (scripts/pg.sh) unless it already runs;
#  3. create a throwaway database with the French accounting (l10n_fr_account,
#     and Odoo's SMS app, which the addon uses when it is there, to test it;
#     the French chart on the main company), then install the addon on it alone,
#     failing on any WARNING/ERROR it logs;
#  4. run tests/ with pytest-odoo, then bench/bench_workers.py --check on a copy
#     (two Odoo servers and an accountant on one night: no duplicate);
#  5. uninstall the addon, failing on any error;
#  6. drop the database, stop PostgreSQL if this script started it.
# Extra arguments go to pytest (e.g. make test ARGS="-k penalty").
set -uo pipefail
source "$(dirname "$0")/common.sh"
cd "$here"

"$PYTHON" scripts/check_odoo.py || exit 3
"$PYTHON" -c "import pytest_odoo" 2>/dev/null || {
    echo "fr_dunning_addon: pytest-odoo is missing: pip install -r requirements-test.txt" >&2
    exit 3
}

started_pg=0
if ! scripts/pg.sh status; then
    scripts/pg.sh start || exit 1
    started_pg=1
fi
DB=${FR_DUNNING_TEST_DB:-fr_dunning_test_$$}
LOGDIR=$here/.local/test-logs
mkdir -p "$LOGDIR"

cleanup() {
    drop_db "${DB}_workers" || true
    drop_db "$DB" || true
    [ "$started_pg" = 1 ] && scripts/pg.sh stop
}
trap cleanup EXIT

odoo_run() {
    "$PYTHON" -m odoo -d "$DB" "${ODOO_DB_ARGS[@]}" --http-port="$(free_port)" --stop-after-init "$@"
}

echo "== fr_dunning_addon: database $DB with the French chart of accounts"
odoo_run -i l10n_fr_account,sms,payment_demo --without-demo=all --log-level=warn >"$LOGDIR/base.log" 2>&1 || {
    tail -n 40 "$LOGDIR/base.log"
    exit 1
}

"$PYTHON" scripts/test_db_prepare.py "$DB" "${ODOO_DB_ARGS[@]}" --log-level=warn >>"$LOGDIR/base.log" 2>&1 || {
    tail -n 40 "$LOGDIR/base.log"
    exit 1
}

echo "== fr_dunning_addon: installing the addon (its log must be free of warnings)"
odoo_run -i fr_dunning_addon --log-level=info >"$LOGDIR/install.log" 2>&1
rc=$?
if [ $rc != 0 ] || grep -E " (WARNING|ERROR|CRITICAL) " "$LOGDIR/install.log"; then
    echo "fr_dunning_addon: the install logged warnings or errors (full log: $LOGDIR/install.log)" >&2
    exit 1
fi

echo "== fr_dunning_addon: pytest"
"$PYTHON" -m pytest -p no:cacheprovider --odoo-database="$DB" --odoo-addons-path="$here" \
    --odoo-log-level=warn --odoo-http --odoo-extra=test-file=tests \
    --odoo-extra="db_host=127.0.0.1" --odoo-extra="db_port=$PGPORT" --odoo-extra="db_user=odoo" \
    tests "$@"
rc=$?
if [ $rc != 0 ]; then exit $rc; fi

# Several workers, one night: two Odoo servers with their cron threads and an
# accountant sending by hand, on a copy of the test database with a small
# dataset; every customer due must be chased exactly once.
echo "== fr_dunning_addon: two servers and an accountant on one night (bench/bench_workers.py)"
"$PYTHON" bench/bench_workers.py "${DB}_workers" --from "$DB" --drop --check "${ODOO_DB_ARGS[@]}" \
    --log-level=warn >"$LOGDIR/workers.log" 2>&1
rc=$?
grep -E "^(customers chased|duplicate events|customers chased by more|events with more than one|RESULT)" \
    "$LOGDIR/workers.log"
if [ $rc != 0 ]; then
    tail -n 40 "$LOGDIR/workers.log"
    echo "fr_dunning_addon: the night of several workers failed (log: $LOGDIR/workers.log)" >&2
    exit 1
fi

echo "== fr_dunning_addon: uninstalling the addon"
"$PYTHON" - "$DB" "${ODOO_DB_ARGS[@]}" --log-level=warn >"$LOGDIR/uninstall.log" 2>&1 <<'PY'
import sys
import odoo
from odoo import SUPERUSER_ID, api

odoo.tools.config.parse_config(["-d", sys.argv[1], *sys.argv[2:]])
registry = odoo.modules.registry.Registry(sys.argv[1])
with registry.cursor() as cr:
    env = api.Environment(cr, SUPERUSER_ID, {})
    env["ir.module.module"].search([("name", "=", "fr_dunning_addon")]).button_immediate_uninstall()
with odoo.modules.registry.Registry(sys.argv[1]).cursor() as cr:
    cr.execute("SELECT state FROM ir_module_module WHERE name = 'fr_dunning_addon'")
    state = cr.fetchone()[0]
    cr.execute("SELECT count(*) FROM information_schema.tables WHERE table_name LIKE 'fr_dunning%%'")
    left = cr.fetchone()[0]
    if state != "uninstalled" or left:
        sys.exit(f"uninstall left state={state}, {left} tables")
PY
rc=$?
if [ $rc != 0 ] || grep -E " (ERROR|CRITICAL) " "$LOGDIR/uninstall.log"; then
    tail -n 30 "$LOGDIR/uninstall.log"
    echo "fr_dunning_addon: uninstalling failed (log: $LOGDIR/uninstall.log)" >&2
    exit 1
fi
echo "fr_dunning_addon: uninstalled cleanly."
