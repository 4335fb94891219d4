import { describe, expect, it } from 'vitest';
import {
  activeConditions,
  countText,
  filterShownText,
  geometry,
  gridTemplate,
  highlightParts,
  highlightPattern,
  MAX_PX,
  minTableWidth,
  nextSort,
  ROW,
  scrollTopFor,
  sortArrow,
  tableColumns,
  visiblePages,
} from './messageTable';
import { emptyRowFilter } from './rowFilter';

describe('the message table: rows for a scroll position, columns, sort and counts', () => {
  it('draws the rows the viewport shows, its height fitted to few rows', () => {
    expect(geometry(0, 520, 0)).toMatchObject({ height: 120, first: 0, shift: 0 });
    expect(geometry(10, 520, 0).height).toBe(10 * ROW + 2);
    const g = geometry(1000, 520, 10 * ROW + 5);
    expect(g).toMatchObject({
      height: 520,
      fullPx: 1000 * ROW,
      spacerPx: 1000 * ROW,
      first: 10,
      shift: 5,
      visibleCount: Math.ceil(520 / ROW) + 1,
    });
    expect(visiblePages(g)).toEqual({ lo: 0, hi: 0 });
    expect(visiblePages(geometry(1000, 520, 99 * ROW))).toEqual({ lo: 0, hi: 1 });
  });

  it('maps the scroll proportionally past the largest element the browser draws', () => {
    const total = 2_000_000;
    const g = geometry(total, 520, MAX_PX - 520);
    expect(g.spacerPx).toBe(MAX_PX);
    // scrolled to the end of the spacer: the last rows
    expect(g.virtualTop).toBe(total * ROW - 520);
    expect(g.first).toBe(Math.floor((total * ROW - 520) / ROW));
    // and back: the scroll position for a row maps into the spacer
    const top = scrollTopFor(total - 1, geometry(total, 520, 0));
    expect(top).not.toBeNull();
    expect(top!).toBeLessThanOrEqual(MAX_PX);
  });

  it('scrolls to a row only when it is out of view, centring it', () => {
    const g = geometry(1000, 520, 0);
    expect(scrollTopFor(3, g)).toBeNull();
    expect(scrollTopFor(100, g)).toBe(100 * ROW - 260);
    expect(scrollTopFor(0, geometry(1000, 520, 50 * ROW))).toBe(0);
  });

  it('sizes the columns to what they hold: the offset one grows, the value takes the rest', () => {
    const cols = tableColumns(false, 0);
    expect(cols.map((c) => c.key)).toEqual(['partition', 'offset', 'timestamp', 'key', 'value', 'headers', 'size']);
    expect(cols.find((c) => c.key === 'offset')?.width).toBe('8ch');
    expect(tableColumns(false, 13).find((c) => c.key === 'offset')?.width).toBe('14ch');
    expect(tableColumns(true, 0)[0]).toMatchObject({ key: 'topic', width: '140px' });
    expect(gridTemplate(cols)).toBe('7ch 8ch calc(17ch + 16px) 130px minmax(160px, 1fr) 5ch 11ch');
    expect(minTableWidth(cols)).toBe('calc(7ch + 8ch + calc(17ch + 16px) + 130px + 160px + 5ch + 11ch + 80px)');
  });

  it('sorts by a column ascending, then descending, then in the order rows came', () => {
    let sort = { field: 'seq' as const, desc: false } as Parameters<typeof nextSort>[0];
    sort = nextSort(sort, 'offset');
    expect(sort).toEqual({ field: 'offset', desc: false });
    expect(sortArrow(sort, 'offset')).toBe(' ↑');
    sort = nextSort(sort, 'offset');
    expect(sort).toEqual({ field: 'offset', desc: true });
    expect(sortArrow(sort, 'offset')).toBe(' ↓');
    expect(sortArrow(sort, 'key')).toBe('');
    expect(nextSort(sort, 'offset')).toEqual({ field: 'seq', desc: false });
    expect(nextSort(sort, 'key')).toEqual({ field: 'key', desc: false });
    // the value and size columns are not sortable
    expect(nextSort(sort, 'value')).toBe(sort);
  });

  it('says how many rows are shown, and counts the filter conditions set', () => {
    expect(countText({ total: 1, storeTotal: 1, counting: false })).toBe('1 row');
    expect(countText({ total: 3, storeTotal: 3, counting: false })).toBe('3 rows');
    expect(countText({ total: 2, storeTotal: 3, counting: false })).toBe('2 of 3 rows');
    expect(countText({ total: 100, storeTotal: 5000, counting: true })).toBe(
      `100+ of ${(5000).toLocaleString()} rows · counting…`,
    );
    expect(filterShownText({ total: 2, storeTotal: 1, counting: false }, false)).toBe('2 of 1 row shown');
    expect(filterShownText({ total: 2, storeTotal: 3, counting: false }, true)).toBe('nothing shown');
    expect(activeConditions(emptyRowFilter())).toBe(0);
    expect(activeConditions({ ...emptyRowFilter(), text: 'a', header: ' ', jsonPath: '$.a', partitions: [1, 2] })).toBe(
      3,
    );
  });

  it('marks the first match of the search in a cell, case-insensitively, taking the text literally', () => {
    const re = highlightPattern('a.b');
    expect(highlightParts('xxA.Byy a.b', re)).toEqual(['xx', 'A.B', 'yy a.b']);
    expect(highlightParts('axb', re)).toBeNull();
    expect(highlightParts('anything', highlightPattern(null))).toBeNull();
  });
});
