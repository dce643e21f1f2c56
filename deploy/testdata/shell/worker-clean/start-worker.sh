#!/usr/bin/env bash
# Starts a Prefect worker on a VM: run by systemd as the prefect user, with
# PREFECT_API_KEY in the unit's environment file, never in this script.
set -euo pipefail

export PREFECT_HOME=/var/lib/prefect
API_HOST=prefect.internal.example.com
export PREFECT_API_URL="https://${API_HOST}/api"
export PREFECT_LOGGING_LEVEL=INFO
export PREFECT_WORKER_HEARTBEAT_SECONDS=30

pip install --quiet "prefect==3.4.22" prefect-docker
prefect config set PREFECT_API_REQUEST_TIMEOUT=120 PREFECT_RESULTS_PERSIST_BY_DEFAULT=true

POOL="${1:-vm-pool}"
exec prefect worker start --pool "$POOL" --type process --limit 4
