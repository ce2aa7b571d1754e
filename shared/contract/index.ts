/**
 * THE API. Every call the UI can make is a channel ('domain:verb' → input and output schemas, who may
 * call it, what it acts on and what it changes), declared in its feature's `channels.ts` and merged
 * here; every notification the back end pushes is an event here. The dispatcher validates against
 * these schemas and enforces the declarations, the Electron preload allows exactly these names, and
 * the renderer's client is typed from them. Nothing else crosses the boundary.
 */
import { z } from 'zod';
import { annotationsChannels } from '../annotations/channels.js';
import { auditChannels } from '../audit/channels.js';
import { backupChannels } from '../backup/channels.js';
import { campaignsChannels } from '../campaigns/channels.js';
import type { AppErrorShape } from '../core/errors.js';
import { coreChannels } from '../core/channels.js';
import { dossiersChannels } from '../dossiers/channels.js';
import { importChannels } from '../import/channels.js';
import { ledgerChannels } from '../ledger/channels.js';
import { lettersChannels } from '../letters/channels.js';
import { meetingChannels } from '../meeting/channels.js';
import { ocrChannels } from '../ocr/channels.js';
import { packagesChannels } from '../packages/channels.js';
import { panelChannels } from '../panel/channels.js';
import { peopleChannels } from '../people/channels.js';
import { precheckChannels } from '../precheck/channels.js';
import { scoringChannels } from '../scoring/channels.js';
import { signingChannels } from '../signing/channels.js';
import { standardsChannels } from '../standards/channels.js';
import type { ChannelSpec } from './channel.js';

export { SCOPE_FIELDS, WRITES, type Access, type ChannelSpec, type Scope, type Writes } from './channel.js';
export { StandardSavedSchema, StandardSummarySchema } from '../standards/schemas.js';
export { SheetViewSchema, StartedSheetViewSchema, type StartedSheetView } from '../scoring/schemas.js';

const FEATURE_CHANNELS = [
  coreChannels,
  peopleChannels,
  campaignsChannels,
  dossiersChannels,
  importChannels,
  annotationsChannels,
  standardsChannels,
  scoringChannels,
  panelChannels,
  meetingChannels,
  lettersChannels,
  ledgerChannels,
  signingChannels,
  packagesChannels,
  ocrChannels,
  precheckChannels,
  auditChannels,
  backupChannels,
] as const;

type Merged<T extends readonly object[]> = T extends readonly [infer Head, ...infer Rest extends readonly object[]]
  ? Head & Merged<Rest>
  : unknown;

/** One table of every channel; a name declared by two features is a programming error caught at start. */
export function mergeChannels<T extends readonly Record<string, ChannelSpec>[]>(parts: T): Merged<T> {
  const merged: Record<string, ChannelSpec> = {};
  for (const part of parts) {
    for (const [name, spec] of Object.entries(part)) {
      if (Object.prototype.hasOwnProperty.call(merged, name)) throw new Error(`channel ${name} is declared twice`);
      merged[name] = spec;
    }
  }
  return merged as Merged<T>;
}

export const contract = mergeChannels(FEATURE_CHANNELS);

export type Contract = typeof contract;
export type Channel = keyof Contract;
export type ChannelInput<C extends Channel> = z.input<Contract[C]['input']>;
export type ParsedInput<C extends Channel> = z.output<Contract[C]['input']>;
export type ChannelOutput<C extends Channel> = z.output<Contract[C]['output']>;

export type Result<T> = { ok: true; value: T } | { ok: false; error: AppErrorShape };

export const CHANNELS = Object.keys(contract) as Channel[];
export function isChannel(name: unknown): name is Channel {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(contract, name);
}

// ── events pushed from the back end ──────────────────────────────────────────────────────────
// Events say THAT something changed, never carry another person's data: a window that cares asks
// again through a channel, where access rules apply.

export const events = {
  'data:changed': z.object({
    entity: z.enum(['campaign', 'case', 'document', 'annotation', 'sheet', 'standard', 'user', 'letter', 'ledger']),
    id: z.string().optional(),
    campaignId: z.string().optional(),
  }),
  'job:progress': z.object({
    jobId: z.string(),
    kind: z.string(),
    done: z.number(),
    total: z.number(),
    message: z.string(),
    finished: z.boolean(),
    // The job runner: what a progress bar shows besides done/total.
    status: z.enum(['running', 'done', 'cancelled', 'failed']).optional(),
    pages: z.number().optional(),
    bytesDone: z.number().optional(),
    bytesTotal: z.number().optional(),
    etaSeconds: z.number().nullable().optional(),
  }),
  // ── people, panel, draw, assignment, meeting ──
  /** The meeting agenda of a campaign moved or changed: following windows ask `meeting:view` again. */
  'meeting:changed': z.object({ campaignId: z.string(), revision: z.number().int() }),
} as const;

export type Events = typeof events;
export type EventName = keyof Events;
export type EventPayload<E extends EventName> = z.output<Events[E]>;
export const EVENT_NAMES = Object.keys(events) as EventName[];
export function isEventName(name: unknown): name is EventName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(events, name);
}
