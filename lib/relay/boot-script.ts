/**
 * The relay's user data: a short bash bootstrap, rendered by a pure function so it can be shellchecked and read in
 * review. It holds no secret: addresses come from IMDSv2, and the TURN secrets go from Secrets Manager straight into
 * coturn's database (owned by coturn's user, mode 0600) through the secret sync (secret-sync.ts), which a timer
 * then repeats so rotations need no restart. It fails loudly (set -euo pipefail; any failed step stops the boot, so
 * the instance never serves with a partial config or without a secret) and idempotent: re-running it over SSM
 * converges to the same state, but it replaces the coturn container, which ends the live allocations on that relay.
 * What must survive a reboot is a systemd unit, not a one-off command: the host firewall (loaded before Docker can
 * start coturn, and Docker refuses to start without it), /run/coturn (tmpfs) and the secret sync timer.
 *
 * EC2 limits user data to 16 KB; the files it writes are gzipped blobs (test/relay/boot-script.test.ts checks the
 * size with worst-case CloudFormation values).
 */
import { gzipSync, gunzipSync } from 'node:zlib';
import { renderHostFirewall } from './host-firewall';
import { BOOT_PLACEHOLDERS, RELAY_PATHS } from './production-turn-options';
import { renderTurnConfig, secretsFromUserDb, type TurnConfigOptions } from './turn-config';
import type { RotationPolicy } from './secret-rotation';
import {
  MIN_RELAY_PICKUP_SECONDS,
  SECRET_SYNC_PATHS,
  SECRET_SYNC_UNIT,
  SYNC_INTERVAL_SECONDS,
  renderApplyTurnSecretsScript,
  renderSecretSyncUnits,
  renderSyncTurnSecretsScript,
} from './secret-sync';

export interface BootScriptOptions {
  /** The production options (placeholders for addresses and secrets). */
  readonly turn: TurnConfigOptions;
  /** ARN of the TURN secret document (a CDK token is fine). */
  readonly secretArn: string;
  /** coturn image in the account's ECR, by digest: `<registry>/<repo>@sha256:<64 hex>` (tokens allowed). */
  readonly coturnImage: string;
  /** Log group the CloudWatch agent ships coturn's log to. */
  readonly logGroupName: string;
  /** The deployment's name: the dimension of the relay's secret sync metric. */
  readonly deploymentName: string;
  /** Numeric uid coturn runs as; the host firewall matches it. */
  readonly coturnUid: number;
  readonly rotation: RotationPolicy;
}

const LOG_GROUP_PLACEHOLDER = '@LOG_GROUP_NAME@';

/** EC2's limit on user data, in bytes before base64 encoding. */
export const USER_DATA_LIMIT_BYTES = 16_384;

export const FIREWALL_UNIT = 'hipaa-rtc-relay-firewall';
const FIREWALL_RULES_FILE = '/etc/sysconfig/hipaa-rtc-relay.nft';

/**
 * A file the script writes verbatim, as `echo '<base64 of gzip>' | base64 -d | gunzip`. Refuses unresolved CDK
 * tokens, which would stay literal text inside the blob (CloudFormation cannot see into it).
 */
function blob(text: string): string {
  if (text.includes('${Token[')) throw new Error('boot script: a CDK token cannot go into a base64 blob');
  return `echo '${gzipSync(Buffer.from(text, 'utf8'), { level: 9 }).toString('base64')}' | base64 -d | gunzip`;
}

/** The files a rendered boot script writes, decoded (for review and tests). */
export function bootScriptBlobs(script: string): string[] {
  return [...script.matchAll(/echo '([A-Za-z0-9+/=]+)' \| base64 -d \| gunzip/g)].map((m) =>
    gunzipSync(Buffer.from(m[1], 'base64')).toString('utf8'),
  );
}

/** Loads the egress firewall at every boot, before Docker (which requires it, so coturn never runs without it). */
export function renderFirewallUnit(): string {
  return `[Unit]
Description=hipaa-rtc: egress firewall for the coturn user, loaded before Docker can start coturn
DefaultDependencies=no
Wants=network-pre.target
Before=network-pre.target docker.service

[Service]
Type=oneshot
RemainAfterExit=yes
ExecStart=/usr/sbin/nft -f ${FIREWALL_RULES_FILE}

[Install]
WantedBy=multi-user.target
RequiredBy=docker.service
`;
}

export function renderBootScript(o: BootScriptOptions): string {
  if (!Number.isInteger(o.coturnUid) || o.coturnUid < 1000) throw new Error('boot script coturnUid: must be >= 1000');
  if (!/^[a-z0-9-]{1,40}$/.test(o.deploymentName))
    throw new Error('boot script deploymentName: must be [a-z0-9-]{1,40}');
  if (!secretsFromUserDb(o.turn.secrets)) {
    throw new Error('boot script turn.secrets: relays read secrets from their database ({ fromUserDb: true })');
  }
  if (o.rotation.relayPickupSeconds < MIN_RELAY_PICKUP_SECONDS) {
    throw new Error(
      `boot script rotation.relayPickupSeconds: must be >= ${MIN_RELAY_PICKUP_SECONDS} (relays re-read the secret every ${SYNC_INTERVAL_SECONDS} s; two sync periods must fit)`,
    );
  }
  const conf = renderTurnConfig(o.turn);
  const sync = renderSyncTurnSecretsScript({
    realm: o.turn.realm,
    userDbFile: o.turn.userDbFile,
    overlapWindowSeconds: o.rotation.maxCredentialTtlSeconds + o.rotation.clockSkewSeconds,
    coturnUser: 'turnserver',
  });
  const units = renderSecretSyncUnits();
  const firewall = renderHostFirewall({ coturnUser: o.coturnUid, deniedPeerRanges: o.turn.deniedPeerRanges });
  const agent = JSON.stringify({
    logs: {
      logs_collected: {
        files: {
          collect_list: [
            // Filled in at boot: the name is a CloudFormation token here, and a token inside a base64 blob would
            // never be resolved (CloudFormation cannot see into it).
            { file_path: RELAY_PATHS.logFile, log_group_name: LOG_GROUP_PLACEHOLDER, log_stream_name: '{instance_id}' },
          ],
        },
      },
    },
  });
  return `#!/bin/bash
# hipaa-rtc relay bootstrap (rendered by lib/relay/boot-script.ts). Holds no secret; fails loudly; idempotent.
set -euo pipefail
umask 077
readonly SECRET_ARN='${o.secretArn}'
readonly IMAGE='${o.coturnImage}'
readonly COTURN_UID=${o.coturnUid}
readonly LOG_GROUP='${o.logGroupName}'
readonly DEPLOYMENT='${o.deploymentName}'

imds() {
  local token
  token="$(curl -fsS -m 5 -X PUT -H 'X-aws-ec2-metadata-token-ttl-seconds: 60' http://169.254.169.254/latest/api/token)"
  curl -fsS -m 5 -H "X-aws-ec2-metadata-token: \${token}" "http://169.254.169.254/latest/$1"
}
PRIVATE_IP="$(imds meta-data/local-ipv4)"
PUBLIC_IP="$(imds meta-data/public-ipv4)"
REGION="$(imds meta-data/placement/region)"

dnf install -y -q docker nftables jq sqlite amazon-cloudwatch-agent
id -u turnserver >/dev/null 2>&1 || useradd --system --uid "\${COTURN_UID}" --no-create-home --shell /sbin/nologin turnserver
install -d -m 0750 -o root -g turnserver /etc/coturn /etc/coturn/tls
install -d -m 0750 -o turnserver -g turnserver /var/log/coturn /var/lib/coturn
install -d -m 0700 /etc/hipaa-rtc
# /run is a tmpfs: the directory coturn writes its pid to is recreated at every boot.
echo 'd /run/coturn 0750 turnserver turnserver -' >/etc/tmpfiles.d/hipaa-rtc-coturn.conf
systemd-tmpfiles --create /etc/tmpfiles.d/hipaa-rtc-coturn.conf

# The egress firewall is in place before coturn ever runs, at this boot and every later one (Docker requires it).
${blob(firewall)} >${FIREWALL_RULES_FILE}
${blob(renderFirewallUnit())} >/etc/systemd/system/${FIREWALL_UNIT}.service
systemctl daemon-reload
systemctl enable ${FIREWALL_UNIT}.service
systemctl restart ${FIREWALL_UNIT}.service

# The load balancer re-encrypts to this listener and does not validate it; the key never leaves the instance.
if [[ ! -s ${RELAY_PATHS.keyFile} ]]; then
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 825 -subj "/CN=\${PRIVATE_IP}" \\
    -keyout ${RELAY_PATHS.keyFile} -out ${RELAY_PATHS.certFile} 2>/dev/null
fi
chgrp turnserver ${RELAY_PATHS.keyFile} ${RELAY_PATHS.certFile}
chmod 0640 ${RELAY_PATHS.keyFile} ${RELAY_PATHS.certFile}

${blob(conf)} |
  sed -e "s/${BOOT_PLACEHOLDERS.privateIp}/\${PRIVATE_IP}/g" -e "s/${BOOT_PLACEHOLDERS.publicIp}/\${PUBLIC_IP}/g" \\
    >${RELAY_PATHS.config}.new
chgrp turnserver ${RELAY_PATHS.config}.new
chmod 0640 ${RELAY_PATHS.config}.new
mv ${RELAY_PATHS.config}.new ${RELAY_PATHS.config}

# TURN secrets: coturn reads the accepted ones from its database on every authentication; the sync below writes them
# from Secrets Manager, and its timer repeats that every ${SYNC_INTERVAL_SECONDS} s, so a rotation needs no restart.
printf 'SECRET_ARN=%q\\nREGION=%q\\nDEPLOYMENT=%q\\n' "\${SECRET_ARN}" "\${REGION}" "\${DEPLOYMENT}" >${SECRET_SYNC_PATHS.envFile}
${blob(renderApplyTurnSecretsScript())} >${SECRET_SYNC_PATHS.applyScript}
${blob(sync)} >${SECRET_SYNC_PATHS.syncScript}
chmod 0755 ${SECRET_SYNC_PATHS.applyScript}
chmod 0700 ${SECRET_SYNC_PATHS.syncScript}
${blob(units.service)} >${SECRET_SYNC_PATHS.serviceUnit}
${blob(units.timer)} >${SECRET_SYNC_PATHS.timerUnit}
chmod 0644 /etc/systemd/system/${FIREWALL_UNIT}.service ${SECRET_SYNC_PATHS.serviceUnit} ${SECRET_SYNC_PATHS.timerUnit}
systemctl daemon-reload
# The first sync must succeed: a relay without a usable secret would only answer 401.
${SECRET_SYNC_PATHS.syncScript}

${blob(agent)} | sed -e "s|${LOG_GROUP_PLACEHOLDER}|\${LOG_GROUP}|" \\
  >/opt/aws/amazon-cloudwatch-agent/etc/hipaa-rtc-relay.json
/opt/aws/amazon-cloudwatch-agent/bin/amazon-cloudwatch-agent-ctl -a fetch-config -m ec2 -s \\
  -c file:/opt/aws/amazon-cloudwatch-agent/etc/hipaa-rtc-relay.json

# coturn from the account's ECR, by digest; host networking so it sees the real addresses; unprivileged, read-only.
systemctl enable --now docker
aws ecr get-login-password --region "\${REGION}" | docker login --username AWS --password-stdin "\${IMAGE%%/*}"
docker pull "\${IMAGE}"
docker rm -f coturn >/dev/null 2>&1 || true
docker run -d --name coturn --restart unless-stopped --network host --user "\${COTURN_UID}:\${COTURN_UID}" \\
  --read-only --cap-drop ALL --security-opt no-new-privileges \\
  -v /etc/coturn:/etc/coturn:ro -v /var/log/coturn:/var/log/coturn -v /var/lib/coturn:/var/lib/coturn \\
  -v /run/coturn:/run/coturn "\${IMAGE}" -c ${RELAY_PATHS.config}
systemctl enable --now ${SECRET_SYNC_UNIT}.timer
`;
}
