#!/usr/bin/env bash
# The chaos suite as a soak: three worker processes on one Redis, batches streamed while they are
# restarted (SIGTERM), killed (SIGKILL), Redis paused and malformed entries written, round after
# round for the given duration (default 30m); it ends with the ledger and fails if a job is lost.
# Usage: sample-app/soak.sh [duration, e.g. 30m or 2h]
set -euo pipefail
cd "$(dirname "$0")/.."
duration="${1:-30m}"
mvn -B verify -Dit.test=ChaosProcessTests -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false \
	-Dfailsafe.failIfNoSpecifiedTests=false -Dchaos.duration="$duration"
grep -h '^Chaos:' sample-app/target/failsafe-reports/*ChaosProcessTests-output.txt
