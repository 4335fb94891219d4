import { afterEach, describe, expect, it, vi } from 'vitest';
import { downloadText } from './download';

describe('downloading an export', () => {
  afterEach(() => vi.unstubAllGlobals());
  it('saves the text under the file name, with its type, and lets the object URL go', async () => {
    const anchor = { href: '', download: '', click: vi.fn() };
    const blobs: Blob[] = [];
    vi.stubGlobal('document', { createElement: vi.fn(() => anchor) });
    const revoke = vi.fn();
    vi.stubGlobal('URL', { createObjectURL: (b: Blob) => (blobs.push(b), 'blob:1'), revokeObjectURL: revoke });
    downloadText('presets.json', '{"a":1}');
    expect(anchor).toMatchObject({ href: 'blob:1', download: 'presets.json' });
    expect(anchor.click).toHaveBeenCalledOnce();
    expect(revoke).toHaveBeenCalledWith('blob:1');
    expect(blobs[0]!.type).toBe('application/json');
    expect(await blobs[0]!.text()).toBe('{"a":1}');
    downloadText('x.csv', 'a,b', 'text/csv');
    expect(blobs[1]!.type).toBe('text/csv');
  });
});
