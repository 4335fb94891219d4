import type { DoctorStep } from '../../contract';
import { CoreError, describeCause } from '../coreError';
import type { SchemaService } from '../schemas/schemaService';

/**
 * The doctor's Schema Registry step: the registry answers at one of its URLs, takes the credentials,
 * and lets this user read its subjects (what decoding needs). Null when the connection has none.
 */
export async function registryStep(service: SchemaService, connectionId: string): Promise<DoctorStep | null> {
  const client = await service.client(connectionId);
  if (!client) return null;
  const t0 = performance.now();
  const base = { kind: 'schema-registry' as const, title: 'Schema Registry', target: client.endpoint.urls.join(', ') };
  try {
    const [subjects, types] = await Promise.all([client.subjectNames(), client.types()]);
    return {
      ...base,
      elapsedMs: Math.round(performance.now() - t0),
      status: 'ok',
      summary: `The Schema Registry answers${client.endpoint.username ? ` and accepts '${client.endpoint.username}'` : client.endpoint.bearerToken ? ' and accepts the token' : ''}: ${subjects.length.toLocaleString('en')} subject${subjects.length === 1 ? '' : 's'}, schema types ${types.join(', ')}.`,
    };
  } catch (e) {
    const error =
      e instanceof CoreError
        ? e.toAppError()
        : {
            code: 'INTERNAL' as const,
            message: 'Kafka Desk failed unexpectedly checking the Schema Registry.',
            detail: describeCause(e),
          };
    return { ...base, elapsedMs: Math.round(performance.now() - t0), status: 'failed', summary: error.message, error };
  }
}
