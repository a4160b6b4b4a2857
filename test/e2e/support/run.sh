#!/bin/sh
# Runs the end-to-end suite. Where the machine allows it (root with unshare), everything runs in a
# fresh network namespace with only loopback up, so nothing can leave the machine whatever it tries;
# the in-process guards (network-guard.js, BrowserRequestGuard) still detect and fail on attempts.
set -eu
cd "$(dirname "$0")/../../.."
# A hard limit on the whole run (the suite's own waits are bounded too); every process the suite starts
# exits when jest does (support/lifeline.js).
LIMIT="${E2E_TIME_LIMIT_SECONDS:-600}"
# The suite starts the compiled bot and Graph emulator (lib/), as `npm start` does.
npm run build --silent
if [ "$(id -u)" = 0 ] && command -v unshare >/dev/null && command -v ip >/dev/null && unshare -n true 2>/dev/null; then
  exec unshare -n sh -c 'ip link set lo up && exec timeout -k 15 "$0" ./node_modules/.bin/jest -c jest.e2e.config.js "$@"' "$LIMIT" "$@"
fi
echo "test:e2e: no network namespace available here; relying on the in-process network guards only" >&2
exec timeout -k 15 "$LIMIT" ./node_modules/.bin/jest -c jest.e2e.config.js "$@"
