#!/usr/bin/env bash
# make demo: a private PostgreSQL, a French demo database, Odoo on :8069.
set -euo pipefail
source "$(dirname "$0")/common.sh"
cd "$here"

"$PYTHON" scripts/check_odoo.py
DB=${FR_DUNNING_DEMO_DB:-fr_dunning_demo}
HTTP_PORT=${FR_DUNNING_HTTP_PORT:-8069}

scripts/pg.sh start
stop_pg() {
    trap - EXIT
    scripts/pg.sh stop
    echo "fr_dunning_addon: Odoo and PostgreSQL stopped."
}
trap stop_pg EXIT
# Ctrl-C reaches Odoo (in the foreground), which stops; then PostgreSQL stops.
trap 'true' INT TERM

if db_exists "$DB"; then
    echo "fr_dunning_addon: reusing database $DB (delete it with: make demo-reset)."
    "$PYTHON" -m odoo -d "$DB" "${ODOO_DB_ARGS[@]}" -u fr_dunning_addon --stop-after-init \
        --http-port="$(free_port)" --log-level=warn
else
    echo "fr_dunning_addon: creating database $DB (about two minutes)..."
    "$PYTHON" -m odoo -d "$DB" "${ODOO_DB_ARGS[@]}" -i l10n_fr_account,fr_dunning_addon,payment_demo \
        --without-demo=all --load-language=fr_FR --stop-after-init --http-port="$(free_port)" \
        --log-level=warn
    "$PYTHON" scripts/demo_populate.py "$DB" "${ODOO_DB_ARGS[@]}" --log-level=warn
fi

echo
echo "fr_dunning_addon demo: http://localhost:$HTTP_PORT  login: admin  password: admin"
echo "   Facturation > Clients > Relances (Comptabilité on Enterprise).  Ctrl-C stops Odoo and PostgreSQL."
echo
"$PYTHON" -m odoo -d "$DB" "${ODOO_DB_ARGS[@]}" --db-filter="^$DB\$" --http-port="$HTTP_PORT" \
    --log-level=warn || true
