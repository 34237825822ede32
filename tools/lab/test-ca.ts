/**
 * A throw-away certificate authority for `turns:` in one test run: a CA, a server certificate for the relay's name
 * (the TURN URLs' host, which the load-balancer stand-in's TLS listener presents) or IP (the demo),
 * and an NSS database in a private $HOME that trusts the CA, so Chromium verifies the relay's certificate for real
 * (never --ignore-certificate-errors).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { run } from './run';

export interface TestCa {
  readonly dir: string;
  readonly caFile: string;
  readonly certFile: string;
  readonly keyFile: string;
  /** A $HOME for Chromium whose NSS database trusts the CA. */
  readonly home: string;
  remove(): void;
}

export function createTestCa(server: string): TestCa {
  const san = /^[\d.]+$/.test(server) ? `IP:${server}` : `DNS:${server}`;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hipaa-rtc-ca-'));
  const file = (name: string) => path.join(dir, name);
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  run('openssl', [
    'req',
    '-x509',
    ...ec,
    '-days',
    '1',
    '-subj',
    '/CN=hipaa-rtc e2e test CA',
    '-keyout',
    file('ca.key'),
    '-out',
    file('ca.pem'),
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
  ]);
  run('openssl', ['req', ...ec, '-subj', `/CN=${server}`, '-keyout', file('key.pem'), '-out', file('server.csr')]);
  fs.writeFileSync(
    file('server.ext'),
    `subjectAltName=${san}\nextendedKeyUsage=serverAuth\nbasicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\n`,
  );
  run('openssl', [
    'x509',
    '-req',
    '-in',
    file('server.csr'),
    '-CA',
    file('ca.pem'),
    '-CAkey',
    file('ca.key'),
    '-CAcreateserial',
    '-days',
    '1',
    '-extfile',
    file('server.ext'),
    '-out',
    file('cert.pem'),
  ]);
  const home = path.join(dir, 'home');
  const nssdb = path.join(home, '.pki', 'nssdb');
  fs.mkdirSync(nssdb, { recursive: true });
  run('certutil', ['-N', '-d', `sql:${nssdb}`, '--empty-password']);
  run('certutil', ['-A', '-d', `sql:${nssdb}`, '-n', 'hipaa-rtc-e2e-ca', '-t', 'C,,', '-i', file('ca.pem')]);
  return {
    dir,
    caFile: file('ca.pem'),
    certFile: file('cert.pem'),
    keyFile: file('key.pem'),
    home,
    remove: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}
