/**
 * How a running relay picks up a rotated TURN secret without a restart: coturn reads the secrets it accepts from the
 * `turn_secret` table of its SQLite database on every authentication (turnserver.conf has `use-auth-secret` and no
 * `static-auth-secret` line, see turn-config.ts), and a systemd timer on the relay rewrites that table from the
 * Secrets Manager document every SYNC_INTERVAL_SECONDS. Live allocations are never touched: coturn keeps the key it
 * derived when a session authenticated (measured in test/relay/coturn-secret-pickup.test.ts).
 *
 * Rendered here as plain files the boot script installs, so they can be shellchecked and run by the tests:
 * - the apply script: document on stdin -> validated accepted secrets -> one SQLite transaction. It applies the rule
 *   of relayAcceptedSecrets (secret-rotation.ts) in jq, and a test checks both agree on every state. It fails
 *   closed: on a malformed or empty document it exits non-zero and leaves the table as it was, so the relay keeps the
 *   last good secrets. Secrets travel on stdin and through shell builtins only, never in a process's argv.
 * - the sync script: fetches the document as root (only root may reach the instance role's credentials; the host
 *   firewall blocks coturn's uid from the metadata service) and pipes it to the apply script running as coturn's user,
 *   which owns the database.
 * - the service and timer units.
 */

/** How often each relay re-reads the secret document. */
export const SYNC_INTERVAL_SECONDS = 60;

/** How far in the future a document's timestamps may lie (clock differences); later ones are refused. */
export const FUTURE_TOLERANCE_SECONDS = 600;

/** Upper bound on one sync run (the AWS CLI's timeouts plus SQLite's busy wait). */
export const SYNC_RUN_BOUND_SECONDS = 30;

/**
 * The shortest relayPickupSeconds the rotation may use: two full sync periods, so one failed or slow sync on a relay
 * does not leave it without a secret signaling already signs with.
 */
export const MIN_RELAY_PICKUP_SECONDS = 2 * (SYNC_INTERVAL_SECONDS + SYNC_RUN_BOUND_SECONDS);

export const SECRET_SYNC_PATHS = {
  applyScript: '/usr/local/sbin/hipaa-rtc-apply-turn-secrets',
  syncScript: '/usr/local/sbin/hipaa-rtc-sync-turn-secrets',
  /** SECRET_ARN, REGION and DEPLOYMENT, written by the boot script (CloudFormation resolves the ARN there). */
  envFile: '/etc/hipaa-rtc/relay.env',
  serviceUnit: '/etc/systemd/system/hipaa-rtc-turn-secrets.service',
  timerUnit: '/etc/systemd/system/hipaa-rtc-turn-secrets.timer',
} as const;

export const SECRET_SYNC_UNIT = 'hipaa-rtc-turn-secrets';

/**
 * Every sync run publishes 0 (in step) or 1 (failed) here, dimension Deployment, so a relay that keeps failing (and so
 * keeps old secrets, possibly missing one signaling already signs with) raises an alarm (relay-stack.ts).
 */
export const SECRET_SYNC_METRIC = { namespace: 'hipaa-rtc/relay', name: 'SecretSyncFailed' } as const;

export class SecretSyncError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SecretSyncError';
  }
}

const REALM = /^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$/;
const SAFE_PATH = /^\/[A-Za-z0-9._/-]+$/;
const USER = /^[a-z_][a-z0-9_-]*$/;

function check(field: string, ok: boolean, problem: string): void {
  if (!ok) throw new SecretSyncError(`secret sync ${field}: ${problem}`);
}

/**
 * The jq program: validates the document like validateState (secret-rotation.ts), then prints the accepted secrets
 * one per line, current first, like relayAcceptedSecrets. Stricter in one way: secrets must be alphanumeric (the
 * stack and the rotation function only generate such), so no secret can break out of a SQL literal.
 */
const ACCEPTED_SECRETS_JQ = [
  'def refuse(why): error("TURN secret document: " + why);',
  'def secret: type == "string" and test("^[A-Za-z0-9]{32,}$");',
  // A timestamp far in the future would keep `previous` accepted for ever.
  `def when: type == "number" and . >= 0 and . <= (now + ${FUTURE_TOLERANCE_SECONDS});`,
  // Exactly one document: two concatenated ones (or none, when the fetch failed) are refused.
  '[inputs] | if length != 1 then refuse("expected exactly one JSON document, got \\(length)") else .[0] end',
  '| if type != "object" then refuse("not a JSON object") else . end',
  '| if (.current | secret) then . else refuse("current must be an alphanumeric secret of 32+ characters") end',
  '| if .pending == null or (.pending | secret) then . else refuse("pending is malformed") end',
  '| if .previous == null or (.previous | secret) then . else refuse("previous is malformed") end',
  '| if .pending != null and .previous != null then refuse("pending and previous at once") else . end',
  '| if (.pending == null) != (.pendingSince == null) then refuse("pending and pendingSince must be set together") else . end',
  '| if (.previous == null) != (.promotedAt == null) then refuse("previous and promotedAt must be set together") else . end',
  '| if .pendingSince == null or (.pendingSince | when) then . else refuse("pendingSince must be unix seconds, not in the future") end',
  '| if .promotedAt == null or (.promotedAt | when) then . else refuse("promotedAt must be unix seconds, not in the future") end',
  '| ([.current, .pending, .previous] | map(select(. != null))) as $all',
  '| if ($all | unique | length) != ($all | length) then refuse("secrets in the document must differ") else . end',
  '| .current, (.pending // empty), (if .previous != null and now < (.promotedAt + $window) then .previous else empty end)',
].join('\n');

/** The apply script: `hipaa-rtc-apply-turn-secrets <userdb> <realm> <overlap-window-seconds> < document`. */
export function renderApplyTurnSecretsScript(): string {
  return `#!/bin/bash
# Replaces coturn's accepted TURN secrets (turn_secret rows of one realm) with those the secret document allows now.
# Rendered by lib/relay/secret-sync.ts. Usage: hipaa-rtc-apply-turn-secrets <userdb> <realm> <window-seconds> <doc
# Fails closed: any problem exits non-zero and leaves the table unchanged. Never prints a secret.
set -euo pipefail
umask 077
if (( $# != 3 )); then
  echo 'usage: hipaa-rtc-apply-turn-secrets <userdb> <realm> <overlap-window-seconds> < secret-document' >&2
  exit 2
fi
readonly DB="$1" REALM="$2" WINDOW="$3"
[[ "\${REALM}" =~ ^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$ ]] || { echo "realm '\${REALM}' is malformed" >&2; exit 2; }
[[ "\${WINDOW}" =~ ^[0-9]{1,9}$ ]] || { echo "overlap window '\${WINDOW}' is not a number of seconds" >&2; exit 2; }

read -r -d '' FILTER <<'JQ' || true
${ACCEPTED_SECRETS_JQ}
JQ
readonly FIX='the rotation function writes only valid documents: if the secret was edited by hand, move AWSCURRENT back to the last good version (aws secretsmanager update-secret-version-stage) and see docs/relay.md "Shared secret rotation"'
if ! out="$(jq -nr --argjson window "\${WINDOW}" "\${FILTER}")"; then
  echo "TURN secret document rejected (reason above); accepted secrets left unchanged. Fix: \${FIX}" >&2
  exit 1
fi
mapfile -t accepted <<<"\${out}"
unset out
if [[ -z "\${accepted[0]:-}" ]] || (( \${#accepted[@]} > 2 )); then
  echo "TURN secret document gave no usable secret; accepted secrets left unchanged. Fix: \${FIX}" >&2
  exit 1
fi

# Unchanged (the usual case, once a minute): no write at all, so coturn's readers never meet a lock.
wanted="$(printf '%s\\n' "\${accepted[@]}" | LC_ALL=C sort)"
if [[ -s "\${DB}" ]]; then
  stored="$(sqlite3 -bail -readonly "\${DB}" <<<".timeout 5000
SELECT value FROM turn_secret WHERE realm = '\${REALM}' ORDER BY value;" 2>/dev/null | LC_ALL=C sort)" || stored=''
  if [[ "\${stored}" == "\${wanted}" ]]; then
    unset stored wanted
    echo "turn secrets: \${#accepted[@]} accepted for realm \${REALM} (unchanged)"
    exit 0
  fi
fi
unset stored wanted

# One transaction: coturn sees the old set or the new one, never an empty table. WAL journaling lets coturn read while
# it commits (coturn's SQLite reader sets no busy timeout). printf is a builtin, so no secret appears in any process's
# arguments. The table definition is coturn's own.
{
  printf '.timeout 5000\\nPRAGMA journal_mode=WAL;\\nBEGIN IMMEDIATE;\\n'
  printf "CREATE TABLE IF NOT EXISTS turn_secret (realm varchar(127) default '', value varchar(256), primary key (realm,value));\\n"
  printf "DELETE FROM turn_secret WHERE realm = '%s';\\n" "\${REALM}"
  for s in "\${accepted[@]}"; do
    printf "INSERT INTO turn_secret (realm, value) VALUES ('%s', '%s');\\n" "\${REALM}" "\${s}"
  done
  printf 'COMMIT;\\n'
} | sqlite3 -bail "\${DB}" >/dev/null
echo "turn secrets: \${#accepted[@]} accepted for realm \${REALM}"
`;
}

export interface SyncScriptOptions {
  readonly realm: string;
  /** coturn's database (turnserver.conf `userdb`). */
  readonly userDbFile: string;
  /** maxCredentialTtlSeconds + clockSkewSeconds: how long `previous` stays accepted after promotion. */
  readonly overlapWindowSeconds: number;
  /** The user coturn runs as; it owns the database. */
  readonly coturnUser: string;
  /** Where the scripts and env file live; tests point these at a scratch directory. */
  readonly paths?: { readonly applyScript?: string; readonly envFile?: string };
}

/** The sync script the timer runs as root: fetch the document, hand it to the apply script as coturn's user. */
export function renderSyncTurnSecretsScript(o: SyncScriptOptions): string {
  const applyScript = o.paths?.applyScript ?? SECRET_SYNC_PATHS.applyScript;
  const envFile = o.paths?.envFile ?? SECRET_SYNC_PATHS.envFile;
  check('realm', REALM.test(o.realm), 'must be a lowercase DNS-style name');
  check('userDbFile', SAFE_PATH.test(o.userDbFile), 'must be an absolute path of [A-Za-z0-9._/-]');
  check('applyScript', SAFE_PATH.test(applyScript), 'must be an absolute path of [A-Za-z0-9._/-]');
  check('envFile', SAFE_PATH.test(envFile), 'must be an absolute path of [A-Za-z0-9._/-]');
  check('coturnUser', USER.test(o.coturnUser), 'must be a plain user name');
  check(
    'overlapWindowSeconds',
    Number.isInteger(o.overlapWindowSeconds) && o.overlapWindowSeconds > 0 && o.overlapWindowSeconds < 1e9,
    'must be a positive integer',
  );
  return `#!/bin/bash
# Syncs the TURN secret document from Secrets Manager into coturn's database (rendered by lib/relay/secret-sync.ts).
# Runs as root (only root may use the instance role); the database is written as ${o.coturnUser}. Never prints a secret.
# Publishes ${SECRET_SYNC_METRIC.name} (0 in step, 1 failed) so a relay stuck on old secrets raises an alarm.
set -euo pipefail
umask 077
# shellcheck source=/dev/null
. ${envFile}
: "\${SECRET_ARN:?missing in ${envFile}}" "\${REGION:?missing in ${envFile}}" "\${DEPLOYMENT:?missing in ${envFile}}"

publish() {
  aws cloudwatch put-metric-data --cli-connect-timeout 5 --cli-read-timeout 10 --region "\${REGION}" \\
    --namespace ${SECRET_SYNC_METRIC.namespace} --metric-name ${SECRET_SYNC_METRIC.name} \\
    --dimensions "Deployment=\${DEPLOYMENT}" --value "$1" || echo 'could not publish the sync metric' >&2
}

if aws secretsmanager get-secret-value --cli-connect-timeout 5 --cli-read-timeout 10 --region "\${REGION}" \\
  --secret-id "\${SECRET_ARN}" --version-stage AWSCURRENT --query SecretString --output text |
  runuser -u ${o.coturnUser} -- ${applyScript} ${o.userDbFile} ${o.realm} ${o.overlapWindowSeconds}; then
  publish 0
else
  status=$?
  publish 1
  exit "\${status}"
fi
`;
}

/** The oneshot service and the timer that runs it every SYNC_INTERVAL_SECONDS. */
export function renderSecretSyncUnits(): { service: string; timer: string } {
  return {
    service: `[Unit]
Description=hipaa-rtc: sync the accepted TURN secrets from Secrets Manager into coturn's database
Wants=network-online.target
After=network-online.target

[Service]
Type=oneshot
ExecStart=${SECRET_SYNC_PATHS.syncScript}
TimeoutStartSec=${SYNC_RUN_BOUND_SECONDS}
`,
    timer: `[Unit]
Description=hipaa-rtc: TURN secret sync every ${SYNC_INTERVAL_SECONDS} s

[Timer]
# At boot too: after a reboot coturn must not serve on a database that is a period old.
OnBootSec=0
OnActiveSec=${SYNC_INTERVAL_SECONDS}
OnUnitActiveSec=${SYNC_INTERVAL_SECONDS}
AccuracySec=5

[Install]
WantedBy=timers.target
`,
  };
}
