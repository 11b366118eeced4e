import {
  decodeCursor,
  decodeKeysetCursor,
  decodeOffsetCursor,
  encodeCursor,
  encodeKeysetCursor,
  encodeOffsetCursor,
} from '../../../src/shared/cursor';

const ID = '6f1c1b1e-0000-4000-8000-000000000001';

describe('page cursors', () => {
  // Clients hold cursors from earlier pages: these strings must keep decoding to the same positions.
  it('keeps the wire format of each kind', () => {
    expect(encodeOffsetCursor(20)).toBe('bzoyMA');
    expect(encodeKeysetCursor('Ada Lovelace', ID)).toBe('WyJBZGEgTG92ZWxhY2UiLCI2ZjFjMWIxZS0wMDAwLTQwMDAtODAwMC0wMDAwMDAwMDAwMDEiXQ');
    expect(encodeCursor('40')).toBe('NDA');
    expect(decodeOffsetCursor('bzoyMA')).toBe(20);
    expect(decodeKeysetCursor('WyJBZGEgTG92ZWxhY2UiLCI2ZjFjMWIxZS0wMDAwLTQwMDAtODAwMC0wMDAwMDAwMDAwMDEiXQ')).toEqual(['Ada Lovelace', ID]);
    expect(decodeCursor('Y28tMDAwMDAxfDIwMjE')).toBe('co-000001|2021');
  });

  it('round-trips keyset values of every sort type', () => {
    for (const value of [0, 12.5, 'Zoë 张', '2024-01-31T00:00:00.000Z', true])
      expect(decodeKeysetCursor(encodeKeysetCursor(value, ID))).toEqual([value, ID]);
  });

  it('refuses what it did not write', () => {
    expect(decodeCursor('')).toBeNull();
    expect(decodeCursor('NDA=')).toBeNull(); // padded: not the canonical form
    expect(decodeCursor('not a cursor!')).toBeNull();
    expect(decodeOffsetCursor(encodeCursor('40'))).toBeNull(); // a graph offset is not a search offset
    expect(decodeOffsetCursor(encodeCursor('o:-1'))).toBeNull();
    expect(decodeKeysetCursor(encodeCursor('[1,2]'))).toBeNull();
    expect(decodeKeysetCursor(encodeCursor('{'))).toBeNull();
    expect(decodeKeysetCursor(encodeOffsetCursor(3))).toBeNull();
  });
});
