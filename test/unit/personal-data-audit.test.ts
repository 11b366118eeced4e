import { personalReadsInRecords } from '../../src/hub/personal-data-audit';
import { personalReadInsert } from '../../src/hub/repositories/personal-data-read.repository';
import { PersonalReadLog } from '../../src/hub/personal-read-log';

const viewer = { keyId: '00000000-0000-4000-8000-000000000001', role: 'admin' as const };
const A = '00000000-0000-4000-8000-00000000000a';
const B = '00000000-0000-4000-8000-00000000000b';

describe('personal-data audit', () => {
  it('merges the fields of a record read several times in a request, in a stable order', () => {
    const log = new PersonalReadLog();
    log.add('candidate', A, 'phone');
    log.add('candidate', B, 'email');
    log.add('candidate', A, 'email');
    log.add('candidate', A, 'phone');
    expect(log.take()).toEqual([
      { recordType: 'candidate', recordId: A, fields: ['email', 'phone'] },
      { recordType: 'candidate', recordId: B, fields: ['email'] },
    ]);
    expect(log.take()).toEqual([]);
  });

  it('builds one INSERT whose statement does not grow with the rows', () => {
    const one = personalReadInsert(viewer, [{ recordType: 'candidate', recordId: A, fields: ['email'] }]);
    const two = personalReadInsert(viewer, [
      { recordType: 'candidate', recordId: A, fields: ['email', 'phone'] },
      { recordType: 'candidate', recordId: B, fields: ['desiredSalaryMin'] },
    ]);
    expect(two.sql).toBe(one.sql);
    expect(two.params).toEqual([viewer.keyId, 'admin', ['candidate', 'candidate'], [A, B], ['email,phone', 'desiredSalaryMin']]);
  });

  it('finds personal fields with values in RAG records under their listed names, for allowed roles only', () => {
    const records = [
      { id: A, type: 'candidate', fields: { name: 'Ada', email: 'ada@example.com', phone: null, desired_salary_min: 90_000 } },
      { id: B, type: 'candidate', fields: { name: 'Bo' } },
    ];
    expect(personalReadsInRecords(records, 'consultant')).toEqual([
      { recordType: 'candidate', recordId: A, fields: ['desiredSalaryMin', 'email'] },
    ]);
    expect(personalReadsInRecords(records, 'analyst')).toEqual([]);
  });
});
