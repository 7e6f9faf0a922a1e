# fr_dunning_addon: see README.md
PYTHON ?= python3

.PHONY: demo demo-reset test lint wheel stop clean

demo:  ## Odoo on http://localhost:8069 with a French demo database
	PYTHON=$(PYTHON) scripts/demo.sh

demo-reset:  ## drop the demo database (the next `make demo` recreates it)
	scripts/pg.sh start && PYTHON=$(PYTHON) bash -c 'source scripts/common.sh && drop_db $${FR_DUNNING_DEMO_DB:-fr_dunning_demo}' && scripts/pg.sh stop

test:  ## the whole test suite on a throwaway database
	PYTHON=$(PYTHON) scripts/run_tests.sh $(ARGS)

lint:
	pre-commit run --all-files --show-diff-on-failure

wheel:  ## build the pip-installable addon into dist/
	$(PYTHON) -m pip wheel --no-deps -w dist ./fr_dunning_addon

stop:  ## stop the private PostgreSQL
	scripts/pg.sh stop

clean: stop
	rm -rf .local dist build
