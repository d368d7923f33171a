import { describe, expect, it } from 'vitest';
import { findDuplicateJsonKey } from './json-duplicate-keys.js';
import { InvalidJsonTextError, parseJsonStrict } from './strict-json.js';

describe('findDuplicateJsonKey', () => {
  it.each([
    ['top level', '{"a":1,"a":2}', 'a'],
    ['escaped spelling', '{"team_mode":true,"team\\u005fmode":false}', 'team_mode'],
    ['both escaped', '{"\\u0061":1, "\\u0061" :2}', 'a'],
    ['nested object', '{"roles":{"ops":{"allow":["*"]},"ops":{"deny":["*"]}}}', 'ops'],
    ['object in array', '[{"x":1},{"y":1,"y":2}]', 'y'],
    ['__proto__', '{"__proto__":1,"__proto__":2}', '__proto__'],
    ['constructor', '{"constructor":{},"constructor":{}}', 'constructor'],
    ['prototype', '{"a":{"prototype":1,"prototype":1}}', 'prototype'],
  ])('finds a repeated key: %s', (_name, text, key) => {
    expect(findDuplicateJsonKey(text)?.key).toBe(key);
    expect(() => parseJsonStrict(text)).toThrow(InvalidJsonTextError);
  });

  it.each([
    ['same key in sibling objects', '[{"a":1},{"a":2}]'],
    ['same key at different depths', '{"a":{"a":{"a":1}}}'],
    ['key text as a value', '{"a":"a","b":"a"}'],
    ['strings with quotes and colons', '{"a":"\\"b\\":","b":["a",":"]}'],
    ['__proto__, constructor, prototype once each', '{"__proto__":1,"constructor":2,"prototype":3}'],
  ])('accepts: %s', (_name, text) => {
    expect(findDuplicateJsonKey(text)).toBeUndefined();
    expect(() => parseJsonStrict(text)).not.toThrow();
  });

  it('names the key and where it is', () => {
    expect(() => parseJsonStrict('{\n "roles": {"a": 1,\n  "a": 2}}')).toThrow(
      'duplicate key "a" in `roles` at line 3, column 3',
    );
  });

  it('keeps __proto__ as an ordinary own key (JSON.parse defines it, never sets the prototype)', () => {
    const value = parseJsonStrict('{"__proto__":{"polluted":true}}') as Record<string, unknown>;
    expect(Object.keys(value)).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });
});
