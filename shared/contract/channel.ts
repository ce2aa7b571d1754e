/**
 * How a channel of the API is declared: its input and output schemas, who may call it, what it acts on
 * and what it changes. The dispatcher enforces roles, the file rule (a reviewer reaches only the files
 * assigned to them) and read-only copies from these declarations alone.
 */
import { z } from 'zod';
import type { Role } from '../people/roles.js';

/** Who may call a channel: anyone (before login), any logged-in user, or the listed roles. */
export type Access = 'public' | 'user' | readonly Role[];

/**
 * What a call acts on, named by one field of its input; the dispatcher resolves it to a campaign (and
 * a file where there is one) before the service runs.
 */
export const SCOPE_FIELDS = {
  none: null,
  campaign: 'campaignId',
  /** A campaign, narrowed to one of its files when the input also names a `caseId`. */
  campaignOrFile: 'campaignId',
  case: 'caseId',
  document: 'documentId',
  sheet: 'sheetId',
  letter: 'letterId',
  ledgerRow: 'rowId',
  ledgerEvidence: 'evidenceId',
  importBatch: 'batchId',
  packageConflict: 'conflictId',
} as const;
export type Scope = keyof typeof SCOPE_FIELDS;

/**
 * What a call changes: nothing; `structure`, what the campaign's own workstation manages (set-up,
 * files, panel, draws, assignments, the panel's reconciliation, meeting, letters, ledger); `scoring`,
 * a reviewer's own sheets and marks; or `workstation`, this PC's own records (accounts, the standards
 * library, keys, trust). A campaign carried to a reviewer's laptop only scores there; a reported copy
 * only reads.
 */
export const WRITES = ['none', 'structure', 'scoring', 'workstation'] as const;
export type Writes = (typeof WRITES)[number];

export interface ChannelSpec<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  input: I;
  output: O;
  access: Access;
  scope: Scope;
  writes: Writes;
}

export const channel = <I extends z.ZodType, O extends z.ZodType>(spec: ChannelSpec<I, O>): ChannelSpec<I, O> => spec;

export const Empty = z.strictObject({});
export const Ok = z.object({ ok: z.literal(true) });
export const id = (label: string) => z.string().min(1, `缺少${label}`).max(100);

/** A URL the UI may fetch bytes from (document, download, upload); minted per user, short-lived. */
export const ByteUrl = z.string().startsWith('/');
export const IsoDay = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 年-月-日');

/** The password that opens a person's signing key (their login password). */
export const KeyPassword = z.string().min(1, '请输入您的登录密码（用于解开签名密钥）').max(128);
export const JobStarted = z.object({ jobId: z.string() });
