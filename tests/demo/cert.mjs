// A self-signed certificate for `www.nuget.org`, so browsers can reach the demo
// under nuget.org's real origin (and KeyScope's real manifest match pattern).
// Generated once with openssl and reused; `spki` is what Chromium's
// `--ignore-certificate-errors-spki-list` wants (Chrome only saves passwords for
// pages without certificate errors, so tests trust this key instead of ignoring errors).
import { execFileSync } from 'node:child_process';
import { createHash, createPublicKey } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const DEMO_DIR = dirname(fileURLToPath(import.meta.url));

export function ensureCert(dir = join(DEMO_DIR, '.cert')) {
  const certPath = join(dir, 'www.nuget.org.crt');
  const keyPath = join(dir, 'www.nuget.org.key');
  if (!existsSync(certPath) || !existsSync(keyPath)) {
    // Written under temporary names and renamed, so parallel test processes
    // never read a half-written pair.
    mkdirSync(dir, { recursive: true });
    const tmp = `.tmp-${process.pid}-${Date.now()}`;
    execFileSync('openssl', [
      'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-sha256', '-days', '3650',
      '-keyout', keyPath + tmp, '-out', certPath + tmp,
      '-subj', '/CN=www.nuget.org',
      '-addext', 'subjectAltName=DNS:www.nuget.org',
    ], { stdio: 'ignore' });
    renameSync(keyPath + tmp, keyPath);
    renameSync(certPath + tmp, certPath);
  }
  return { certPath, keyPath, spki: spkiHash(readFileSync(certPath, 'utf8')) };
}

/** base64(sha256(DER SubjectPublicKeyInfo)) of a PEM certificate. */
export function spkiHash(certPem) {
  const der = createPublicKey(certPem).export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(der).digest('base64');
}
