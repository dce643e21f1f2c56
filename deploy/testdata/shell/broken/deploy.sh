#!/bin/sh
export PREFECT_API_URL=https://api.prefect.cloud/api/accounts/abc/workspaces/def
export PREFECT_LOGGING_LEVEL="INFO
prefect deploy --all
