#!/bin/sh
set -eu
export PREFECT_API_URL=http://prefect-server:4200/api
exec prefect worker start --pool docker-pool
