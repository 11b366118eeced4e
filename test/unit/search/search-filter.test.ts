import { SearchError } from '../../../src/adapters/search/search-errors';
import { matchesFilter, normalizeFilter } from '../../../src/adapters/search/search-filter';
import { toWeaviateFilter } from '../../../src/adapters/search/weaviate-filter-builder';

function errorOf(fn: () => unknown): SearchError {
  try {
    fn();
  } catch (e) {
    if (e instanceof SearchError) return e;
    throw e;
  }
  throw new Error('expected a SearchError');
}

describe('normalizeFilter', () => {
  it('rejects unknown fields with BAD_USER_INPUT and lists the valid ones', () => {
    const e = errorOf(() => normalizeFilter({ op: 'and', filters: [{ op: 'eq', field: 'salary', value: 1 }] }));
    expect(e.code).toBe('BAD_USER_INPUT');
    expect(e.reason).toBe('UNKNOWN_FILTER_FIELD');
    expect(e.message).toContain('filters.filters.0.field');
    expect(e.message).toContain('salaryMin');
  });

  it.each([
    [{ op: 'eq', field: 'skills', value: 'x' }, 'cannot be used with this operator'],
    [{ op: 'containsAny', field: 'location', values: ['x'] }, 'cannot be used with this operator'],
    [{ op: 'range', field: 'yearsExperience' }, 'at least one of'],
    [{ op: 'range', field: 'yearsExperience', gte: '3' }, 'finite number'],
    [{ op: 'eq', field: 'salaryMin', value: 1.5 }, 'whole numbers'],
    [{ op: 'eq', field: 'location', value: '  ' }, 'non-empty strings'],
    [{ op: 'or', filters: [] }, 'non-empty array'],
    [{ op: 'like', field: 'location', value: 'x' }, 'unknown operator'],
    [null, 'expected an object'],
  ])('rejects %j', (input, message) => {
    const e = errorOf(() => normalizeFilter(input));
    expect(e.code).toBe('BAD_USER_INPUT');
    expect(e.message).toContain(message);
  });

  it('rejects filters nested too deeply instead of recursing without bound', () => {
    let f: unknown = { op: 'eq', field: 'location', value: 'x' };
    for (let i = 0; i < 20; i++) f = { op: 'and', filters: [f] };
    expect(errorOf(() => normalizeFilter(f)).message).toContain('levels deep');
  });

  it('lower-cases skills and trims text values', () => {
    expect(normalizeFilter({ op: 'containsAny', field: 'skills', values: [' PyTorch '] })).toEqual({
      op: 'containsAny',
      field: 'skills',
      values: ['pytorch'],
    });
    expect(normalizeFilter({ op: 'eq', field: 'location', value: ' Shanghai ' })).toEqual({
      op: 'eq',
      field: 'location',
      value: 'Shanghai',
    });
  });
});

describe('matchesFilter', () => {
  const doc = { location: 'Shanghai', yearsExperience: 7, skills: ['pytorch', 'spark'], salaryMin: 500000 };

  it('evaluates leaves', () => {
    expect(matchesFilter(normalizeFilter({ op: 'eq', field: 'location', value: 'Shanghai' }), doc)).toBe(true);
    expect(matchesFilter(normalizeFilter({ op: 'eq', field: 'location', value: 'shanghai' }), doc)).toBe(false);
    expect(matchesFilter(normalizeFilter({ op: 'in', field: 'location', values: ['Beijing', 'Shanghai'] }), doc)).toBe(true);
    expect(matchesFilter(normalizeFilter({ op: 'range', field: 'yearsExperience', gte: 7, lt: 10 }), doc)).toBe(true);
    expect(matchesFilter(normalizeFilter({ op: 'range', field: 'yearsExperience', gt: 7 }), doc)).toBe(false);
    expect(matchesFilter(normalizeFilter({ op: 'containsAny', field: 'skills', values: ['PyTorch', 'Go'] }), doc)).toBe(true);
    expect(matchesFilter(normalizeFilter({ op: 'containsAll', field: 'skills', values: ['PyTorch', 'Go'] }), doc)).toBe(false);
  });

  it('never matches a field the document lacks', () => {
    expect(matchesFilter(normalizeFilter({ op: 'eq', field: 'seniority', value: 'SENIOR' }), doc)).toBe(false);
    expect(matchesFilter(normalizeFilter({ op: 'range', field: 'salaryMax', lte: 1e9 }), doc)).toBe(false);
  });

  it('combines with and/or', () => {
    const f = normalizeFilter({
      op: 'or',
      filters: [
        { op: 'eq', field: 'location', value: 'Beijing' },
        {
          op: 'and',
          filters: [
            { op: 'range', field: 'yearsExperience', gte: 5 },
            { op: 'containsAny', field: 'skills', values: ['spark'] },
          ],
        },
      ],
    });
    expect(matchesFilter(f, doc)).toBe(true);
    expect(matchesFilter(f, { ...doc, yearsExperience: 2 })).toBe(false);
  });
});

describe('toWeaviateFilter', () => {
  it('maps each operator to the weaviate-client filter structure', () => {
    const f = normalizeFilter({
      op: 'and',
      filters: [
        { op: 'eq', field: 'location', value: 'Shanghai' },
        { op: 'in', field: 'seniority', values: ['SENIOR', 'LEAD'] },
        { op: 'range', field: 'yearsExperience', gte: 3, lt: 10 },
        { op: 'containsAny', field: 'skills', values: ['PyTorch'] },
        {
          op: 'or',
          filters: [
            { op: 'containsAll', field: 'languages', values: ['zh', 'en'] },
            { op: 'range', field: 'salaryMin', gt: 1 },
          ],
        },
      ],
    });
    expect(toWeaviateFilter(f)).toEqual({
      operator: 'And',
      value: null,
      filters: [
        { operator: 'Equal', target: { property: 'location' }, value: 'Shanghai' },
        { operator: 'ContainsAny', target: { property: 'seniority' }, value: ['SENIOR', 'LEAD'] },
        {
          operator: 'And',
          value: null,
          filters: [
            { operator: 'GreaterThanEqual', target: { property: 'yearsExperience' }, value: 3 },
            { operator: 'LessThan', target: { property: 'yearsExperience' }, value: 10 },
          ],
        },
        { operator: 'ContainsAny', target: { property: 'skillTags' }, value: ['pytorch'] },
        {
          operator: 'Or',
          value: null,
          filters: [
            { operator: 'ContainsAll', target: { property: 'languages' }, value: ['zh', 'en'] },
            { operator: 'GreaterThan', target: { property: 'salaryMin' }, value: 1 },
          ],
        },
      ],
    });
  });
});
