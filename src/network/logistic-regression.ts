/**
 * L2-regularised logistic regression fitted by full-batch gradient descent with Adam.
 * Written by hand on purpose: seven features and a few thousand rows need ~60 lines, and the
 * JavaScript ML packages that offer it (ml-logistic-regression and friends) are unmaintained and
 * pull in a matrix library; the model also has to be a plain JSON document the server can read.
 */
export interface FittedLogistic {
  mean: number[];
  std: number[];
  weights: number[];
  bias: number;
}

export interface LogisticOptions {
  l2?: number;
  /** Centre and scale each feature first (default); off when the caller already did. */
  standardize?: boolean;
  /** Fit an intercept (default). */
  bias?: boolean;
  epochs?: number;
  learningRate?: number;
}

export function fitLogistic(x: readonly number[][], y: readonly number[], o: LogisticOptions = {}): FittedLogistic {
  if (x.length === 0 || x.length !== y.length) throw new Error(`need as many labels as rows (got ${x.length} rows, ${y.length} labels)`);
  const d = x[0].length;
  const scale = o.standardize ?? true;
  const mean = Array.from({ length: d }, (_, j) => (scale ? x.reduce((s, r) => s + r[j], 0) / x.length : 0));
  const std = Array.from({ length: d }, (_, j) =>
    scale ? Math.sqrt(x.reduce((s, r) => s + (r[j] - mean[j]) ** 2, 0) / x.length) || 1 : 1,
  );
  const withBias = o.bias ?? true;
  const z = x.map((r) => r.map((v, j) => (v - mean[j]) / std[j]));
  const l2 = o.l2 ?? 1e-3;
  const lr = o.learningRate ?? 0.05;
  const w = new Array<number>(d).fill(0);
  let b = 0;
  const m = new Array<number>(d + 1).fill(0);
  const v = new Array<number>(d + 1).fill(0);
  const [b1, b2, eps] = [0.9, 0.999, 1e-8];
  for (let t = 1; t <= (o.epochs ?? 400); t += 1) {
    const grad = new Array<number>(d + 1).fill(0);
    for (let i = 0; i < z.length; i += 1) {
      let s = b;
      for (let j = 0; j < d; j += 1) s += w[j] * z[i][j];
      const err = 1 / (1 + Math.exp(-s)) - y[i];
      for (let j = 0; j < d; j += 1) grad[j] += err * z[i][j];
      grad[d] += err;
    }
    for (let j = 0; j <= d; j += 1) {
      const g = grad[j] / z.length + (j < d ? l2 * w[j] : 0);
      m[j] = b1 * m[j] + (1 - b1) * g;
      v[j] = b2 * v[j] + (1 - b2) * g * g;
      const step = (lr * (m[j] / (1 - b1 ** t))) / (Math.sqrt(v[j] / (1 - b2 ** t)) + eps);
      if (j < d) w[j] -= step;
      else if (withBias) b -= step;
    }
  }
  return { mean, std, weights: w, bias: b };
}
