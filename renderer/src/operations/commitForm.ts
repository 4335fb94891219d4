import type { CommitResult, ConsumeResult, Parsed } from '../../../electron/contract';

/** Commit's form and the contract's input, and what the last Consume offers to commit. No Vue, no API: tested beside it. */
export interface CommitForm {
  group: string;
  topic: string | null;
  offsets: string;
}
export interface CommitRequest {
  groupId: string;
  topic: string;
  offsets: { partition: number; offset: string }[];
}

export const COMMIT_FORM_MESSAGE = 'Give a group, a topic and offsets as partition:offset pairs, e.g. 0:42, 1:17.';

/** "0:42, 1:17": partition:offset pairs (the next offset the group will read). */
export function parseOffsetPairs(text: string): { partition: number; offset: string }[] | null {
  const pairs = text
    .split(/[\s,]+/)
    .filter(Boolean)
    .map((p) => p.split(':'));
  if (!pairs.length || pairs.some((p) => p.length !== 2 || !/^\d+$/.test(p[0]!) || !/^\d+$/.test(p[1]!))) return null;
  return pairs.map(([p, o]) => ({ partition: Number(p), offset: o! }));
}

export function commitRequest(form: CommitForm): Parsed<CommitRequest> {
  const offsets = parseOffsetPairs(form.offsets);
  if (!offsets || !form.topic || !form.group.trim()) return { ok: false, message: COMMIT_FORM_MESSAGE };
  return { ok: true, value: { groupId: form.group.trim(), topic: form.topic, offsets } };
}

/** What a Consume read and did not commit: with a named group in manual-commit mode, its offsets; else the next offsets to read. */
export interface LastRead {
  topic: string;
  group: string | null;
  offsets: string;
  /** Topics read besides the first (each is committed on its own). */
  otherTopics: number;
}
export function lastReadOf(r: ConsumeResult): LastRead | null {
  const next = new Map<string, Map<number, string>>();
  const add = (o: { topic: string; partition: number; offset: string }) =>
    (next.get(o.topic) ?? next.set(o.topic, new Map()).get(o.topic)!).set(o.partition, o.offset);
  if (r.group) for (const o of r.group.offsets) add(o);
  else for (const o of r.nextOffsets) add(o);
  const [first] = next;
  if (!first) return null;
  const [topic, offsets] = first;
  return {
    topic,
    group: r.group?.groupId ?? null,
    offsets: [...offsets]
      .sort((a, b) => a[0] - b[0])
      .map(([p, o]) => `${p}:${o}`)
      .join(', '),
    otherTopics: next.size - 1,
  };
}

/** The result table's rows: each partition's offset before and after. */
export type CommitRow = { partition: number; before: string | null; after: string | null };
export function commitRows(r: CommitResult): CommitRow[] {
  return r.after.map((a) => ({
    partition: a.partition,
    after: a.offset,
    before: r.before.find((b) => b.partition === a.partition)?.offset ?? null,
  }));
}
