import { expectGlobalId, fromGlobalId, toGlobalId } from '../../src/shared/global-id';

describe('global ids', () => {
  const uuid = '3b241101-e2bb-4255-8caf-4136c566a962';

  it('round-trips a type and a UUID', () => {
    expect(fromGlobalId(toGlobalId('Candidate', uuid))).toEqual({ type: 'Candidate', uuid });
    expect(expectGlobalId(toGlobalId('Job', uuid), 'Job')).toBe(uuid);
  });

  it('rejects garbage and ids of another type with BAD_USER_INPUT', () => {
    expect(() => fromGlobalId('garbage')).toThrow(expect.objectContaining({ code: 'BAD_USER_INPUT' }));
    expect(() => fromGlobalId(Buffer.from('Martian:' + uuid).toString('base64url'))).toThrow(/not a MatchHub id/);
    expect(() => expectGlobalId(toGlobalId('Job', uuid), 'Candidate')).toThrow(/expected a Candidate id, got a Job id/);
  });
});
