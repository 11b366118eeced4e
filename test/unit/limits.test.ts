import { parse } from 'graphql';
import { queryDepth } from '../../src/limits';

describe('queryDepth', () => {
  it('counts the deepest field path', () => {
    expect(queryDepth(parse('{ a }'))).toBe(1);
    expect(queryDepth(parse('{ a { b { c } } d }'))).toBe(3);
  });

  it('follows fragments and inline fragments', () => {
    expect(queryDepth(parse('{ a { ...F } } fragment F on T { b { c { d } } }'))).toBe(4);
    expect(queryDepth(parse('{ a { ... on T { b { c } } } }'))).toBe(3);
  });

  it('terminates on fragment cycles (which validation rejects anyway)', () => {
    expect(queryDepth(parse('{ a { ...F } } fragment F on T { b { ...F } }'))).toBe(2);
  });
});
