/**
 * Workstations for the work-package tests: each a real back end on its own data folder, with issue
 * 9's real keys (made with `key:create`, sealed under the person's password) and its own trust list.
 * Package exports and imports are jobs: these helpers start one, wait for it, and collect the outcome
 * (or the refusal) the way the UI does.
 */
import fs from 'node:fs';
import { createBackend, type Backend } from '../../electron/services/backend.js';
import type { PackageLimits } from '../../electron/services/packages/zip.js';
import type { ChannelInput } from '../../shared/contract/index.js';
import type { AppErrorShape } from '../../shared/core/errors.js';
import type { PackageImportResult } from '../../shared/packages/api.js';
import { stage, type client } from './backend.js';
import { RESOURCES_DIR, tempDir } from './temp.js';

type Client = ReturnType<typeof client>;

export interface Workstation {
  name: string;
  backend: Backend;
  dir: string;
  close(): void;
}

export function openWorkstation(name: string, options: { limits?: Partial<PackageLimits> } = {}): Workstation {
  const t = tempDir(`pingcha-${name}-`);
  const backend = createBackend({
    dataDir: t.dir,
    resourcesDir: RESOURCES_DIR,
    appVersion: '0.0.0-test',
    log: {
      info: () => undefined,
      error: (m, d) => process.stderr.write(`[${name}] ${m} ${d instanceof Error ? d.stack : JSON.stringify(d)}\n`),
    },
    ...(options.limits ? { packageLimits: options.limits } : {}),
  });
  return {
    name,
    backend,
    dir: t.dir,
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

type ExportChannel = 'package:exportOut' | 'package:exportReturn' | 'package:exportCampaign';

/** Runs an export job to its end and downloads the package. */
export async function exportPackage<C extends ExportChannel>(
  backend: Backend,
  c: Client,
  channel: C,
  input: ChannelInput<C>,
): Promise<Buffer> {
  const { jobId } = await c.call(channel, input);
  await backend.services.jobs.wait(jobId);
  const { export: made } = await c.call('package:jobResult', { jobId });
  // The screen says where the workstation keeps its copy: that file is the package that downloads.
  const bytes = await download(backend, made!.url);
  if (!made!.keptAt.startsWith(backend.layout.exports) || !fs.readFileSync(made!.keptAt).equals(bytes))
    throw new Error(`export ${made!.fileName}: the kept copy ${made!.keptAt} is not the package`);
  return bytes;
}

type ImportExtra = { dryRun?: boolean; reviewerPassword?: string; trustSigner?: string };

/** Starts an import job of uploaded bytes and waits for it; answers the job id. */
async function runImport(backend: Backend, c: Client, bytes: Uint8Array, extra: ImportExtra): Promise<string> {
  const sourceId = await stage(backend, c, 'package.pcpkg.zip', bytes);
  const { jobId } = await c.call('package:import', { sourceId, ...extra });
  await backend.services.jobs.wait(jobId);
  return jobId;
}

/** Uploads a package and imports it (optionally as a dry run). */
export async function importPackage(backend: Backend, c: Client, bytes: Uint8Array, extra: ImportExtra = {}): Promise<PackageImportResult> {
  const jobId = await runImport(backend, c, bytes, extra);
  return (await c.call('package:jobResult', { jobId })).import!;
}

/** Uploads a package expecting a refusal; answers the error. */
export async function refusePackage(backend: Backend, c: Client, bytes: Uint8Array, extra: ImportExtra = {}): Promise<AppErrorShape> {
  const jobId = await runImport(backend, c, bytes, extra);
  return c.fail('package:jobResult', { jobId });
}

/** A preview first: when the signer's key is new here, the fingerprint shown is the one confirmed (as a person would after comparing it). */
export async function importConfirming(
  backend: Backend,
  c: Client,
  bytes: Uint8Array,
  extra: Omit<ImportExtra, 'dryRun' | 'trustSigner'> = {},
): Promise<PackageImportResult> {
  const preview = await importPackage(backend, c, bytes, { ...extra, dryRun: true });
  return importPackage(backend, c, bytes, {
    ...extra,
    ...(preview.signer.trust === 'confirm' ? { trustSigner: preview.signer.fingerprint } : {}),
  });
}

/** Every row of every table (FTS shadow tables aside), to prove that a refusal changed nothing. */
export function everyRow(backend: Backend): Record<string, unknown[]> {
  const db = backend.db;
  const tables = (
    db
      .prepare(
        "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'page\\_text\\_%' ESCAPE '\\' ORDER BY name",
      )
      .all() as Array<{ name: string }>
  ).map((r) => r.name);
  return Object.fromEntries(tables.map((name) => [name, db.prepare(`SELECT * FROM "${name}"`).all()]));
}

export function rows(backend: Backend, sql: string, ...params: unknown[]): Array<Record<string, unknown>> {
  return backend.db.prepare(sql).all(...params) as Array<Record<string, unknown>>;
}
