#!/usr/bin/env bash
# The benchmarks: a database with the generated dataset (made once, then
# reused), then the penalty engine's benchmark.
#   bench/run.sh [INVOICES [CUSTOMERS]]   (default 100000 invoices, 20000 customers)
set -euo pipefail
source "$(dirname "$0")/../scripts/common.sh"
cd "$here"
"$PYTHON" scripts/check_odoo.py
INVOICES=${1:-100000}
CUSTOMERS=${2:-20000}
DB=${FR_DUNNING_BENCH_DB:-fr_dunning_bench_$INVOICES}
started_pg=0
scripts/pg.sh status || { scripts/pg.sh start; started_pg=1; }
trap '[ "$started_pg" = 1 ] && scripts/pg.sh stop' EXIT

has_dataset() {
    "$PYTHON" - "$DB" <<PY
import sys, psycopg2
conn = psycopg2.connect(host="127.0.0.1", port=$PGPORT, user="odoo", dbname=sys.argv[1])
cur = conn.cursor()
cur.execute("SELECT 1 FROM account_move WHERE name LIKE 'BENCH/%' LIMIT 1")
sys.exit(0 if cur.fetchone() else 1)
PY
}
if db_exists "$DB" && ! has_dataset; then
    drop_db "$DB"
fi
if ! db_exists "$DB"; then
    echo "== bench: database $DB"
    "$PYTHON" -m odoo -d "$DB" "${ODOO_DB_ARGS[@]}" -i l10n_fr_account --without-demo=all --stop-after-init \
        --http-port="$(free_port)" --log-level=warn
    "$PYTHON" scripts/test_db_prepare.py "$DB" "${ODOO_DB_ARGS[@]}" --log-level=warn
    "$PYTHON" -m odoo -d "$DB" "${ODOO_DB_ARGS[@]}" -i fr_dunning_addon --stop-after-init \
        --http-port="$(free_port)" --log-level=warn
    echo "== bench: generating $INVOICES invoices for $CUSTOMERS customers"
    "$PYTHON" - "$DB" "$INVOICES" "$CUSTOMERS" "${ODOO_DB_ARGS[@]}" --log-level=warn <<'PY'
import sys
from datetime import date
import odoo
from odoo import SUPERUSER_ID, api
db, invoices, customers = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
odoo.tools.config.parse_config(["-d", db, *sys.argv[4:]])
sys.path.insert(0, "bench")
from dataset import generate
with odoo.modules.registry.Registry(db).cursor() as cr:
    env = api.Environment(cr, SUPERUSER_ID, {})
    print(generate(env, invoices=invoices, customers=customers, as_of=date(2026, 6, 30)))
PY
else
    "$PYTHON" -m odoo -d "$DB" "${ODOO_DB_ARGS[@]}" -u fr_dunning_addon --stop-after-init \
        --http-port="$(free_port)" --log-level=warn
fi
"$PYTHON" bench/bench_penalties.py "$DB" "${ODOO_DB_ARGS[@]}" --log-level=warn
