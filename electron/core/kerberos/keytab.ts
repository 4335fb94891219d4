/**
 * Reads an MIT / Heimdal / Active Directory keytab (the binary file `ktutil`, `kadmin ktadd` and
 * `ktpass` write) far enough to list its principals, key version numbers and encryption types. No npm
 * library parses keytabs, and the format is small: RFC-less but stable since krb5 1.x, documented in
 * MIT's "keytab file format" page.
 */

export interface KeytabEntry {
  principal: string;
  kvno: number;
  enctype: number;
}

export class KeytabFormatError extends Error {}

export function parseKeytab(bytes: Buffer): KeytabEntry[] {
  if (bytes.length < 2 || bytes[0] !== 0x05 || (bytes[1] !== 0x01 && bytes[1] !== 0x02)) {
    throw new KeytabFormatError('it does not start with a keytab header (0x0501 or 0x0502)');
  }
  const v1 = bytes[1] === 0x01;
  // version 1 files are in the writer's byte order; version 2, the only one written today, big-endian
  const u16 = (at: number) => (v1 ? bytes.readUInt16LE(at) : bytes.readUInt16BE(at));
  const i32 = (at: number) => (v1 ? bytes.readInt32LE(at) : bytes.readInt32BE(at));
  const u32 = (at: number) => (v1 ? bytes.readUInt32LE(at) : bytes.readUInt32BE(at));
  const entries: KeytabEntry[] = [];
  let pos = 2;
  while (pos < bytes.length) {
    if (pos + 4 > bytes.length) throw new KeytabFormatError(`it ends in the middle of a record (byte ${pos})`);
    const size = i32(pos);
    pos += 4;
    if (size === 0) break;
    if (size < 0) {
      pos += -size; // a hole left by a deleted entry
      continue;
    }
    const end = pos + size;
    if (end > bytes.length) throw new KeytabFormatError(`a record of ${size} bytes runs past the end of the file`);
    let p = pos;
    const need = (n: number) => {
      if (p + n > end) throw new KeytabFormatError(`a record is shorter than its fields (byte ${p})`);
    };
    const str = () => {
      need(2);
      const len = u16(p);
      p += 2;
      need(len);
      const s = bytes.toString('utf8', p, p + len);
      p += len;
      return s;
    };
    need(2);
    let count = u16(p);
    p += 2;
    if (v1) count -= 1;
    if (count < 1 || count > 16) throw new KeytabFormatError(`a record names a principal of ${count} components`);
    const realm = str();
    const parts: string[] = [];
    for (let i = 0; i < count; i++) parts.push(str());
    if (!v1) {
      need(4);
      p += 4; // name type
    }
    need(5);
    p += 4; // timestamp
    let kvno = bytes[p]!;
    p += 1;
    need(4);
    const enctype = u16(p);
    const keyLength = u16(p + 2);
    p += 4;
    need(keyLength);
    p += keyLength;
    // krb5 1.14+ appends a 32-bit key version when it does not fit in 8 bits
    if (end - p >= 4) {
      const kvno32 = u32(p);
      if (kvno32 !== 0) kvno = kvno32;
    }
    entries.push({ principal: `${parts.join('/')}@${realm}`, kvno, enctype });
    pos = end;
  }
  if (entries.length === 0) throw new KeytabFormatError('it holds no keys');
  return entries;
}

/** The distinct principals of a keytab, in file order. */
export function keytabPrincipals(entries: KeytabEntry[]): string[] {
  return [...new Set(entries.map((e) => e.principal))];
}
