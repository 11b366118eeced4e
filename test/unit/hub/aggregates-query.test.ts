import { aggregateQuery } from '../../../src/hub/repositories/aggregates.repository';
import { ValidationError } from '../../../src/shared/errors';

describe('aggregateQuery', () => {
  it('binds every filter value as a parameter, the limit last', () => {
    const { sql, params } = aggregateQuery('placementsByCompany', { companyId: 'c0ffee00-0000-4000-8000-000000000000', since: 2020 }, 5);
    expect(params).toEqual(['c0ffee00-0000-4000-8000-000000000000', 2020, 5]);
    expect(sql).toContain('p.company_id = $1::uuid');
    expect(sql).toContain('p.start_date >= make_date($2::int, 1, 1)');
    expect(sql).toMatch(/LIMIT \$3$/);
    expect(sql).not.toContain('c0ffee00');
  });

  it('keeps a metric’s fixed condition whatever the filters', () => {
    expect(aggregateQuery('openJobsByCompany', {}, 10).sql).toContain(`WHERE j.status = 'OPEN'`);
  });

  it('refuses a filter the metric does not take, and since after until', () => {
    const problems = (fn: () => unknown) => {
      try {
        fn();
      } catch (e) {
        return (e as ValidationError).problems;
      }
      return [];
    };
    expect(problems(() => aggregateQuery('applicationsByStage', { skill: 'Java', since: 2020 }, 10))).toEqual([
      { path: 'filters.skill', message: 'applicationsByStage cannot be filtered by skill' },
      { path: 'filters.since', message: 'applicationsByStage cannot be filtered by since' },
    ]);
    expect(problems(() => aggregateQuery('placementsByYear', { since: 2024, until: 2020 }, 10))).toEqual([
      { path: 'filters.until', message: 'must not be before since (2024)' },
    ]);
  });
});
