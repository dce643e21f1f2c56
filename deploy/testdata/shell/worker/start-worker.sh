#!/usr/bin/env bash
# Starts a Prefect worker on a VM: run by systemd as the prefect user.
set -euo pipefail

PREFECT_HOME=/var/lib/prefect
API_HOST=localhost
export PREFECT_API_URL="http://${API_HOST}:4200/api"
export PREFECT_API_KEY=pnu_abcdefghijklmnopqrstuvwxyz0123456789
PREFECT_LOGGING_LEVEL=DEBUG   # never exported: the worker does not see it
export PREFECT_WORKER_HEARTBEAT_SECONDS PREFECT_WORKER_HEARTBEAT_SECONDS=30

pip install --quiet "prefect==3.4.22" prefect-docker
prefect config set PREFECT_API_REQUEST_TIMEOUT=120 PREFECT_RESULTS_PERSIST_BY_DEFAULT=ture

POOL="${1:-vm-pool}"
exec prefect worker start --pool "$POOL" --type process --limit 4
