#!/usr/bin/env bash
# A rollout you can watch: starts a Redis and two sample instances, enqueues a batch of jobs,
# replaces each instance in turn (SIGTERM, drain, exit, start a new one) while the jobs run and the
# whole fleet is printed once a second from the fleet registry in Redis (no instance is asked), and
# ends with the ledger. Options: --jobs=500 --min-millis=200 --max-millis=500 --phase-timeout=10s
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -f sample-app/target/sample-app.jar ]; then
	mvn -q install -DskipTests
fi
exec java -cp sample-app/target/sample-app.jar \
	-Dloader.main=io.gracefulworker.sample.demo.RolloutDemo \
	org.springframework.boot.loader.launch.PropertiesLauncher "$@"
