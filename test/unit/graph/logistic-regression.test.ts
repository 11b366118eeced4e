import { fitLogistic } from '../../../src/network/logistic-regression';

describe('logistic regression', () => {
  it('puts weight on the informative feature and none on the noise', () => {
    const x: number[][] = [];
    const y: number[] = [];
    for (let i = 0; i < 400; i += 1) {
      const label = i % 2;
      const signal = label + ((i * 37) % 10) / 20 - 0.25;
      const noise = ((i * 7919) % 100) / 100;
      x.push([signal, noise]);
      y.push(label);
    }
    const m = fitLogistic(x, y, { epochs: 600 });
    expect(m.weights[0]).toBeGreaterThan(2);
    expect(Math.abs(m.weights[1])).toBeLessThan(0.3);
  });

  it('refuses rows without labels', () => {
    expect(() => fitLogistic([[1]], [])).toThrow(/labels/);
  });
});
