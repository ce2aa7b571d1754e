/**
 * The signing domain assembled: keys, trust list, register, verifier, seal image. Other services take
 * what they need from here: issuing letters; work packages use `manifests`
 * (manifests.ts: `sign` with a person's password, `check` against the trust list, file by file).
 */
import type { Staging } from '../core/bytes.js';
import type { Db } from '../core/db/database.js';
import type { Handlers } from '../core/dispatcher.js';
import type { ExportsService } from '../core/downloads.js';
import path from 'node:path';
import { PdfRenditions, RENDITION_FONT_FILE } from '../letters/index.js';
import type { BlobStore } from '../core/blob-store.js';
import type { PasswordThrottle } from '../people/index.js';
import { DocumentIssuer } from './issuer.js';
import { KeysService } from './keys.js';
import { ManifestSigning } from './manifests.js';
import { Register } from './register.js';
import { SealImages } from './seal.js';
import { SigningService } from './signing-service.js';
import { TrustList } from './trust.js';
import { Verifier } from './verifier.js';

export interface Signing {
  keys: KeysService;
  trust: TrustList;
  register: Register;
  verifier: Verifier;
  seal: SealImages;
  service: SigningService;
  issuer: DocumentIssuer;
  /** Sign and check manifests of packages that travel between workstations. */
  manifests: ManifestSigning;
  renditions: PdfRenditions;
  handlers(
    staging: Staging,
  ): Pick<
    Handlers,
    | 'key:mine'
    | 'key:create'
    | 'key:exportIdentity'
    | 'key:exportBackup'
    | 'key:restore'
    | 'trust:list'
    | 'trust:import'
    | 'trust:accept'
    | 'trust:revoke'
    | 'seal:status'
    | 'seal:upload'
    | 'seal:remove'
    | 'register:list'
    | 'register:download'
    | 'verify:file'
    | 'verify:text'
  >;
}

export function createSigning(deps: {
  db: Db;
  store: BlobStore;
  exportsService: ExportsService;
  resourcesDir: string;
  producer: string;
  throttle: PasswordThrottle;
}): Signing {
  const trust = new TrustList(deps.db);
  const register = new Register(deps.db);
  const verifier = new Verifier(register, trust.lookup);
  const keys = new KeysService(deps.db, trust, deps.exportsService, deps.throttle);
  const seal = new SealImages(deps.db, deps.store);
  const service = new SigningService(deps.db, register, verifier, deps.store, deps.exportsService);
  const issuer = new DocumentIssuer(deps.db, keys, trust, register, seal, deps.store);
  const renditions = new PdfRenditions(path.join(deps.resourcesDir, RENDITION_FONT_FILE), deps.producer);
  return {
    keys,
    trust,
    register,
    verifier,
    seal,
    service,
    issuer,
    manifests: new ManifestSigning(keys, trust),
    renditions,
    handlers: (staging) => ({
      ...keys.handlers(staging),
      ...trust.handlers(staging),
      ...seal.handlers(staging),
      ...service.handlers(staging),
    }),
  };
}

// What the other features use from here.
export { checkIdentity } from './identity.js';
export { ManifestSigning } from './manifests.js';
export type { ManifestCheck, ManifestEntry } from './manifests.js';
export { manifestSm3 } from './signer.js';
export type { Signer } from './signer.js';
