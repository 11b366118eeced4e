import { topK } from '../../../src/adapters/search/top-k';

describe('topK', () => {
  it('keeps the k best, best first, ties by id', () => {
    const best = topK(3);
    const input: Array<[string, number]> = [
      ['e', 1],
      ['a', 5],
      ['d', 5],
      ['b', 2],
      ['c', 9],
      ['f', 0],
    ];
    for (const [id, s] of input) best.push(id, s);
    expect(best.result()).toEqual([
      { id: 'c', score: 9 },
      { id: 'a', score: 5 },
      { id: 'd', score: 5 },
    ]);
  });

  it('matches a full sort on random input', () => {
    let x = 12345;
    const rand = () => (x = (x * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const items = Array.from({ length: 2000 }, (_, i) => ({ id: `id${i}`, score: Math.round(rand() * 100) }));
    const best = topK(50);
    for (const it of items) best.push(it.id, it.score);
    const sorted = [...items].sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : 1)).slice(0, 50);
    expect(best.result()).toEqual(sorted);
  });

  it('returns nothing for k = 0', () => {
    const best = topK(0);
    best.push('a', 1);
    expect(best.result()).toEqual([]);
  });
});
