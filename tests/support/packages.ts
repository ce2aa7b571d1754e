/**
 * Workstations for the work-package tests: each a real back end on its own data folder, with real
 * SM2 keys (sm-crypto, the GB/T 32918 default user id) behind the packages' signing seam and a trust
 * list of its own — what issue 9's KeysService and TrustList provide once they are wired.
 */
import smCrypto from 'sm-crypto';
import { createBackend, type Backend } from '../../electron/services/backend.js';
import type { PackageSigner, PackageSigning, PackageTrustRecord } from '../../electron/services/packages/signature.js';
import { SM2_USER_ID, sm3Hex } from '../../electron/services/packages/signature.js';
import type { PackageLimits } from '../../electron/services/packages/zip.js';
import type { AppErrorShape } from '../../shared/errors.js';
import { stage, type client } from './backend.js';
import { RESOURCES_DIR, tempDir } from './temp.js';

type Client = ReturnType<typeof client>;

export interface TestKey {
  publicKey: string;
  privateKey: string;
  fingerprint: string;
}

export function makeKey(): TestKey {
  const sm2 = smCrypto.sm2 as typeof smCrypto.sm2 & { getPublicKeyFromPrivateKey(k: string): string };
  const privateKey = sm2.generateKeyPairHex().privateKey.padStart(64, '0');
  const publicKey = sm2.getPublicKeyFromPrivateKey(privateKey);
  return { privateKey, publicKey, fingerprint: sm3Hex(Buffer.from(publicKey, 'hex')) };
}

/** Every person's key, by user id (the same id on every workstation a package reaches). */
export class KeyRing {
  readonly keys = new Map<string, { key: TestKey; name: string; username: string }>();
  add(userId: string, name: string, username: string): TestKey {
    const key = makeKey();
    this.keys.set(userId, { key, name, username });
    return key;
  }
  signer(userId: string): PackageSigner | null {
    const k = this.keys.get(userId);
    if (!k) return null;
    return {
      fingerprint: k.key.fingerprint,
      publicKey: k.key.publicKey,
      name: k.name,
      unit: '',
      sign: (message) => smCrypto.sm2.doSignature(Array.from(message), k.key.privateKey, { hash: true, der: true, publicKey: k.key.publicKey, userId: SM2_USER_ID }),
    };
  }
}

/** A workstation's trust list: fingerprints it accepts (or has revoked). */
export class TrustList {
  readonly records = new Map<string, PackageTrustRecord>();
  trust(ring: KeyRing, userId: string, status: PackageTrustRecord['status'] = 'trusted'): void {
    const k = ring.keys.get(userId)!;
    this.records.set(k.key.fingerprint, { publicKey: k.key.publicKey, name: k.name, status, username: k.username });
  }
  forget(ring: KeyRing, userId: string): void {
    this.records.delete(ring.keys.get(userId)!.key.fingerprint);
  }
}

export interface Workstation {
  name: string;
  backend: Backend;
  dir: string;
  trust: TrustList;
  close(): void;
}

export function openWorkstation(name: string, ring: KeyRing, options: { limits?: Partial<PackageLimits>; signed?: boolean } = {}): Workstation {
  const t = tempDir(`pingcha-${name}-`);
  const trust = new TrustList();
  const signing: PackageSigning = {
    signerFor: async (userId) => ring.signer(userId),
    trust: (fingerprint) => trust.records.get(fingerprint) ?? null,
  };
  const backend = createBackend({
    dataDir: t.dir,
    resourcesDir: RESOURCES_DIR,
    appVersion: '0.0.0-test',
    log: { info: () => undefined, error: (m, d) => process.stderr.write(`[${name}] ${m} ${d instanceof Error ? d.stack : JSON.stringify(d)}\n`) },
    ...(options.signed === false ? {} : { packageSigning: signing }),
    ...(options.limits ? { packageLimits: options.limits } : {}),
  });
  return {
    name,
    backend,
    dir: t.dir,
    trust,
    close: () => {
      backend.close();
      t.cleanup();
    },
  };
}

/** The bytes behind a download URL, fetched the way the UI does. */
export async function download(backend: Backend, url: string): Promise<Buffer> {
  const response = await backend.handleBytes(new Request(`http://127.0.0.1${url}`));
  if (!response || response.status !== 200) throw new Error(`download ${url}: ${response?.status}`);
  return Buffer.from(await response.arrayBuffer());
}

/** Uploads a package and imports it (optionally as a dry run). */
export async function importPackage(backend: Backend, c: Client, bytes: Uint8Array, extra: { dryRun?: boolean; reviewerPassword?: string } = {}) {
  const sourceId = await stage(backend, c, 'package.pcpkg.zip', bytes);
  return c.call('package:import', { sourceId, ...extra });
}

/** Uploads a package expecting a refusal; answers the error. */
export async function refusePackage(backend: Backend, c: Client, bytes: Uint8Array, extra: { reviewerPassword?: string } = {}): Promise<AppErrorShape> {
  const sourceId = await stage(backend, c, 'package.pcpkg.zip', bytes);
  return c.fail('package:import', { sourceId, ...extra });
}

/** Every row of every table (FTS shadow tables aside), to prove that a refusal changed nothing. */
export function everyRow(backend: Backend): Record<string, unknown[]> {
  const db = backend.db;
  const tables = (db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'page_text_%' ORDER BY name").all() as Array<{ name: string }>).map((r) => r.name);
  return Object.fromEntries(tables.map((name) => [name, db.prepare(`SELECT * FROM "${name}"`).all()]));
}

export function rows(backend: Backend, sql: string, ...params: unknown[]): Array<Record<string, unknown>> {
  return backend.db.prepare(sql).all(...params) as Array<Record<string, unknown>>;
}
