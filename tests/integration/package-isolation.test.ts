/**
 * A package from a USB stick is trusted for its own campaign and nothing else. The city's workstation
 * holds campaign P (a report received from the county); the county's key is trusted there. Hostile
 * packages for a new campaign Z, each re-signed with that trusted key, aim one row of every carried
 * table at P's records (same ids, P's cases, documents and sheets, P's campaign, the city's own
 * accounts): each is refused with its stable reason and the city's database is byte-identical after.
 * Zips that are not packages, or whose signed list does not hold, write at most their own small
 * header entries to staging before they are refused.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import JSZip from 'jszip';
import yazl from 'yazl';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditRowsSm3 } from '../../electron/services/packages/signature.js';
import { CARRIED_TABLES, carriedColumns, type TableName } from '../../electron/services/packages/tables.js';
import { ManifestSigning } from '../../electron/services/signing/manifests.js';
import { sm3Hex } from '../../electron/services/signing/sm2.js';
import type { SignedManifest } from '../../shared/signing/manifest.js';
import { setupAdmin, stage } from '../support/backend.js';
import {
  everyRow,
  exportPackage,
  importConfirming,
  importPackage,
  openWorkstation,
  refusePackage,
  rows,
  type Workstation,
} from '../support/packages.js';
import { importCase, PANEL_PASSWORD, score, setupPanel, type Client, type Panel } from '../support/review-setup.js';

let county!: Workstation;
let city!: Workstation;
let p!: Panel;
let admin!: Client;
let reportOfP!: Buffer;
/** Campaign P's package turned into a clean package of a new campaign Z (every id new), re-signed. */
let cleanZ!: Buffer;
const zId = randomUUID();

type Payloads = {
  manifest: Record<string, unknown>;
  campaign: Record<string, unknown>;
  work: Record<string, unknown>;
  audit: { entries: Array<Record<string, unknown>> };
};

/** Edits a package's JSON entries and signs the result again with the county lead's key (trusted on the city's PC). */
async function resign(
  bytes: Buffer,
  edit: (d: Payloads) => void,
  rewriteText: (text: string) => string = (t) => t,
  declareAudit = true,
): Promise<Buffer> {
  const zip = await JSZip.loadAsync(bytes);
  const names = { manifest: 'manifest.json', campaign: 'data/campaign.json', work: 'data/work.json', audit: 'data/audit.json' } as const;
  const d = {} as Payloads;
  for (const [key, name] of Object.entries(names))
    (d as Record<string, unknown>)[key] = JSON.parse(rewriteText(await zip.file(name)!.async('string')));
  edit(d);
  // As the exporter does: the signed manifest declares the audit rows carried (unless a test forges that).
  if (declareAudit) d.manifest.audit = { count: d.audit.entries.length, sm3: auditRowsSm3(d.audit.entries) };
  for (const [key, name] of Object.entries(names)) zip.file(name, JSON.stringify((d as Record<string, unknown>)[key]));
  const body = (JSON.parse(await zip.file('signature.json')!.async('string')) as SignedManifest).manifest;
  const files = await Promise.all(
    body.files.map(async (f) => {
      const content = await zip.file(f.name)!.async('uint8array');
      return { role: f.role, name: f.name, mediaType: f.mediaType, sm3: sm3Hex(content), size: content.length };
    }),
  );
  const signed = await county.backend.services.signing.manifests.sign(
    { kind: body.kind, id: String(d.manifest.packageId), subject: body.subject, files },
    { userId: p.users.lead!.id, password: PANEL_PASSWORD },
  );
  zip.file('signature.json', ManifestSigning.toBytes(signed));
  return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE', platform: 'UNIX' });
}

/** The columns a package carries of one row of campaign P on the city's PC (or null when P has none). */
function rowOfP(table: TableName): Record<string, unknown> | null {
  const cols = Object.keys(carriedColumns(city.backend.db, table))
    .map((c) => `"${c}"`)
    .join(', ');
  const cases = 'SELECT id FROM cases WHERE campaign_id = @c';
  const docs = `SELECT id FROM documents WHERE case_id IN (${cases})`;
  const where: Partial<Record<TableName, string>> = {
    campaigns: 'id = @c',
    users: "username = 'admin'",
    documents: `case_id IN (${cases})`,
    page_texts: `document_id IN (${docs})`,
    sheets: `case_id IN (${cases})`,
    sheet_answers: `sheet_id IN (SELECT id FROM sheets WHERE case_id IN (${cases}))`,
    annotations: `document_id IN (${docs})`,
    case_reviews: `case_id IN (${cases})`,
    drawn_cases: `case_id IN (${cases})`,
    case_review_answers: `case_id IN (${cases})`,
    ledger_manual_evidence: 'manual_item_id IN (SELECT id FROM ledger_manual_items WHERE campaign_id = @c)',
  };
  return (
    (city.backend.db
      .prepare(`SELECT ${cols} FROM ${table} WHERE ${where[table] ?? 'campaign_id = @c'} LIMIT 1`)
      .get({ c: p.campaignId }) as Record<string, unknown> | undefined) ?? null
  );
}

const firstOfP = (sql: string): string => city.backend.db.prepare(sql).pluck().get({ c: p.campaignId }) as string;

beforeAll(async () => {
  county = openWorkstation('county');
  p = await setupPanel(county.backend);
  await p.users.lead!.client.call('key:create', { password: PANEL_PASSWORD });
  for (const n of ['1', '2']) await importCase(county.backend, p, `某许〔2025〕${n}号`, 'license', ['zhang', 'li']);
  const caseIds = rows(county.backend, 'SELECT id FROM cases ORDER BY id').map((r) => r.id as string);
  for (const caseId of caseIds) {
    await score(p.users.zhang!.client, caseId, { 'xk-1': { status: 'pass' } });
    await score(p.users.li!.client, caseId, { 'xk-1': { status: 'pass' } });
    const doc = (await p.users.zhang!.client.call('case:get', { caseId })).documents[0]!;
    await p.users.zhang!.client.call('annotation:save', {
      documentId: doc.id,
      upserts: [
        {
          id: randomUUID(),
          type: 'area',
          color: '#ff6666',
          pageIndex: 0,
          position: { rects: [[72, 600, 300, 640]] },
          comment: '张三的标注',
        },
      ],
      deletes: [],
    });
  }
  // A 整改台账 row entered by hand, with its evidence: P's report carries it.
  const unitId = rows(county.backend, 'SELECT id FROM units ORDER BY id')[0]!.id as string;
  const lead = p.users.lead!.client;
  const manual = await lead.call('ledger:add', {
    campaignId: p.campaignId,
    entry: {
      unitId,
      source: 'complaint',
      subject: '群众投诉第1项',
      description: '执法人员未出示执法证件',
      measure: '加强执法人员亮证执法培训',
      responsible: '',
      deadline: '2099-01-01',
    },
  });
  const evidenceSource = await stage(county.backend, lead, '投诉材料.pdf', new TextEncoder().encode('%PDF-1.4 投诉材料'));
  await lead.call('ledger:attach', { rowId: manual.id, sourceId: evidenceSource });
  reportOfP = await exportPackage(county.backend, p.users.lead!.client, 'package:exportCampaign', {
    campaignId: p.campaignId,
    purpose: 'report',
    password: PANEL_PASSWORD,
  });

  city = openWorkstation('city');
  admin = await setupAdmin(city.backend, 'admin');
  expect((await importConfirming(city.backend, admin, reportOfP)).outcome).toBe('applied');

  // Every id of P's package mapped to a new one: campaign, units, cases, documents, sheets, marks, ledger rows.
  const campaign = JSON.parse(await (await JSZip.loadAsync(reportOfP)).file('data/campaign.json')!.async('string')) as {
    units: Array<{ id: string }>;
    cases: Array<{ id: string }>;
    documents: Array<{ id: string }>;
    ledgerManualItems: Array<{ id: string }>;
    ledgerManualEvidence: Array<{ id: string }>;
  };
  const work = JSON.parse(await (await JSZip.loadAsync(reportOfP)).file('data/work.json')!.async('string')) as {
    sheets: Array<{ id: string }>;
    annotations: Array<{ id: string }>;
  };
  const ids = [
    p.campaignId,
    ...[
      ...campaign.units,
      ...campaign.cases,
      ...campaign.documents,
      ...campaign.ledgerManualItems,
      ...campaign.ledgerManualEvidence,
      ...work.sheets,
      ...work.annotations,
    ].map((r) => r.id),
  ];
  const renamed = new Map(ids.map((id, i) => [id, i === 0 ? zId : randomUUID()]));
  cleanZ = await resign(
    reportOfP,
    (d) => {
      d.manifest.packageId = randomUUID();
      (d.manifest.campaign as { name: string }).name = '另一评查活动';
      (d.campaign.campaign as { name: string }).name = '另一评查活动';
    },
    (text) => [...renamed].reduce((t, [from, to]) => t.replaceAll(from, to), text),
  );
}, 240_000);

afterAll(() => {
  county?.close();
  city?.close();
});

/** Where a table's rows travel in a package. */
const PLACE: Record<TableName, [keyof Payloads, string]> = {
  campaigns: ['campaign', 'campaign'],
  users: ['campaign', 'users'],
  units: ['campaign', 'units'],
  cases: ['campaign', 'cases'],
  documents: ['campaign', 'documents'],
  page_texts: ['campaign', 'pageText'],
  ocr_pages: ['campaign', 'ocrPages'],
  campaign_standards: ['campaign', 'campaignStandards'],
  panel_members: ['campaign', 'panelMembers'],
  assignments: ['campaign', 'assignments'],
  campaign_review_rules: ['campaign', 'reviewRules'],
  ledger_manual_items: ['campaign', 'ledgerManualItems'],
  ledger_manual_evidence: ['campaign', 'ledgerManualEvidence'],
  draws: ['campaign', 'draws'],
  drawn_cases: ['campaign', 'drawnCases'],
  sheets: ['work', 'sheets'],
  sheet_answers: ['work', 'answers'],
  annotations: ['work', 'annotations'],
  case_reviews: ['work', 'caseReviews'],
  case_review_answers: ['work', 'caseReviewAnswers'],
  audit_log: ['audit', 'entries'],
};

/** A row aimed at P for each carried table: P's own row with a changed value (built where P has none). */
function hostileRow(table: TableName): Record<string, unknown> {
  const now = '2030-01-01T00:00:00.000Z';
  const caseOfP = firstOfP('SELECT id FROM cases WHERE campaign_id = @c ORDER BY id');
  const fallback: Partial<Record<TableName, Record<string, unknown>>> = {
    page_texts: {
      document_id: firstOfP('SELECT d.id FROM documents d JOIN cases c ON c.id = d.case_id WHERE c.campaign_id = @c'),
      page_index: 0,
      text: '篡改',
    },
    campaign_review_rules: { campaign_id: p.campaignId, rules_json: '{}', updated_at: now },
    // A draw recorded under P, and a file of P marked drawn by a draw the package does not carry.
    draws: {
      id: randomUUID(),
      campaign_id: p.campaignId,
      seq: 9,
      algorithm: 'sm3-fisher-yates-v1',
      seed: '1111-2222-3333',
      seed_source: 'generated',
      witness: '',
      per_group: 1,
      case_types_json: '[]',
      exclude_reviewed: 0,
      pool_json: '[]',
      pool_digest: '0'.repeat(64),
      excluded_json: '[]',
      groups_json: '[]',
      drawn_by: firstOfP("SELECT id FROM users WHERE username <> 'admin' ORDER BY id"),
      drawn_at: now,
      superseded_at: null,
      superseded_reason: null,
      grouping: 'unit',
    },
    drawn_cases: { draw_id: randomUUID(), case_id: caseOfP },
    // Text planted under a file the package does not carry (OCR text is stored by file content; the
    // packages here carry the same PDFs as P, so the planted file is one this package does not hold).
    ocr_pages: {
      sha256: 'f'.repeat(64),
      page_index: 0,
      engine: 'pp-ocrv4',
      status: 'text',
      lines_json: '[]',
      mean_confidence: 1,
      dpi: 150,
      ms: 1,
      read_at: now,
    },
    case_reviews: {
      case_id: caseOfP,
      status: 'pending',
      source: null,
      route: null,
      assignee_id: null,
      standard_version_id: null,
      note: '篡改',
      revision: 9,
      finalised_at: null,
      finalised_by: null,
      updated_at: now,
    },
    case_review_answers: {
      case_id: caseOfP,
      item_id: 'xk-1',
      answer_json: '{"status":"fail"}',
      origin: 'agreed',
      note: '篡改',
      decided_by: null,
      updated_at: now,
    },
  };
  const row = table === 'ocr_pages' ? fallback.ocr_pages : (rowOfP(table) ?? fallback[table]);
  expect(row, `${table}: a row of P to aim at`).toBeTruthy();
  const changed = { ...row! };
  for (const col of ['title', 'name', 'text', 'note', 'comment', 'display_name', 'file_name'])
    if (typeof changed[col] === 'string') return { ...changed, [col]: '篡改' };
  for (const col of ['updated_at', 'added_at', 'created_at']) if (col in changed) return { ...changed, [col]: now };
  return changed;
}

describe('a package writes only its own campaign', () => {
  it('the clean package of the other campaign would import (so each refusal below is the hostile row’s)', async () => {
    expect((await importPackage(city.backend, admin, cleanZ, { dryRun: true })).outcome).toBe('preview');
  });

  const expected = (table: TableName): string =>
    table === 'campaigns' ? 'invalid_content' : table === 'users' ? 'local_actor' : 'foreign_rows';

  for (const table of CARRIED_TABLES) {
    it(`refuses a signed package whose ${table} row targets another campaign, and changes nothing`, async () => {
      const cityAdminId = firstOfP("SELECT id FROM users WHERE username = 'admin'");
      const hostile = await resign(cleanZ, (d) => {
        d.manifest.packageId = randomUUID();
        const [file, key] = PLACE[table];
        let row = hostileRow(table);
        // The trail: an entry of P's campaign in the city admin's name (the package's own campaign is derived; the actor is not).
        if (table === 'audit_log')
          row = {
            ...rows(
              city.backend,
              'SELECT id, at, actor_id, action, entity, entity_id, campaign_id, before_json, after_json FROM audit_log WHERE campaign_id = ? LIMIT 1',
              p.campaignId,
            )[0]!,
            id: 999_999,
            action: 'reconcile.finalise',
            actor_id: cityAdminId,
          };
        const payload = d[file] as Record<string, unknown>;
        if (table === 'campaigns') payload.campaign = row;
        else (payload[key] as unknown[]).push(row);
      });
      const before = everyRow(city.backend);
      const error = await refusePackage(city.backend, admin, hostile);
      expect(error.details?.reason, error.message).toBe(table === 'audit_log' ? 'local_actor' : expected(table));
      expect(error.message).toMatch(/[\u4e00-\u9fa5]/);
      expect(everyRow(city.backend)).toEqual(before);
    });
  }

  it('refuses signed audit rows that differ from what the package manifest declares (one added, one changed, one removed)', async () => {
    const before = everyRow(city.backend);
    const forged: Array<(d: Payloads) => void> = [
      (d) => d.audit.entries.push({ ...d.audit.entries[0]!, id: 777_777, action: 'case.update' }),
      (d) => void (d.audit.entries[0]!.after_json = JSON.stringify({ score: 100 })),
      (d) => void d.audit.entries.pop(),
    ];
    for (const forge of forged) {
      const tampered = await resign(
        cleanZ,
        (d) => {
          d.manifest.packageId = randomUUID();
          forge(d);
        },
        undefined,
        false,
      );
      const error = await refusePackage(city.backend, admin, tampered);
      expect(error.details?.reason, error.message).toBe('audit_mismatch');
      expect(error.message).toContain('操作日志与签名清单登记的条数或 SM3 摘要不符');
      expect(everyRow(city.backend)).toEqual(before);
    }
  });

  it('applies the clean package under its own campaign; imported audit rows keep their origin and are nobody’s here', async () => {
    const pBefore = everyRow(city.backend);
    // One entry claims P's campaign: it is filed under the package's campaign all the same.
    const claimed = await resign(cleanZ, (d) => {
      d.manifest.packageId = randomUUID();
      d.audit.entries.push({ ...d.audit.entries[0]!, id: 888_888, campaign_id: p.campaignId, action: 'case.update' });
    });
    expect((await importPackage(city.backend, admin, claimed)).outcome).toBe('applied');
    const after = everyRow(city.backend);
    // Every row that was here before (P's and all others), table by table, is still here unchanged.
    for (const table of CARRIED_TABLES) {
      const now = new Set(after[table]!.map((r) => JSON.stringify(r)));
      expect(
        pBefore[table]!.filter((r) => !now.has(JSON.stringify(r))),
        table,
      ).toEqual([]);
    }
    expect(rows(city.backend, 'SELECT count(*) AS n FROM cases WHERE campaign_id = ?', zId)[0]!.n).toBe(2);
    expect(rows(city.backend, 'SELECT campaign_id FROM audit_log WHERE origin_key LIKE ?', '%:888888')).toEqual([{ campaign_id: zId }]);
    const origin = JSON.parse(await (await JSZip.loadAsync(claimed)).file('manifest.json')!.async('string')).workstationId as string;
    const imported = rows(city.backend, 'SELECT actor_id, origin_key FROM audit_log WHERE campaign_id = ? AND origin_key IS NOT NULL', zId);
    expect(imported.length).toBeGreaterThan(0);
    for (const r of imported) expect(String(r.origin_key).startsWith(`${origin}:`)).toBe(true);
    const cityAdminId = firstOfP("SELECT id FROM users WHERE username = 'admin'");
    expect(imported.some((r) => r.actor_id === cityAdminId)).toBe(false);
    // P's own trail did not grow.
    const trailOfP = (all: Record<string, unknown[]>) =>
      (all.audit_log as Array<{ campaign_id: string }>).filter((r) => r.campaign_id === p.campaignId).length;
    expect(trailOfP(after)).toBe(trailOfP(pBefore));
  });
});

/** The largest the import's scratch folders under staging/ got while `run` ran. */
async function peakStaging(ws: Workstation, run: () => Promise<unknown>): Promise<number> {
  const staging = path.join(ws.dir, 'staging');
  const size = (dir: string): number =>
    fs.existsSync(dir)
      ? fs
          .readdirSync(dir, { withFileTypes: true })
          .reduce(
            (n, e) =>
              n +
              (e.isDirectory()
                ? size(path.join(dir, e.name))
                : (fs.statSync(path.join(dir, e.name), { throwIfNoEntry: false })?.size ?? 0)),
            0,
          )
      : 0;
  const scratch = (): number =>
    fs.existsSync(staging)
      ? fs
          .readdirSync(staging)
          .filter((n) => n.startsWith('package-'))
          .reduce((n, name) => n + size(path.join(staging, name)), 0)
      : 0;
  let peak = 0;
  const timer = setInterval(() => (peak = Math.max(peak, scratch())), 2);
  try {
    await run();
  } finally {
    clearInterval(timer);
  }
  return Math.max(peak, scratch());
}

/** 40 entries of 10 MB that deflate to about 2.5 MB in all: each a little random data and zeros, under the ratio limit. */
async function bombZip(extra: Array<{ name: string; bytes: Buffer }>): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  for (const e of extra) zip.addBuffer(e.bytes, e.name);
  const block = Buffer.alloc(10 * 1024 ** 2);
  for (let i = 0; i < 40; i++) {
    const entry = Buffer.from(block);
    for (let j = 0; j < 56 * 1024; j++) entry[j * 16] = ((i * 131 + j * 7919) & 0xff) ^ (j >> 3);
    zip.addBuffer(entry, `files/${String(i).padStart(64, '0')}.pdf`);
  }
  zip.end();
  const chunks: Buffer[] = [];
  for await (const chunk of zip.outputStream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

describe('nothing large is unpacked before the package is trusted', () => {
  it('a zip that is not a package writes nothing to staging before it is refused', async () => {
    const bytes = await bombZip([]);
    expect(bytes.length).toBeLessThan(4 * 1024 ** 2);
    let error: { details?: { reason?: unknown } } | undefined;
    const peak = await peakStaging(city, async () => (error = await refusePackage(city.backend, admin, bytes)));
    expect(error?.details?.reason).toBe('not_a_package');
    expect(peak).toBe(0);
  }, 120_000);

  it('a package’s header with unlisted bulk: at most the header is written before the refusal', async () => {
    const real = await JSZip.loadAsync(cleanZ);
    const header = await Promise.all(
      ['manifest.json', 'signature.json', 'signer-identity.json'].map(async (name) => ({
        name,
        bytes: await real.file(name)!.async('nodebuffer'),
      })),
    );
    const headerBytes = header.reduce((n, e) => n + e.bytes.length, 0);
    let error: { details?: { reason?: unknown } } | undefined;
    const peak = await peakStaging(city, async () => (error = await refusePackage(city.backend, admin, await bombZip(header))));
    expect(error?.details?.reason).toBe('unlisted_entry');
    expect(peak).toBeLessThanOrEqual(headerBytes);
    // Only the manifest, when the signature is absent.
    const manifestOnly = header.filter((e) => e.name === 'manifest.json');
    const peak2 = await peakStaging(city, async () => (error = await refusePackage(city.backend, admin, await bombZip(manifestOnly))));
    expect(error?.details?.reason).toBe('unsigned');
    expect(peak2).toBeLessThanOrEqual(manifestOnly[0]!.bytes.length);
  }, 120_000);
});
