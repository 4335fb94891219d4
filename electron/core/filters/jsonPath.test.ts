import { describe, expect, it } from 'vitest';
import { compileJsonPath, JsonPathError } from './jsonPath';

const doc = {
  order: { id: 'o-1', total: 12.5, paid: true, note: null, 'a b': 'spaced', 'order-id': 7, prénom: 'Zoé' },
  items: [
    { sku: 'A', qty: 1 },
    { sku: 'B', qty: 2 },
    { sku: 'C', qty: 3, id: 'nested' },
  ],
  id: 'top',
};

const find = (p: string, d: unknown = doc) => compileJsonPath(p).find(d);

describe('JSON paths Kafka Desk takes', () => {
  it('finds members, quoted names and unions', () => {
    expect(find('$.order.id')).toEqual(['o-1']);
    expect(find("$['order']['a b']")).toEqual(['spaced']);
    expect(find('$["order"]["a b"]')).toEqual(['spaced']);
    expect(find('$.order.order-id')).toEqual([7]);
    expect(find('$.order.prénom')).toEqual(['Zoé']);
    expect(find("$.order['id','total']")).toEqual(['o-1', 12.5]);
    expect(find("$['it\\'s']", { "it's": 1 })).toEqual([1]);
    expect(find('$.order.note')).toEqual([null]);
    expect(find('$.order.missing')).toEqual([]);
    expect(find('$')).toEqual([doc]);
  });

  it('finds indexes, negative indexes, slices and wildcards', () => {
    expect(find('$.items[0].sku')).toEqual(['A']);
    expect(find('$.items[-1].sku')).toEqual(['C']);
    expect(find('$.items[0,2].sku')).toEqual(['A', 'C']);
    expect(find('$.items[0:2].sku')).toEqual(['A', 'B']);
    expect(find('$.items[1:].sku')).toEqual(['B', 'C']);
    expect(find('$.items[:-1].sku')).toEqual(['A', 'B']);
    expect(find('$.items[::2].sku')).toEqual(['A', 'C']);
    expect(find('$.items[::-1].sku')).toEqual(['C', 'B', 'A']);
    expect(find('$.items[*].qty')).toEqual([1, 2, 3]);
    expect(find('$.items.*.qty')).toEqual([1, 2, 3]);
    expect(find('$.items[7]')).toEqual([]);
    expect(find('$.order[0]')).toEqual([]);
  });

  it('descends recursively in document order', () => {
    expect(find('$..id')).toEqual(['top', 'o-1', 'nested']);
    expect(find('$..sku')).toEqual(['A', 'B', 'C']);
    expect(find('$..[0].sku')).toEqual(['A']);
  });

  it('does not reach prototypes or inherited properties', () => {
    expect(find('$.constructor')).toEqual([]);
    expect(find('$.__proto__')).toEqual([]);
    expect(find('$.toString')).toEqual([]);
    expect(find('$.items.length')).toEqual([]);
  });

  it('walks a deeply nested document without overflowing the stack', () => {
    let deep: unknown = { id: 'bottom' };
    for (let i = 0; i < 100_000; i++) deep = { next: deep };
    expect(find('$..id', deep)).toEqual(['bottom']);
  });

  it.each([
    [
      '$[?(@.qty > 1)]',
      "'?' (filters and script are not supported) inside [ ] (use an index, a slice, '*' or a quoted name) at position 3",
    ],
    ['$..[?(@.isbn)]', "'?' (filters and script are not supported) inside [ ]"],
    ['$.items[(@.length-1)]', "'(' (filters and script are not supported) inside [ ]"],
    ['$.n>90', "'>' (comparisons are not path syntax; compare with =value after the path) at position 4"],
    ['$.n==90', "'=' (comparisons"],
    ['$.a b', 'a space'],
    ['$.a.^', "'^' (parent and property-name selectors are not supported)"],
    ['$.*~', "'~' (parent and property-name selectors are not supported)"],
    ['a.b', "a JSON path starts with '$'"],
    ['$.', 'a member name is missing'],
    ["$['a", "the quoted name is not closed with '"],
    ['$[1', "the '[' is not closed"],
    ['$.items[::0]', 'the slice step cannot be 0'],
    ['$.@string()', "'@' (filters are not supported) cannot start a member name"],
  ])('refuses %s with what it supports', (path, problem) => {
    let err: unknown;
    try {
      compileJsonPath(path);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(JsonPathError);
    const message = (err as Error).message;
    expect(message).toContain(problem);
    expect(message).toContain("Kafka Desk's JSON paths name members and indexes");
    expect(message).toContain('compare with =value');
  });
});
