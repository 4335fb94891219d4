import type { ConnectCheck, DoctorStep } from '../../contract';
import { CoreError, describeCause } from '../coreError';

/**
 * The doctor's steps after the Kafka ones: each Kafka Connect cluster saved with the connection is
 * asked for its version and whether it works for this Kafka cluster (the same check as the Connect
 * screen's, called directly: a handler never goes back through dispatch).
 */
export async function connectClusterSteps(
  clusters: { id: string; name: string; urls: string[] }[],
  check: (clusterId: string) => Promise<ConnectCheck>,
): Promise<DoctorStep[]> {
  const steps: DoctorStep[] = [];
  for (const c of clusters) {
    const t0 = performance.now();
    const base = { kind: 'connect' as const, title: `Kafka Connect '${c.name}'`, target: c.urls.join(', ') };
    try {
      const v = await check(c.id);
      const elapsedMs = Math.round(performance.now() - t0);
      steps.push(
        v.matches === false
          ? {
              ...base,
              elapsedMs,
              status: 'warning',
              summary: `Kafka Connect ${v.version} answers, but it works for another Kafka cluster (${v.kafkaClusterId}; this connection is ${v.connectionClusterId}).`,
            }
          : {
              ...base,
              elapsedMs,
              status: 'ok',
              summary: `Kafka Connect ${v.version} answers${v.matches ? ', for this Kafka cluster' : ''}.`,
            },
      );
    } catch (e) {
      const error =
        e instanceof CoreError
          ? e.toAppError()
          : {
              code: 'INTERNAL' as const,
              message: `Kafka Desk failed unexpectedly checking Kafka Connect '${c.name}'.`,
              detail: describeCause(e),
            };
      steps.push({
        ...base,
        elapsedMs: Math.round(performance.now() - t0),
        status: 'failed',
        summary: error.message,
        error,
      });
    }
  }
  return steps;
}
