/** Agreement statistics against values computed by hand (shown in the comments). */
import { describe, expect, it } from 'vitest';
import {
  AGREEMENT_MIN_FILES,
  addSums,
  agreementReport,
  describeFrom,
  emptySums,
  fileAgreementSums,
  krippendorffAlpha,
  pruneSums,
  reportFromSums,
  type AgreementSums,
  type RatedFile,
} from '../../../shared/panel/agreement.js';
import type { StandardDefinition } from '../../../shared/standards/model.js';

describe("Krippendorff's alpha", () => {
  it('matches a two-rater example worked by hand', () => {
    // Units [1,1] [2,2] [1,2]: n = 6 values; D_o = (2 / 1) / 6 = 1/3 (only the third unit disagrees,
    // two ordered pairs); D_e = (6² − 3² − 3²) / (6·5) = 18/30 = 0.6; α = 1 − (1/3)/0.6 = 4/9.
    expect(
      krippendorffAlpha(
        [
          [1, 1],
          [2, 2],
          [1, 2],
        ],
        'nominal',
      ),
    ).toBeCloseTo(4 / 9, 12);
    // Interval: the one disagreeing pair differs by 1, so the squared differences give the same sums.
    expect(
      krippendorffAlpha(
        [
          [1, 1],
          [2, 2],
          [1, 2],
        ],
        'interval',
      ),
    ).toBeCloseTo(4 / 9, 12);
  });

  it("matches Krippendorff's published example (4 observers, 12 units, missing values)", () => {
    // K. Krippendorff, "Computing Krippendorff's Alpha-Reliability" (2011): α nominal = 0.743, interval = 0.849.
    const A = [1, 2, 3, 3, 2, 1, 4, 1, 2, null, null, null];
    const B = [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, null, 3];
    const C = [null, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, null];
    const D = [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, null];
    const units = A.map((_, i) => [A[i], B[i], C[i], D[i]].filter((v): v is number => v !== null));
    expect(krippendorffAlpha(units, 'nominal')!.toFixed(3)).toBe('0.743');
    expect(krippendorffAlpha(units, 'interval')!.toFixed(3)).toBe('0.849');
  });

  it('is 1 for perfect agreement with variation, and undefined without variation or pairs', () => {
    expect(
      krippendorffAlpha(
        [
          [3, 3],
          [1, 1, 1],
        ],
        'interval',
      ),
    ).toBe(1);
    expect(
      krippendorffAlpha(
        [
          [0, 0],
          [0, 0],
        ],
        'interval',
      ),
    ).toBeNull();
    expect(krippendorffAlpha([[5], [7]], 'nominal')).toBeNull();
  });
});

/** Two items: x full 10; y range 1–5 step 1, points 5. */
const tiny: StandardDefinition = {
  format: 'pingcha-standard/1',
  standardId: 't',
  name: '小标准',
  version: '1',
  caseTypes: ['other'],
  total: 15,
  mode: 'deductFromTotal',
  gate: { title: '否决项', points: 0, items: [] },
  veto: { effect: 'zeroAndFail' },
  blocks: [
    {
      kind: 'block',
      id: 'B',
      title: '块',
      points: 15,
      floor: true,
      normalise: false,
      children: [
        { kind: 'item', id: 'x', code: 'x', text: '项目x', points: 10, rule: { kind: 'full' }, ruleText: '' },
        { kind: 'item', id: 'y', code: 'y', text: '项目y', points: 5, rule: { kind: 'range', min: 1, max: 5, step: 1 }, ruleText: '' },
      ],
    },
  ],
  bands: [
    { grade: '合格', min: 9 },
    { grade: '不合格', min: 0 },
  ],
  failGrade: '不合格',
};

describe('agreement report', () => {
  // File 1: R1 x 符合, y −2; R2 x 符合, y −4.   File 2: R1 x −10, y 符合; R2 both 符合; settled as R1.
  const report = agreementReport(
    [
      {
        fileId: 'f1',
        versionId: 'v',
        definition: tiny,
        final: null,
        ratings: [
          { raterId: 'R1', answers: { x: { status: 'pass' }, y: { status: 'deduct', deduction: 2 } } },
          { raterId: 'R2', answers: { x: { status: 'pass' }, y: { status: 'deduct', deduction: 4 } } },
        ],
      },
      {
        fileId: 'f2',
        versionId: 'v',
        definition: tiny,
        final: { x: { status: 'deduct' }, y: { status: 'pass' } },
        ratings: [
          { raterId: 'R1', answers: { x: { status: 'deduct' }, y: { status: 'pass' } } },
          { raterId: 'R2', answers: { x: { status: 'pass' }, y: { status: 'pass' } } },
        ],
      },
      { fileId: 'f3', versionId: 'v', definition: tiny, final: {}, ratings: [{ raterId: 'R3', answers: {} }] },
    ],
    { minFiles: 2 },
  );

  it('per item: share agreeing, mean absolute difference, alpha', () => {
    const x = report.items.find((i) => i.itemId === 'x')!;
    // x: agree on f1, not on f2 → 1/2; differences 0 and 10 → 5;
    // units [0,0] [10,0]: D_o = 200/4 = 50, D_e = (2·4·100 − 2·10²)/12 = 50 → α = 0.
    expect(x).toMatchObject({ files: 2, agreeShare: 0.5, meanAbsDiff: 5 });
    expect(x.alpha).toBeCloseTo(0, 12);
    const y = report.items.find((i) => i.itemId === 'y')!;
    // y: units [2,4] [0,0]: D_o = 8/4 = 2, D_e = (2·4·20 − 2·6²)/12 = 88/12 → α = 1 − 24/88 = 8/11.
    expect(y).toMatchObject({ files: 2, agreeShare: 0.5, meanAbsDiff: 1 });
    expect(y.alpha).toBeCloseTo(8 / 11, 12);
  });

  it('over the campaign', () => {
    expect(report).toMatchObject({ files: 2, minFiles: 2, units: 4, agreeShare: 0.5, meanAbsDiff: 3 });
    // Interval over [0,0] [10,0] [2,4] [0,0]: D_o = 208/8 = 26, D_e = (2·8·120 − 2·16²)/56 = 1408/56 → α = −48/1408.
    expect(report.alphaInterval).toBeCloseTo(-48 / 1408, 12);
    // Nominal: 5 × 符合, one each of −10, −2, −4: D_o = 4/8, D_e = (64 − 28)/56 → α = 1 − 0.5·56/36 = 2/9.
    expect(report.alphaNominal).toBeCloseTo(2 / 9, 12);
  });

  it('per reviewer, against each other and against the settled result', () => {
    const r1 = report.raters.find((r) => r.raterId === 'R1')!;
    const r2 = report.raters.find((r) => r.raterId === 'R2')!;
    expect(r1).toEqual({
      raterId: 'R1',
      files: 2,
      comparisons: 4,
      agreeShare: 0.5,
      meanAbsDiff: 3,
      finalComparisons: 2,
      finalAgreeShare: 1,
      finalMeanAbsDiff: 0,
    });
    expect(r2).toEqual({
      raterId: 'R2',
      files: 2,
      comparisons: 4,
      agreeShare: 0.5,
      meanAbsDiff: 3,
      finalComparisons: 2,
      finalAgreeShare: 0.5,
      finalMeanAbsDiff: 5,
    });
    // A reviewer who never shared a file is not listed: a single sheet settled as it stands says nothing.
    expect(report.raters.find((r) => r.raterId === 'R3')).toBeUndefined();
  });
});

describe('agreement with too few files', () => {
  // Two files read twice each give an alpha anywhere from −1 to 1 on one stray reading: none is given.
  const file = (id: string, y: number) => ({
    fileId: id,
    versionId: 'v',
    definition: tiny,
    final: null,
    ratings: [
      { raterId: 'R1', answers: { x: { status: 'pass' as const }, y: { status: 'deduct' as const, deduction: y } } },
      { raterId: 'R2', answers: { x: { status: 'pass' as const }, y: { status: 'deduct' as const, deduction: 2 } } },
    ],
  });

  it('gives no alpha below the threshold, campaign-wide or per item, and says how many files it has', () => {
    expect(AGREEMENT_MIN_FILES).toBeGreaterThanOrEqual(5);
    const few = agreementReport([file('a', 1), file('b', 3), { ...file('c', 2), ratings: [file('c', 2).ratings[0]!] }]);
    expect(few).toMatchObject({ files: 2, minFiles: AGREEMENT_MIN_FILES, alphaInterval: null, alphaNominal: null });
    expect(few.items.every((i) => i.alpha === null)).toBe(true);
    // The plain shares are still counted: they are what the lead reads while files come in.
    expect(few.agreeShare).toBe(0.5);
  });

  it('gives alpha once enough files were read by two or more reviewers', () => {
    const enough = agreementReport(Array.from({ length: AGREEMENT_MIN_FILES }, (_, i) => file(`f${i}`, 1 + (i % 4))));
    expect(enough.files).toBe(AGREEMENT_MIN_FILES);
    expect(enough.alphaInterval).not.toBeNull();
    expect(enough.items.find((i) => i.itemId === 'y')!.alpha).not.toBeNull();
  });
});

describe('agreement sums kept per campaign', () => {
  const files: RatedFile[] = [
    {
      fileId: 'f1',
      versionId: 'v',
      definition: tiny,
      final: null,
      ratings: [
        { raterId: 'R1', answers: { y: { status: 'deduct', deduction: 2 } } },
        { raterId: 'R2', answers: { y: { status: 'deduct', deduction: 4 } } },
      ],
    },
    {
      fileId: 'f2',
      versionId: 'v',
      definition: tiny,
      final: { x: { status: 'deduct' } },
      ratings: [
        { raterId: 'R1', answers: { x: { status: 'deduct' } } },
        { raterId: 'R3', answers: {} },
        { raterId: 'R2', answers: { y: { status: 'deduct', deduction: 1 } } },
      ],
    },
    {
      fileId: 'f3',
      versionId: 'v',
      definition: tiny,
      final: null,
      ratings: [
        { raterId: 'R3', answers: { x: { status: 'na' } } },
        { raterId: 'R4', answers: {} },
      ],
    },
  ];
  const describeTiny = describeFrom(new Map([['v', tiny]]));

  it('taking a file away (a reopened sheet, a withdrawn result) leaves the report of the files left', () => {
    const total = emptySums();
    for (const f of files) addSums(total, fileAgreementSums(f), 1);
    expect(reportFromSums(total, describeTiny, { minFiles: 2 })).toEqual(agreementReport(files, { minFiles: 2 }));
    // A change is the file's old part taken away and its new part added, gathered first as one difference.
    const changed: RatedFile = { ...files[2]!, ratings: [...files[2]!.ratings, { raterId: 'R1', answers: { x: { status: 'deduct' } } }] };
    const delta = addSums(addSums(emptySums(), fileAgreementSums(files[2]!), -1), fileAgreementSums(changed), 1);
    const after = pruneSums(addSums(JSON.parse(JSON.stringify(total)) as AgreementSums, delta, 1));
    const expected = agreementReport([files[0]!, files[1]!, changed], { minFiles: 2 });
    const got = reportFromSums(after, describeTiny, { minFiles: 2 });
    expect(got.items).toEqual(expected.items.map((i) => ({ ...i, meanAbsDiff: expect.closeTo(i.meanAbsDiff!, 12) })));
    expect({ ...got, items: [] }).toEqual({ ...expected, items: [] });
    // R4 rated only f3: once f3 is taken away R4 leaves the report.
    const without = pruneSums(addSums(JSON.parse(JSON.stringify(total)) as AgreementSums, fileAgreementSums(files[2]!), -1));
    expect(
      reportFromSums(without, describeTiny, { minFiles: 2 })
        .raters.map((r) => r.raterId)
        .sort(),
    ).toEqual(['R1', 'R2', 'R3']);
    expect(reportFromSums(without, describeTiny, { minFiles: 2 })).toEqual(agreementReport(files.slice(0, 2), { minFiles: 2 }));
  });
});
