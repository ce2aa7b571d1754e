/**
 * A campaign with a realistic pool and a panel, built through the real channels (import, user:create),
 * for the panel/draw/assignment/meeting tests.
 */
import type { Backend } from '../../electron/services/backend.js';
import type { CaseType } from '../../shared/campaigns/case-types.js';
import { client, stage } from './backend.js';
import { dossierPdf } from './pdf-fixtures.js';

type Client = ReturnType<typeof client>;

export interface PoolSpec {
  unitName: string;
  caseType: CaseType;
  count: number;
  /** Case number prefix, e.g. "某公许". */
  prefix: string;
}

/** Units as a county sends them: different sizes per unit and case type. */
export const COUNTY_POOL: PoolSpec[] = [
  { unitName: '某某县公安局', caseType: 'license', count: 5, prefix: '某公许' },
  { unitName: '某某县公安局', caseType: 'penalty_general', count: 3, prefix: '某公罚' },
  { unitName: '某某县市场监督管理局', caseType: 'license', count: 4, prefix: '某市监许' },
  { unitName: '某某县生态环境局', caseType: 'license', count: 1, prefix: '某环许' },
  { unitName: '某某县交通运输局', caseType: 'license', count: 3, prefix: '某交许' },
];

export const caseNumber = (spec: PoolSpec, i: number): string => `${spec.prefix}〔2025〕${i + 1}号`;

/** Imports every file of the pool (one small Chinese PDF each), returning case ids by case number. */
export async function importPool(
  backend: Backend,
  c: Client,
  campaignId: string,
  pool: PoolSpec[] = COUNTY_POOL,
): Promise<Map<string, string>> {
  const bytes = await dossierPdf(3, '行政许可案卷');
  const ids = new Map<string, string>();
  for (const spec of pool) {
    for (let i = 0; i < spec.count; i++) {
      const sourceId = await stage(backend, c, `${caseNumber(spec, i)}.pdf`, bytes);
      const detail = await c.call('dossier:importSingle', {
        campaignId,
        sourceId,
        caseNumber: caseNumber(spec, i),
        caseTitle: `${spec.unitName.replace('某某县', '')}案卷${i + 1}`,
        unitName: spec.unitName,
        caseType: spec.caseType,
      });
      ids.set(detail.caseNumber, detail.id);
    }
  }
  return ids;
}

export interface Person {
  username: string;
  displayName: string;
  role: 'lead' | 'reviewer' | 'observer';
  affiliation: string;
  pastUnits?: string[];
  legalProfessional?: boolean;
}

export const PASSWORD = 'Review3r!';

/** A cross-review panel (交叉评查): reviewers from other departments, a lawyer, a 法制科长, an observer. */
export const PANEL: Person[] = [
  { username: 'zhao', displayName: '赵组长', role: 'lead', affiliation: '某某县司法局', legalProfessional: true },
  { username: 'qian', displayName: '钱警官', role: 'reviewer', affiliation: '某某县公安局' },
  { username: 'sun', displayName: '孙科长', role: 'reviewer', affiliation: '某某县自然资源局', pastUnits: ['某某县市场监督管理局'] },
  { username: 'li', displayName: '李律师', role: 'reviewer', affiliation: '某某律师事务所', legalProfessional: true },
  { username: 'zhou', displayName: '周法制', role: 'reviewer', affiliation: '某某县交通运输局法制科', legalProfessional: true },
  { username: 'wu', displayName: '吴干事', role: 'reviewer', affiliation: '某某县农业农村局' },
  { username: 'zheng', displayName: '郑观察', role: 'observer', affiliation: '某某县人大常委会' },
];

export async function createPeople(c: Client, people: Person[] = PANEL): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  for (const p of people) {
    const user = await c.call('user:create', {
      ...p,
      password: PASSWORD,
      pastUnits: p.pastUnits ?? [],
      legalProfessional: p.legalProfessional ?? false,
    });
    ids.set(p.username, user.id);
  }
  return ids;
}

/** A logged-in window of `username`. */
export async function loginAs(backend: Backend, username: string, clientId = `w-${username}`): Promise<Client> {
  const c = client(backend, clientId);
  await c.call('auth:login', { username, password: PASSWORD });
  return c;
}
