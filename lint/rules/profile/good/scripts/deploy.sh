#!/bin/sh
set -eu
export PREFECT_API_URL=https://prefect.example.com/api
prefect deploy --all
