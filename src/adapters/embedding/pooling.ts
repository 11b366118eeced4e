/**
 * Mean pooling over the tokens the attention mask keeps, then L2 normalisation: the pooling that
 * sentence-transformers configures for E5 and MiniLM models. Pure; unit-tested.
 *
 * `hidden` is the model's last hidden state, row-major [batch, seqLen, dim].
 */
export function meanPoolNormalized(
  hidden: Float32Array,
  mask: ArrayLike<number | bigint>,
  batch: number,
  seqLen: number,
  dim: number,
): Float32Array[] {
  const out: Float32Array[] = [];
  for (let b = 0; b < batch; b++) {
    const v = new Float32Array(dim);
    let kept = 0;
    for (let t = 0; t < seqLen; t++) {
      if (Number(mask[b * seqLen + t]) === 0) continue;
      kept++;
      const base = (b * seqLen + t) * dim;
      for (let d = 0; d < dim; d++) v[d] += hidden[base + d];
    }
    // kept is never 0 for real input (the tokenizer adds <s> and </s>); guard anyway so an
    // all-masked row yields a zero vector instead of NaN.
    if (kept > 0) for (let d = 0; d < dim; d++) v[d] /= kept;
    out.push(l2Normalize(v));
  }
  return out;
}

/** Normalises in place and returns `v`; a zero (or non-finite) vector is returned as zeros. */
export function l2Normalize(v: Float32Array): Float32Array {
  let sq = 0;
  for (let i = 0; i < v.length; i++) sq += v[i] * v[i];
  const norm = Math.sqrt(sq);
  if (!Number.isFinite(norm) || norm === 0) {
    v.fill(0);
    return v;
  }
  for (let i = 0; i < v.length; i++) v[i] /= norm;
  return v;
}

export function dot(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}
