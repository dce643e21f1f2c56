#!/bin/sh
set -eu
prefect profile use production
prefect deploy --all
