import { dot, l2Normalize, meanPoolNormalized } from '../../../src/adapters/embedding/pooling';

describe('meanPoolNormalized', () => {
  it('averages only the unmasked tokens of each row, then normalises', () => {
    // batch 2, seq 3, dim 2; row 0 keeps tokens 0-1, row 1 keeps token 0 only.
    const hidden = Float32Array.from([3, 0, 1, 4, 100, 100, 0, 2, 50, 50, 50, 50]);
    const mask = [1, 1, 0, 1, 0, 0];
    const [a, b] = meanPoolNormalized(hidden, mask, 2, 3, 2);
    // mean of (3,0),(1,4) = (2,2) -> (0.7071, 0.7071); padding (100,100) must not count.
    expect(a[0]).toBeCloseTo(Math.SQRT1_2, 5);
    expect(a[1]).toBeCloseTo(Math.SQRT1_2, 5);
    expect(Array.from(b)).toEqual([0, 1]);
  });

  it('accepts bigint masks as onnxruntime int64 tensors hold them', () => {
    const [v] = meanPoolNormalized(Float32Array.from([1, 0, 0, 1]), BigInt64Array.from([1n, 0n]), 1, 2, 2);
    expect(Array.from(v)).toEqual([1, 0]);
  });

  it('yields a zero vector, not NaN, for a fully masked row', () => {
    const [v] = meanPoolNormalized(Float32Array.from([1, 2]), [0], 1, 1, 2);
    expect(Array.from(v)).toEqual([0, 0]);
  });
});

describe('l2Normalize', () => {
  it('makes unit vectors and leaves zero or non-finite vectors at zero', () => {
    const v = l2Normalize(Float32Array.from([3, 4]));
    expect(dot(v, v)).toBeCloseTo(1, 6);
    expect(Array.from(l2Normalize(new Float32Array(3)))).toEqual([0, 0, 0]);
    expect(Array.from(l2Normalize(Float32Array.from([NaN, 1])))).toEqual([0, 0]);
  });
});
