import { describeInputDbError } from '../../src/hub/db-errors';
import { ROLES } from '../../src/shared/roles';
import {
  CANDIDATE_PERSONAL_FIELDS,
  isPersonalField,
  mayReadPersonal,
  PersonalField,
  personalColumn,
  redactPersonal,
} from '../../src/hub/personal-data';

describe('personal data: one list, one role check', () => {
  it('lets admin and consultant read personal fields, and no other role', () => {
    expect(ROLES.filter(mayReadPersonal)).toEqual(['admin', 'consultant']);
    expect(mayReadPersonal(null)).toBe(false);
  });

  it('lists desired salary with the contact details, and names the columns the naming strategy uses', () => {
    expect([...CANDIDATE_PERSONAL_FIELDS].sort()).toEqual(['desiredSalaryMax', 'desiredSalaryMin', 'email', 'phone', 'salaryCurrency']);
    expect(CANDIDATE_PERSONAL_FIELDS.map(personalColumn)).toEqual([
      'email',
      'phone',
      'desired_salary_min',
      'desired_salary_max',
      'salary_currency',
    ]);
  });

  it('recognises the fields in any case or naming style, and nothing that merely looks similar', () => {
    for (const k of ['email', 'EMAIL', 'desired_salary_min', 'desiredSalaryMax', 'salary-currency']) expect(isPersonalField(k)).toBe(true);
    for (const k of ['name', 'salaryMin', 'emailDomain', 'location']) expect(isPersonalField(k)).toBe(false);
  });

  it('strips personal keys at any depth for other roles and returns the value untouched for allowed ones', () => {
    const value = {
      records: [{ id: 'x', fields: { name: 'Ana', email: 'a@example.com', desired_salary_min: 1, match: { phone: '1', score: 0.5 } } }],
      data: [{ props: { salaryCurrency: 'USD', title: 'Lead' } }],
      when: new Date(0),
    };
    expect(redactPersonal(value, 'analyst')).toEqual({
      records: [{ id: 'x', fields: { name: 'Ana', match: { score: 0.5 } } }],
      data: [{ props: { title: 'Lead' } }],
      when: new Date(0),
    });
    expect(redactPersonal(value, 'consultant')).toBe(value);
    expect(redactPersonal(null, 'bi')).toBeNull();
  });

  it('refuses @PersonalField() on a property the list does not name', () => {
    expect(() => PersonalField()({}, 'nickname')).toThrow(/CANDIDATE_PERSONAL_FIELDS/);
  });
});

describe('database errors a client may see', () => {
  const row = '(3f1d..., hr, p1, Mei, mei@example.com, +86-555-0101-0202, 900000, 100000, CNY)';

  it('names the constraint and never quotes the failing row', () => {
    const err = Object.assign(new Error('new row for relation "candidate" violates check constraint "ck_candidate_salary"'), {
      code: '23514',
      constraint: 'ck_candidate_salary',
      detail: `Failing row contains ${row}.`,
    });
    const d = describeInputDbError(err)!;
    expect(d).toEqual({ code: 'BAD_USER_INPUT', message: 'the values break a rule of the data hub (ck_candidate_salary)' });
  });

  it('never echoes Postgres messages, which quote values, for any integrity or data error', () => {
    const err = { code: '22P02', message: 'invalid input syntax for type integer: "mei@example.com"', detail: row };
    expect(JSON.stringify(describeInputDbError(err))).not.toContain('mei@example.com');
    const other = describeInputDbError({ code: '23P01', constraint: 'ex_overlap', detail: row })!;
    expect(other.message).toContain('ex_overlap');
    expect(other.message).not.toContain('mei');
  });

  it('leaves errors that are not the input fault to the caller', () => {
    expect(describeInputDbError({ code: '40001' })).toBeNull();
    expect(describeInputDbError(new Error('boom'))).toBeNull();
  });
});
