/**
 * Every detail line of the 留痕 reads in Chinese, for every action the code can write. The TypeScript
 * compiler reads each writeAudit call of the services and says what its before/after can hold: each
 * key, and each code a key can take (a status, a route, a kind). A sample of each shape is then told
 * by describeAudit, as the screen and the XLSX export tell it, and no line may show a key or a code in
 * Latin letters (整改台账 同步 once showed "added：3" and "updated：0").
 */
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { describeAudit } from '../../../shared/audit/describe.js';

const ROOT = path.resolve(import.meta.dirname, '../../..');

/** Latin a Chinese reader meets anyway: file kinds and digest names. */
const ALLOWED_LATIN = new Set(['XLSX', 'PDF', 'DOCX', 'SM3', 'SHA', 'JSON', 'MB', 'KB', 'ZIP', 'PNG']);
const latinWords = (s: string): string[] => (s.match(/[A-Za-z_][A-Za-z0-9_]+/g) ?? []).filter((w) => !ALLOWED_LATIN.has(w));

/** A sample of free text: Chinese, so only keys and codes can bring Latin letters into a line. */
const TEXT = '某某文字';
const MAX_VARIANTS = 40;

interface Site {
  where: string;
  actions: string[];
  entity: string;
  before: unknown[];
  after: unknown[];
  /** Payload parts whose type says nothing (unknown/any): named so the list stays short and known. */
  untyped: string[];
}

function auditSites(): Site[] {
  const config = ts.readConfigFile(path.join(ROOT, 'electron/tsconfig.json'), ts.sys.readFile);
  const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, path.join(ROOT, 'electron'));
  const files = parsed.fileNames.filter((f) => f.includes('/electron/services/'));
  const program = ts.createProgram(files, { ...parsed.options, noEmit: true, composite: false, declaration: false });
  const checker = program.getTypeChecker();
  const sites: Site[] = [];

  /** Sample values of a type: the first is the base, the others vary one code or one union member. */
  const samples = (type: ts.Type, untyped: string[], where: string, depth: number): unknown[] => {
    if (depth > 5) return [TEXT];
    if (type.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) {
      untyped.push(where);
      return [TEXT];
    }
    if (type.isStringLiteral()) return [type.value];
    if (type.isNumberLiteral()) return [type.value];
    if (type.flags & ts.TypeFlags.StringLike) return [TEXT];
    if (type.flags & ts.TypeFlags.NumberLike) return [3];
    if (type.flags & ts.TypeFlags.BooleanLike) return [true];
    if (type.flags & (ts.TypeFlags.Null | ts.TypeFlags.Undefined | ts.TypeFlags.Void)) return [null];
    if (type.isUnion()) {
      const members = type.types.filter((t) => !(t.flags & (ts.TypeFlags.Null | ts.TypeFlags.Undefined)));
      if (!members.length) return [null];
      if (members.every((t) => t.flags & ts.TypeFlags.BooleanLiteral)) return [true];
      return members.flatMap((t) => samples(t, untyped, where, depth + 1)).slice(0, MAX_VARIANTS);
    }
    if (checker.isArrayType(type) || checker.isTupleType(type)) {
      const args = checker.getTypeArguments(type as ts.TypeReference);
      if (checker.isTupleType(type)) {
        const parts = args.map((a) => samples(a, untyped, where, depth + 1));
        return [parts.map((p) => p[0]), ...parts.flatMap((p, i) => p.slice(1).map((v) => parts.map((q, j) => (i === j ? v : q[0]))))];
      }
      return samples(args[0]!, untyped, where, depth + 1).map((v) => [v]);
    }
    if (type.flags & ts.TypeFlags.Object) {
      const props = checker.getPropertiesOfType(type);
      const index = checker.getIndexTypeOfType(type, ts.IndexKind.String);
      const base: Record<string, unknown> = {};
      const options: Array<[string, unknown[]]> = [];
      for (const p of props) {
        const declared = p.valueDeclaration ?? p.declarations?.[0];
        const t = declared ? checker.getTypeOfSymbolAtLocation(p, declared) : checker.getDeclaredTypeOfSymbol(p);
        const s = samples(t, untyped, `${where}.${p.name}`, depth + 1);
        base[p.name] = s[0];
        options.push([p.name, s]);
      }
      // A record keyed by data (item ids, case ids): the key is data, its values are what is told.
      if (index) {
        const s = samples(index, untyped, `${where}[]`, depth + 1);
        base['某项'] = s[0];
        options.push(['某项', s]);
      }
      const variants = options.flatMap(([k, s]) => s.slice(1).map((v) => ({ ...base, [k]: v })));
      return [base, ...variants].slice(0, MAX_VARIANTS);
    }
    return [TEXT];
  };

  const literalOf = (e: ts.Expression | undefined): string[] | null => {
    if (!e) return null;
    const t = checker.getTypeAtLocation(e);
    const parts = t.isUnion() ? t.types : [t];
    return parts.every((p) => p.isStringLiteral()) ? parts.map((p) => (p as ts.StringLiteralType).value) : null;
  };

  for (const file of program.getSourceFiles()) {
    if (!files.includes(file.fileName)) continue;
    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'writeAudit') {
        const entry = node.arguments[1];
        const where = `${path.relative(ROOT, file.fileName)}:${file.getLineAndCharacterOfPosition(node.getStart()).line + 1}`;
        if (entry && ts.isObjectLiteralExpression(entry)) {
          const prop = (name: string): ts.Expression | undefined => {
            for (const p of entry.properties) {
              if (ts.isPropertyAssignment(p) && p.name.getText() === name) return p.initializer;
              if (ts.isShorthandPropertyAssignment(p) && p.name.text === name) return p.name;
            }
            return undefined;
          };
          const untyped: string[] = [];
          const payload = (name: string): unknown[] => {
            const e = prop(name);
            return e ? samples(checker.getTypeAtLocation(e), untyped, `${path.relative(ROOT, file.fileName)} ${name}`, 0) : [undefined];
          };
          sites.push({
            where,
            // An action built from a variable part (package kinds, ledger statuses) is told by the generic lines.
            actions: literalOf(prop('action')) ?? ['（按变量写入的动作）'],
            entity: literalOf(prop('entity'))?.[0] ?? 'case',
            before: payload('before'),
            after: payload('after'),
            untyped,
          });
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(file);
  }
  return sites;
}

describe('留痕 details in Chinese for every action written', () => {
  const sites = auditSites();

  it('finds the writeAudit calls of the services', () => {
    expect(sites.length).toBeGreaterThan(80);
    expect(sites.some((s) => s.actions.includes('ledger.sync'))).toBe(true);
  });

  it('knows the shape of every payload but a few whose content is data', () => {
    // Where the compiler cannot say what a payload holds, the check above is blind: each such place
    // is named here with why its words are safe, so a new one is looked at before it ships.
    const KNOWN = new Map<string, RegExp>([
      // An answer read back from the database: told by answerText (评定, 扣分, 处数, 理由).
      ['electron/services/scoring/sheets.ts', /^before\.answer$/],
      ['electron/services/panel/review.ts', /^before\.answer$/],
      // A case's fields as the case list gave them: values are the list's data under labelled keys.
      [
        'electron/services/import/import-service.ts',
        /^after\.(title|caseType|unitName|caseNumber|cause|party|enforcementBody|filedOn|closedOn|decision|penaltyAmount|handler|externalCode|serial)$/,
      ],
      // The meeting's change: caseIds, from/to/caseId, documentId/page and the options, all labelled.
      ['electron/services/meeting/meeting-service.ts', /^after\[\]$/],
    ]);
    const unknown = [...new Set(sites.flatMap((s) => s.untyped))].filter((u) => {
      const [file, what] = u.split(' ') as [string, string];
      return !KNOWN.get(file)?.test(what);
    });
    expect(unknown).toEqual([]);
  });

  it('shows no key and no code in Latin letters', () => {
    const bad: string[] = [];
    for (const site of sites)
      for (const action of site.actions) {
        const pairs: Array<[unknown, unknown]> = [
          ...site.after.map((a): [unknown, unknown] => [site.before[0], a]),
          ...site.before.slice(1).map((b): [unknown, unknown] => [b, site.after[0]]),
        ];
        for (const [before, after] of pairs) {
          const said = describeAudit(
            {
              action,
              entity: site.entity,
              entityId: null,
              actorId: 'u1',
              actorName: '王组长',
              before: before === undefined ? null : JSON.stringify(before),
              after: after === undefined ? null : JSON.stringify(after),
            },
            {},
          );
          for (const line of said.details) if (latinWords(line).length) bad.push(`${site.where} ${action}: ${line}`);
        }
      }
    expect([...new Set(bad)]).toEqual([]);
  });
});
