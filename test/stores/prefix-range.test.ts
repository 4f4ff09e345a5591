import { describe, expect, it } from 'vitest';
import { prefixUpperBound } from '../../src/stores/prefix-range.js';

describe('prefixUpperBound', () => {
  it('increments the last code point', () => {
    expect(prefixUpperBound('arn:a')).toBe('arn:b');
    expect(prefixUpperBound('a%')).toBe('a&');
    expect(prefixUpperBound('café')).toBe('cafê');
    expect(prefixUpperBound('x🚀')).toBe(`x${String.fromCodePoint(0x1f681)}`);
  });

  it('skips the surrogate block and drops trailing U+10FFFF', () => {
    expect(prefixUpperBound('a\ud7ff')).toBe('a\ue000');
    expect(prefixUpperBound('ab\u{10ffff}\u{10ffff}')).toBe('ac');
  });

  it('is undefined when nothing bounds the range', () => {
    expect(prefixUpperBound('')).toBeUndefined();
    expect(prefixUpperBound('\u{10ffff}')).toBeUndefined();
  });
});
