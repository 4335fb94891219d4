import { describe, expect, it } from 'vitest';
import { bytesText } from './sizes';

describe('bytesText', () => {
  it('reads as a person would say it, in binary units', () => {
    expect(bytesText('0')).toBe('0 B');
    expect(bytesText(1023)).toBe('1023 B');
    expect(bytesText('1024')).toBe('1.0 KiB');
    expect(bytesText(1536n)).toBe('1.5 KiB');
    expect(bytesText(String(150 * 1024 * 1024))).toBe('150 MiB');
    expect(bytesText(String(20 * 1024 ** 3))).toBe('20.0 GiB');
    expect(bytesText('9223372036854775807')).toBe('8.0 EiB');
  });

  it('what is not a size shows as a dash', () => {
    for (const v of [null, undefined, '', 'abc', '-1', -5]) expect(bytesText(v)).toBe('—');
  });
});
