import { z } from 'zod';
import { Connection, ConnectionId, ConnectionInput } from './connection';
import { ConnectionImportInput, ConnectionImportResult } from './connectionImport';
import { DoctorReport } from './doctor';

/** The connections domain: every channel on saved connections (the shapes are in connection.ts). */

export const ConnectionTestResult = z.strictObject({
  clusterId: z.string().nullable(),
  brokerCount: z.number().int(),
  controllerId: z.number().int().nullable(),
  elapsedMs: z.number(),
});
export type ConnectionTestResult = z.infer<typeof ConnectionTestResult>;

const byId = z.strictObject({ id: ConnectionId });

/** What a test may target: a saved connection, or the form's unsaved values (secrets kept from `id`). */
export const ConnectionTestInput = z.union([byId, z.strictObject({ connection: ConnectionInput })]);

export const connectionChannels = {
  'connections.list': { input: z.strictObject({}).optional(), output: z.array(Connection) },
  'connections.get': { input: byId, output: Connection },
  'connections.save': { input: ConnectionInput, output: Connection },
  'connections.delete': { input: byId, output: z.strictObject({ deleted: z.boolean() }) },
  'connections.test': { input: ConnectionTestInput, output: ConnectionTestResult },
  'connections.doctor': { input: ConnectionTestInput, output: DoctorReport },
  'connections.import': { input: ConnectionImportInput, output: ConnectionImportResult },
  'connections.duplicate': {
    input: z.strictObject({ id: ConnectionId, name: z.string().trim().min(1).max(100).optional() }),
    output: Connection,
  },
  'connections.export': {
    input: z.strictObject({ ids: z.array(ConnectionId).max(1000).optional() }),
    output: z.strictObject({ json: z.string(), count: z.number().int() }),
  },
} as const;
