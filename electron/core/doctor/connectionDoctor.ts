import type { DoctorReport } from '../../contract';
import type { ResolvedConnection } from '../connections/storedConnection';
import { CoreError } from '../coreError';

/** Placeholder until the doctor lands. */
export async function runDoctor(_conn: ResolvedConnection): Promise<DoctorReport> {
  throw new CoreError('INTERNAL', 'The connection doctor is not built yet.');
}
