import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateCareerGraph } from '../../../src/network/synthetic-career-graph';
import { evaluateLinkPredictor, loadLatestLinkModel, saveLinkModel, trainLinkPredictor } from '../../../src/network/link-predictor';

jest.setTimeout(60_000);

describe('link predictor on a generated career graph (temporal split)', () => {
  const projection = generateCareerGraph({ candidates: 1000, companies: 60, seed: 5, endYear: 2025 });
  const dir = mkdtempSync(join(tmpdir(), 'matchhub-linkpred-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('trains a model, stores versions, and beats popularity where the graph has structure', async () => {
    const kinds = ['CANDIDATE_COMPANY', 'COMPANY_COMPANY'] as const;
    const first = await trainLinkPredictor({
      projection,
      cutoffYear: 2022,
      modelDir: dir,
      kinds,
      maxPositives: 300,
      maxTestPositives: 150,
    });
    const second = { model: { ...first.model, version: 2 } };
    saveLinkModel(dir, second.model);
    expect([first.model.version, second.model.version]).toEqual([1, 2]);
    expect(readdirSync(dir).sort()).toEqual(['linkpred-v0001.json', 'linkpred-v0002.json']);
    expect(loadLatestLinkModel(dir)!.version).toBe(2);

    const report = await evaluateLinkPredictor({ projection, cutoffYear: 2022, model: second.model, kinds, maxTestPositives: 150 });
    for (const kind of kinds) {
      const rows = report.rows.filter((r) => r.kind === kind);
      const learned = rows.find((r) => r.scorer === 'learned')!;
      const inDegree = rows.find((r) => r.scorer === 'targetInDegree')!;
      expect(learned.positives).toBeGreaterThan(50);
      // Habitual destinations make neighbourhood and flow learnable: against the served pool (all popular
      // targets among the negatives) popularity alone ranks worse.
      expect(learned.auc).toBeGreaterThan(0.65);
      expect(learned.auc).toBeGreaterThan(inDegree.auc);
    }
    expect(report.table).toContain('learned vs best single heuristic');
  });

  it('rejects a bad cut-off year with a clear message', async () => {
    await expect(evaluateLinkPredictor({ projection, cutoffYear: 22 })).rejects.toMatchObject({
      code: 'BAD_USER_INPUT',
      message: expect.stringContaining('cutoffYear'),
    });
  });

  it('has no model before the first training run', () => {
    expect(loadLatestLinkModel(join(dir, 'nothing-here'))).toBeNull();
  });
});
