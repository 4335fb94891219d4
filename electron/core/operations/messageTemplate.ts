import { renderTemplate as render } from '../../contract/messageTemplate';
import { CoreError } from '../coreError';

/**
 * Batch templates for Produce. The helpers and their rendering live in the contract
 * (electron/contract/messageTemplate.ts), so the window checks a sample with the very code that
 * renders what is sent; here a tag that cannot be rendered becomes the core's INVALID_INPUT.
 */
export { hasTemplate, TEMPLATE_HELPERS } from '../../contract/messageTemplate';

export function renderTemplate(s: string, seq: number): string {
  const r = render(s, seq);
  if (!r.ok) throw new CoreError('INVALID_INPUT', r.message);
  return r.text;
}
