# Shared settings of the scripts: sourced, not run.
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PYTHON=${PYTHON:-python3}
PGPORT=${FR_DUNNING_PGPORT:-54329}
# Odoo connects to the private cluster of scripts/pg.sh over TCP.
ODOO_DB_ARGS=(--db_host=127.0.0.1 "--db_port=$PGPORT" --db_user=odoo --addons-path="$here")

free_port() {
    "$PYTHON" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

db_exists() {
    "$PYTHON" - "$1" <<PY
import sys, psycopg2
conn = psycopg2.connect(host="127.0.0.1", port=$PGPORT, user="odoo", dbname="postgres")
cur = conn.cursor()
cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", (sys.argv[1],))
sys.exit(0 if cur.fetchone() else 1)
PY
}

drop_db() {
    "$PYTHON" - "$1" <<PY
import sys, psycopg2
conn = psycopg2.connect(host="127.0.0.1", port=$PGPORT, user="odoo", dbname="postgres")
conn.autocommit = True
conn.cursor().execute('DROP DATABASE IF EXISTS "%s" WITH (FORCE)' % sys.argv[1].replace('"', ''))
PY
}
